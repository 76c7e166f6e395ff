/// glibc returns every freed block above the (adaptive, at most 32 MiB) mmap threshold to the
/// kernel, so each large decode buffer comes back as fresh pages that fault and get zeroed
/// again (a fifth of read time in profiles). Raising the mmap and trim thresholds once lets
/// large buffers be reused inside the heap. Process-wide, idempotent, glibc only.
enum AllocatorTuning {
    static let applied: Bool = {
        #if os(Linux)
        // <malloc.h>: M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3.
        _ = glibcMallopt(-3, 512 << 20)
        _ = glibcMallopt(-1, 1 << 30)
        #endif
        return true
    }()
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
