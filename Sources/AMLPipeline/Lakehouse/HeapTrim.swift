// Returning freed heap memory to the kernel between pipeline stages.
#if canImport(Glibc)
import Glibc
#endif

enum HeapTrim {
    /// Hands the allocator's free pages back to the kernel (glibc's `malloc_trim(0)`), so the
    /// memory a finished stage freed no longer counts as resident. Without it, arrays below
    /// glibc's mmap threshold (a batch's columns, a chunk's pairs) freed in the middle of the
    /// heap stay resident behind the data still alive (the kept silver columns), and every
    /// later stage's peak starts from there. Looked up at run time (`malloc.h` is not part of
    /// Swift's Glibc module); a no-op where the C library has no `malloc_trim`.
    /// O(heap size); milliseconds at the pipeline's scale.
    static func release() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        // A null handle is glibc's RTLD_DEFAULT: the symbol as the process resolves it.
        if let symbol = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
        #endif
    }
}
