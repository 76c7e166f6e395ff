#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte sink that lands atomically: bytes go to a temporary file in the target's
/// directory, and `commit()` fsyncs and renames it over the target. A run that fails or is
/// killed before `commit()` leaves the previous file untouched (rename(2) is atomic on POSIX).
///
/// The path `-` writes straight to standard output instead (no atomicity is possible there).
public final class AtomicFileWriter {
    public let path: String
    private let tempPath: String?
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    private let bufferLimit = 1 << 20

    /// Opens a temporary file beside `path`. Throws `ColumnarError.io` if the directory is not
    /// writable.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            tempPath = nil
            fd = 1
        } else {
            let slash = path.lastIndex(of: "/")
            let dir = slash.map { String(path[..<$0]) } ?? "."
            let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
            let tmp = (dir.isEmpty ? "" : dir + "/") + ".\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ColumnarError.io(path: path, message: "cannot create output (\(String(cString: strerror(errno))))") }
            tempPath = tmp
        }
        buffer.reserveCapacity(bufferLimit + 65536)
    }

    deinit {
        if !committed { abort() }
    }

    /// Appends raw bytes.
    @inline(__always)
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
        if buffer.count >= bufferLimit { try flush() }
    }

    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferLimit { try flush() }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Hands the internal buffer to `body` for appending without copies; flushes when large.
    public func append(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= bufferLimit { try flush() }
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ColumnarError.io(path: path, message: "write failed (\(String(cString: strerror(errno))))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs and atomically renames the temporary file over `path`.
    public func commit() throws {
        try flush()
        committed = true
        guard let tempPath else { return }
        if fsync(fd) != 0 {
            let message = String(cString: strerror(errno))
            close(fd)
            unlink(tempPath)
            throw ColumnarError.io(path: path, message: "fsync failed (\(message))")
        }
        close(fd)
        if rename(tempPath, path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(tempPath)
            throw ColumnarError.io(path: path, message: "cannot move output into place (\(message))")
        }
    }

    /// Discards everything written; the target is left as it was.
    public func abort() {
        committed = true
        guard let tempPath else { return }
        close(fd)
        unlink(tempPath)
    }
}
