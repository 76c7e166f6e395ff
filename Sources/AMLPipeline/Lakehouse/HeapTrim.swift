// Returning freed heap memory to the kernel between pipeline stages.
#if canImport(Glibc)
import Glibc
#endif

enum HeapTrim {
    /// Hands the allocator's free pages back to the kernel (glibc's `malloc_trim(0)`), so the
    /// memory a finished stage freed no longer counts as resident. Without it, arrays below
    /// glibc's mmap threshold (a batch's columns, a chunk's pairs) freed in the middle of the
    /// heap stay resident behind the data still alive (the kept silver columns), and every
    /// later stage's peak starts from there. A no-op where glibc is not the allocator.
    /// O(heap size); milliseconds at the pipeline's scale.
    static func release() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
