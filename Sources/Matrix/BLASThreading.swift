import CBLAS
import Foundation

/// The project's one OpenBLAS threading policy (see the module comment in Matrix.swift):
/// OpenBLAS threads inside big BLAS/LAPACK calls; one thread inside our own parallel loops.
///
/// `openblas_set_num_threads` is process-wide, so `singleThreaded` keeps a count of active
/// users under a lock: the first sets one thread and remembers the previous count, the last
/// restores it. Nested and concurrent use is therefore safe.
public enum BLASThreading {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var users = 0
    nonisolated(unsafe) private static var saved: Int32 = 1

    /// The name of the kernel family OpenBLAS chose for this CPU at load time (`SkylakeX`,
    /// `Haswell`, `Zen`, ...), or the one `OPENBLAS_CORETYPE` forced. Round-off differs between
    /// them, which is why no result in this module depends on an exact zero.
    public static var kernelName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// The number of threads OpenBLAS will use for its next call.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count for the process (≥ 1).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(Swift.max(1, n))) }

    /// Runs `body` with OpenBLAS restricted to one thread; use it around
    /// `DispatchQueue.concurrentPerform` loops whose iterations call BLAS on small operands.
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        if users == 0 {
            saved = openblas_get_num_threads()
            openblas_set_num_threads(1)
        }
        users += 1
        lock.unlock()
        defer {
            lock.lock()
            users -= 1
            if users == 0 { openblas_set_num_threads(saved) }
            lock.unlock()
        }
        return try body()
    }
}
