import CCodecs
#if canImport(Glibc)
import Glibc
#endif

/// One zstd decompression context per thread, created on the thread's first zstd page and
/// freed when the thread exits, so pages do not each allocate and set up a fresh context
/// (`ZSTD_decompress` does). Output is the same: `ZSTD_decompressDCtx` resets the context's
/// frame state on every call.
enum ZstdThreadContext {
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { context in
            _ = ZSTD_freeDCtx(OpaquePointer(context))
        }
        return status == 0 ? key : nil
    }()

    /// The calling thread's context, or nil when none could be created (callers then fall
    /// back to `ZSTD_decompress`).
    /// - Complexity: O(1) after the thread's first call.
    static var current: OpaquePointer? {
        guard let key else { return nil }
        if let existing = pthread_getspecific(key) { return OpaquePointer(existing) }
        guard let context = ZSTD_createDCtx() else { return nil }
        guard pthread_setspecific(key, UnsafeRawPointer(context)) == 0 else {
            _ = ZSTD_freeDCtx(context)
            return nil
        }
        return context
    }
}
