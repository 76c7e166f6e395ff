import Foundation

/// Paths inside a table: URI encoding of `add.path`, hive-style partition directories, and
/// the containment check that keeps every path in the log inside the table root.
public enum TablePaths {
    /// The directory value Hive and Spark write for a null partition value.
    public static let nullPartition = "__HIVE_DEFAULT_PARTITION__"

    /// Characters escaped in a partition directory name (Hive's escapePathName set, plus `%`).
    static func needsHiveEscape(_ b: UInt8) -> Bool {
        if b < 0x20 || b == 0x7F { return true }
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "'"), UInt8(ascii: "*"),
             UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "\\"),
             UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "^"): return true
        default: return false
        }
    }

    /// `name=value` with Hive escaping (`%XX`); nil becomes `__HIVE_DEFAULT_PARTITION__`.
    /// Escaping `/` and `.`-only names is what keeps a value like `../x` inside its directory.
    public static func partitionSegment(_ name: String, _ value: String?) -> String {
        func escUTF8(_ s: String) -> String {
            var bytes: [UInt8] = []
            for b in s.utf8 {
                if needsHiveEscape(b) { bytes.append(contentsOf: Array(String(format: "%%%02X", b).utf8)) } else { bytes.append(b) }
            }
            var text = String(decoding: bytes, as: UTF8.self)
            if text == "." || text == ".." { text = text.replacingOccurrences(of: ".", with: "%2E") }
            return text
        }
        guard let value else { return escUTF8(name) + "=" + nullPartition }
        return escUTF8(name) + "=" + (value.isEmpty ? nullPartition : escUTF8(value))
    }

    /// Percent-encodes a relative path for `add.path` (RFC 3986 unreserved and `/` kept).
    public static func uriEncode(_ path: String) -> String {
        var out: [UInt8] = []
        for b in path.utf8 {
            let keep = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "~")
                || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
            if keep { out.append(b) } else { out.append(contentsOf: Array(String(format: "%%%02X", b).utf8)) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes; malformed escapes are an error (a log path we cannot read).
    public static func uriDecode(_ path: String) throws -> String {
        var out: [UInt8] = []
        let b = Array(path.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, let v = UInt8(String(decoding: b[i + 1...i + 2], as: UTF8.self), radix: 16) else {
                    throw DeltaError.unsafePath("'\(path)' has a malformed %-escape")
                }
                out.append(v)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The filesystem path of a log path (`add.path`/`remove.path`), refusing anything that
    /// leaves `root`: `..` segments, NUL bytes, and absolute paths or `file:` URIs outside root.
    /// Other URI schemes (s3://, ...) are refused: this reader only reads local tables.
    public static func resolve(_ logPath: String, root: String) throws -> String {
        var decoded = try uriDecode(logPath)
        if decoded.hasPrefix("file://") { decoded = String(decoded.dropFirst(7)) }
        else if decoded.hasPrefix("file:") { decoded = String(decoded.dropFirst(5)) }
        else if let colon = decoded.firstIndex(of: ":"), let slash = decoded.firstIndex(of: "/"), colon < slash,
                decoded[decoded.index(after: colon)...].hasPrefix("//") {
            throw DeltaError.unsafePath("'\(logPath)' is a remote URI; only local tables are supported")
        }
        guard !decoded.isEmpty, !decoded.utf8.contains(0) else { throw DeltaError.unsafePath("'\(logPath)' is empty or contains NUL") }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.contains(where: { $0 == ".." }) else {
            throw DeltaError.unsafePath("'\(logPath)' contains '..' and would leave the table root")
        }
        if decoded.hasPrefix("/") {
            let absRoot = absolute(root)
            let normalized = "/" + segments.filter { $0 != "." }.joined(separator: "/")
            guard normalized.hasPrefix(absRoot + "/") else {
                throw DeltaError.unsafePath("'\(logPath)' is an absolute path outside the table root \(absRoot)")
            }
            return normalized
        }
        return root + "/" + segments.filter { $0 != "." }.joined(separator: "/")
    }

    /// `path` made absolute against the working directory, with `.`/`..` folded.
    public static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for s in base.split(separator: "/") {
            if s == "." { continue }
            if s == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(s)
        }
        return "/" + parts.joined(separator: "/")
    }
}
