import Dispatch

/// Splits `0..<count` into contiguous chunks and runs `body` on each in parallel. Chunk
/// boundaries depend only on `count` and `chunks`, so per-chunk results combined in chunk
/// order are identical whatever the machine's core count.
@inlinable
public func parallelChunks(count: Int, chunks requested: Int = 64, minimumChunk: Int = 1 << 15, _ body: (Int, Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = max(1, min(requested, (count + minimumChunk - 1) / minimumChunk))
    if chunks == 1 {
        body(0, 0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { k in
        let lo = count * k / chunks, hi = count * (k + 1) / chunks
        body(k, lo..<hi)
    }
}
