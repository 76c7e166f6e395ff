import Foundation

/// A process-wide budget for bytes being decompressed at once. Page sizes come from files,
/// so they are data: each decompression reserves its declared output size before
/// allocating, waits while other pages hold the budget, and is refused outright when one
/// page alone exceeds it. Columns decoded in parallel therefore never hold more than the
/// budget in decompression buffers together.
public final class DecompressionBudget: @unchecked Sendable {
    /// The budget every reader shares: a quarter of physical memory, at least 256 MiB.
    public static let shared = DecompressionBudget(bytes: max(256 << 20, Int(min(ProcessInfo.processInfo.physicalMemory / 4, UInt64(Int.max)))))

    /// Bytes that may be reserved at once.
    public let bytes: Int
    private var inFlight = 0
    private let condition = NSCondition()

    public init(bytes: Int) { self.bytes = bytes }

    /// Reserves `n` bytes, waiting for others to release; throws when `n` alone is too much.
    /// - Complexity: O(1) plus waiting.
    public func reserve(_ n: Int) throws {
        guard n <= bytes else {
            throw DecodeError("a page claims \(n) uncompressed bytes, more than the decompression memory budget of \(bytes) bytes")
        }
        condition.lock()
        while inFlight + n > bytes { condition.wait() }
        inFlight += n
        condition.unlock()
    }

    /// Returns `n` reserved bytes.
    public func release(_ n: Int) {
        condition.lock()
        inFlight -= n
        condition.broadcast()
        condition.unlock()
    }
}
