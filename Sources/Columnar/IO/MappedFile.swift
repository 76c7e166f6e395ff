#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory map of a whole file, so parsers work on raw bytes without ever holding
/// the file as a `String`. Pages are loaded on demand by the kernel; unmapped on deinit.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    private let base: UnsafeMutableRawPointer?

    /// Maps `path`. Throws `ColumnarError.io` when it cannot be opened or is a directory.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ColumnarError.io(path: path, message: "cannot open (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ColumnarError.io(path: path, message: "cannot stat (\(String(cString: strerror(errno))))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw ColumnarError.io(path: path, message: "not a regular file") }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw ColumnarError.io(path: path, message: "cannot map (\(String(cString: strerror(errno))))") }
        madvise(p, count, MADV_SEQUENTIAL)
        base = p
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// Drops the resident pages before byte `offset` (whole pages only): a streaming reader
    /// that is done with them keeps its resident memory to the part still being read. The
    /// bytes stay readable (read again from the file if touched). O(pages).
    public func release(before offset: Int) {
        guard let base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = min(offset, count) / page * page
        if length > 0 { madvise(base, length, MADV_DONTNEED) }
    }

    /// The file's bytes. Valid while this object is alive.
    public var bytes: UnsafeBufferPointer<UInt8> {
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)
    }
}
