#if canImport(Glibc)
import Glibc
#endif

/// Maps in the pages of a freshly allocated output buffer before it is written, so the
/// kernel faults them in one batch instead of one page fault per first-touched page.
///
/// Uses Linux's `madvise(MADV_POPULATE_WRITE)` (kernel 5.14+) on the whole pages inside the
/// range. Where the kernel or platform lacks it the call fails and nothing happens: the pages
/// are then faulted in on first write as before. Contents are never changed.
enum Prefault {
    /// `MADV_POPULATE_WRITE` from Linux's `mman-common.h` (not in every libc's headers).
    private static let populateWrite: Int32 = 23
    /// Below this size the batch saves too little to be worth a system call.
    private static let minimumBytes = 1 << 20

    /// Prefaults the whole pages inside `start..<start+byteCount` for writing.
    /// - Complexity: O(pages) in the kernel.
    static func populate(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= minimumBytes else { return }
        let page = UInt(4096)
        let from = (UInt(bitPattern: start) + page - 1) & ~(page - 1)
        let to = (UInt(bitPattern: start) + UInt(byteCount)) & ~(page - 1)
        guard to > from, let p = UnsafeMutableRawPointer(bitPattern: from) else { return }
        _ = madvise(p, Int(to - from), populateWrite)
        #endif
    }
}
