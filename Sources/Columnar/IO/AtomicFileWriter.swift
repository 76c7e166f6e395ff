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
///
/// What is at `path` is never replaced by something else: a character or block device, FIFO
/// or socket (`/dev/null`, a named pipe) is opened and written directly; `/dev/stdout` and
/// `/dev/stderr` write to descriptors 1 and 2; a symlink is followed and its target replaced
/// atomically (the link stays a link); a directory, or a symlink that leads nowhere, is an
/// error raised before anything is written.
public final class AtomicFileWriter {
    public let path: String
    private let tempPath: String?
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    private let bufferLimit = 1 << 20
    /// The regular file renamed over on commit (`path`, or a symlink's resolved target).
    private var target: String
    /// True for a device/FIFO/socket opened here (closed on commit or abort).
    private var ownsDescriptor = false

    /// Opens `path` for direct writing when it is a device, FIFO or socket; nil when it is
    /// absent or a regular file (or a symlink to one). Throws for a directory.
    static func openSpecial(_ path: String) throws -> Int32? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw ColumnarError.io(path: path, message: "is a directory; expected a file to write") }
        if kind == S_IFREG { return nil }
        // Devices, FIFOs and sockets are written in place: replacing them would break them.
        let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw ColumnarError.io(path: path, message: "cannot open for writing (\(String(cString: strerror(errno))))") }
        return fd
    }

    /// The regular file to replace for `path`: a symlink's final target (so the link survives).
    static func replaceablePath(_ path: String) throws -> String {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return path }
        guard let resolved = realpath(path, nil) else {
            throw ColumnarError.io(path: path, message: "is a symlink whose target cannot be resolved (\(String(cString: strerror(errno)))); refusing to replace the link")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Opens a temporary file beside `path`, created with permission bits `mode` (before the
    /// umask; the file keeps them when it lands). Throws `ColumnarError.io` if the directory
    /// is not writable.
    public init(path: String, mode: UInt32 = 0o644) throws {
        self.path = path
        target = path
        if path == "-" || path == "/dev/stdout" || path == "/dev/fd/1" || path == "/proc/self/fd/1" {
            tempPath = nil
            fd = 1
        } else if path == "/dev/stderr" || path == "/dev/fd/2" || path == "/proc/self/fd/2" {
            tempPath = nil
            fd = 2
        } else if let special = try AtomicFileWriter.openSpecial(path) {
            tempPath = nil
            fd = special
            ownsDescriptor = true
        } else {
            let path = try AtomicFileWriter.replaceablePath(path)
            self.target = path
            let slash = path.lastIndex(of: "/")
            let dir = slash.map { String(path[..<$0]) } ?? "."
            let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
            let tmp = (dir.isEmpty ? "/" : dir + "/") + ".\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
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
        guard let tempPath else {
            if ownsDescriptor { close(fd) }
            return
        }
        if fsync(fd) != 0 {
            let message = String(cString: strerror(errno))
            close(fd)
            unlink(tempPath)
            throw ColumnarError.io(path: path, message: "fsync failed (\(message))")
        }
        close(fd)
        if rename(tempPath, target) != 0 {
            let message = String(cString: strerror(errno))
            unlink(tempPath)
            throw ColumnarError.io(path: path, message: "cannot move output into place (\(message))")
        }
        // The rename is durable only once the directory entry is: fsync the directory too.
        let slash = target.lastIndex(of: "/")
        let dir = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Discards everything written; the target is left as it was.
    public func abort() {
        committed = true
        guard let tempPath else {
            if ownsDescriptor { close(fd) }
            return
        }
        close(fd)
        unlink(tempPath)
    }
}
