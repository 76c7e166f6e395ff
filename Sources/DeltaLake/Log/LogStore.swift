import Columnar
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a table's `_delta_log/`: listing, reading commits, and the one atomic step
/// of the whole design, put-if-absent of a commit file (PROTOCOL.md requires that a log
/// entry is never overwritten).
public struct LogStore: Sendable {
    /// Table root directory (no trailing slash).
    public let root: String
    public var logDirectory: String { root + "/_delta_log" }
    /// Claim versions with link(2) (the default); false uses the lock-and-rename fallback.
    public var useHardLinks = true

    public init(root: String) {
        var r = root
        while r.count > 1, r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    /// `_delta_log/%020d.json`.
    public func commitPath(_ version: Int64) -> String {
        logDirectory + "/" + LogStore.padded(version) + ".json"
    }

    /// `_delta_log/%020d.checkpoint.parquet`.
    public func checkpointPath(_ version: Int64) -> String {
        logDirectory + "/" + LogStore.padded(version) + ".checkpoint.parquet"
    }

    static func padded(_ v: Int64) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, 20 - s.count)) + s
    }

    /// What the log directory holds, by version.
    public struct Listing: Sendable {
        /// Versions with a `%020d.json` commit file, ascending.
        public var commits: [Int64] = []
        /// Versions with a single-file classic checkpoint, ascending.
        public var checkpoints: [Int64] = []
        /// Versions with a multi-part checkpoint: version -> part paths (complete sets only).
        public var multipartCheckpoints: [Int64: [String]] = [:]
        /// Versions with UUID-named V2 checkpoints (`%020d.checkpoint.<uuid>.json|parquet`):
        /// version -> their paths, sorted (each is a whole checkpoint on its own).
        public var uuidCheckpoints: [Int64: [String]] = [:]
        /// Every version some checkpoint covers, ascending.
        public var checkpointVersions: [Int64] {
            Set(checkpoints).union(multipartCheckpoints.keys).union(uuidCheckpoints.keys).sorted()
        }
    }

    /// Lists `_delta_log/`. Files that are not commits or checkpoints (temp files, CRCs,
    /// `_last_checkpoint`) are ignored. O(files).
    public func list() throws -> Listing {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: logDirectory) else {
            throw DeltaError.notATable(root)
        }
        var listing = Listing()
        var parts: [Int64: (total: Int, paths: [String])] = [:]
        for name in names {
            guard name.count >= 25, name.utf8.prefix(20).allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let version = Int64(name.prefix(20)) else { continue }
            let rest = name.dropFirst(20)
            if rest == ".json" { listing.commits.append(version) }
            else if rest == ".checkpoint.parquet" { listing.checkpoints.append(version) }
            else if rest.hasPrefix(".checkpoint."), rest.hasSuffix(".parquet") {
                let fields = rest.dropFirst(12).dropLast(8).split(separator: ".", omittingEmptySubsequences: false)
                if fields.count == 2, let _ = Int(fields[0]), let total = Int(fields[1]), total > 0 {
                    parts[version, default: (total, [])].paths.append(logDirectory + "/" + name)
                } else if fields.count == 1, LogStore.isCheckpointUUID(fields[0]) {
                    listing.uuidCheckpoints[version, default: []].append(logDirectory + "/" + name)
                }
            } else if rest.hasPrefix(".checkpoint."), rest.hasSuffix(".json"), LogStore.isCheckpointUUID(rest.dropFirst(12).dropLast(5)) {
                listing.uuidCheckpoints[version, default: []].append(logDirectory + "/" + name)
            }
        }
        listing.commits.sort()
        listing.checkpoints.sort()
        for (v, p) in parts where p.paths.count == p.total { listing.multipartCheckpoints[v] = p.paths.sorted() }
        for v in listing.uuidCheckpoints.keys { listing.uuidCheckpoints[v]!.sort() }
        return listing
    }

    /// The `u` of a UUID-named checkpoint `n.checkpoint.u.{json,parquet}` (PROTOCOL.md
    /// "UUID-named checkpoint"): hex digits and dashes, as a UUID is written.
    static func isCheckpointUUID(_ s: Substring) -> Bool {
        s.utf8.count >= 8 && s.utf8.count <= 64 && s.utf8.allSatisfy { b in
            (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102) || b == 45
        }
    }

    /// Reads one commit file into actions.
    public func readCommit(_ version: Int64) throws -> [DeltaAction] {
        let path = commitPath(version)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeltaError.versionNotFound("\(path): commit \(version) cannot be read")
        }
        return try LogStore.parseActions(data: data, file: path)
    }

    /// Parses newline-delimited JSON actions; blank lines are skipped and a line may end in
    /// CRLF (a log edited or copied on Windows).
    public static func parseActions(data: Data, file: String) throws -> [DeltaAction] {
        var actions: [DeltaAction] = []
        let text = String(decoding: data, as: UTF8.self)
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) { continue }
            let ctx = "\(file):\(lineNumber)"
            let text = line.last == "\r" ? line.dropLast() : line[...]
            actions.append(try DeltaAction.decode(try JSONValue.parse(String(text), context: ctx), context: ctx))
        }
        return actions
    }

    /// Serialises actions as newline-delimited JSON.
    public static func serialize(_ actions: [DeltaAction]) -> [UInt8] {
        var out: [UInt8] = []
        for a in actions {
            a.json.write(into: &out)
            out.append(0x0A)
        }
        return out
    }

    /// Writes commit `version` only if no such file exists, atomically: the bytes go to a
    /// private temp file, are fsynced, then hard-linked to the final name (link(2) fails with
    /// EEXIST if another writer won). Returns false when the version is taken.
    /// If the filesystem refuses hard links (or `useHardLinks` is off), falls back to
    /// O_CREAT|O_EXCL on a lock name followed by rename, which is still exclusive among
    /// writers that follow this protocol; the commit file only ever appears complete.
    public func putIfAbsent(version: Int64, bytes: [UInt8]) throws -> Bool {
        try createDirectory(logDirectory)
        let target = commitPath(version)
        let temp = logDirectory + "/.\(LogStore.padded(version)).json.\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        try LogStore.writeDurably(path: temp, bytes: bytes, mode: fileMode)
        defer { unlink(temp) }
        if useHardLinks {
            if link(temp, target) == 0 {
                LogStore.syncDirectory(logDirectory)
                return true
            }
            let err = errno
            if err == EEXIST { return false }
            guard err == EPERM || err == ENOTSUP || err == EXDEV || err == EMLINK else {
                throw DeltaError.io(target, "cannot link commit into place (\(String(cString: strerror(err))))")
            }
        }
        // No hard links: the version is claimed by creating a lock name exclusively (kept, so
        // a late writer can never claim it again), then the complete, fsynced temp file is
        // renamed into place. Readers never see a partial commit.
        let lock = logDirectory + "/." + LogStore.padded(version) + ".json.lock"
        let fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(fileMode))
        if fd < 0 {
            if errno == EEXIST {
                // Claimed by another writer, which renames within moments; a claim with no
                // commit long after means that writer died in between.
                if !FileManager.default.fileExists(atPath: target), let t = LogStore.modificationTimeMillis(lock),
                   DeltaTransaction.nowMillis() - t > 600_000 {
                    throw DeltaError.io(lock, "claims commit \(version), but no commit appeared for over 10 minutes: a writer died while committing; delete this file once no writer is running")
                }
                return false
            }
            throw DeltaError.io(lock, "cannot claim commit \(version) (\(String(cString: strerror(errno))))")
        }
        close(fd)
        if FileManager.default.fileExists(atPath: target) { return false }
        guard rename(temp, target) == 0 else {
            throw DeltaError.io(target, "cannot move commit into place (\(String(cString: strerror(errno))))")
        }
        LogStore.syncDirectory(logDirectory)
        return true
    }

    /// Creates a file with `bytes` and fsyncs it (O_EXCL: never reuses a name).
    static func writeDurably(path: String, bytes: [UInt8], mode: UInt32 = 0o600) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw DeltaError.io(path, "cannot create file (\(String(cString: strerror(errno))))") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let m = String(cString: strerror(errno))
                close(fd)
                unlink(path)
                throw DeltaError.io(path, "write failed (\(m))")
            }
            offset += n
        }
        if fsync(fd) != 0 {
            let m = String(cString: strerror(errno))
            close(fd)
            unlink(path)
            throw DeltaError.io(path, "fsync failed (\(m))")
        }
        close(fd)
    }

    static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// The table's permission bits: the root directory's (0o700 when it does not exist yet).
    /// Everything the table creates follows them, so a lake created owner-only stays so and a
    /// lake whose root was widened (`chmod 750`, or `DeltaWriteOptions.directoryMode`) is shared.
    public var directoryMode: UInt32 {
        var st = stat()
        guard stat(root, &st) == 0 else { return 0o700 }
        return UInt32(st.st_mode) & 0o777
    }

    /// Files get the directory's read and write bits (0o600 for a 0o700 table).
    public var fileMode: UInt32 { directoryMode & 0o666 }

    func createDirectory(_ dir: String) throws {
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(directoryMode)]) }
        catch { throw DeltaError.io(dir, "cannot create directory (\(error.localizedDescription))") }
    }

    /// `_delta_log/_last_checkpoint`: the newest checkpoint's version (a hint only; the listing
    /// is authoritative, so a stale or torn hint never hides data).
    public func readLastCheckpoint() -> Int64? {
        guard let data = FileManager.default.contents(atPath: logDirectory + "/_last_checkpoint"),
              let json = try? JSONValue.parse(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), context: "_last_checkpoint") else { return nil }
        return json["version"]?.int64Value
    }

    /// Replaces `_last_checkpoint` atomically (temp + rename).
    public func writeLastCheckpoint(version: Int64, size: Int64, sizeInBytes: Int64) throws {
        let json = JSONValue.object([("version", .int(version)), ("size", .int(size)), ("sizeInBytes", .int(sizeInBytes))])
        do {
            let w = try AtomicFileWriter(path: logDirectory + "/_last_checkpoint", mode: fileMode)
            try w.write(json.serialized + "\n")
            try w.commit()
        } catch let e as ColumnarError { throw DeltaError.io(logDirectory + "/_last_checkpoint", e.description) }
    }

    /// Modification time of a file in ms since the epoch, or nil.
    public static func modificationTimeMillis(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec) * 1000 + Int64(st.st_mtim.tv_nsec) / 1_000_000
    }

    /// File size in bytes, or nil.
    public static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }
}
