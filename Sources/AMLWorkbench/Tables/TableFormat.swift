/// The storage formats a table is read from and written to.
public enum TableFormat: String, CaseIterable, Sendable {
    case csv, parquet, delta

    /// Parses a `--format` value (case-insensitive); nil text is nil.
    public static func parse(_ text: String?) throws -> TableFormat? {
        guard let text else { return nil }
        guard let f = TableFormat(rawValue: text.lowercased()) else { throw TableIOError("--format \(text): expected csv, parquet or delta") }
        return f
    }
}

/// A table that cannot be found, read or written as asked: a message naming the path and what
/// to change.
public struct TableIOError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Text encodings a CSV input may use; anything else is read after transcoding to UTF-8.
public enum TextEncoding: String, CaseIterable, Sendable, Codable {
    case utf8 = "utf-8"
    case latin1 = "latin-1"
    case windows1252 = "windows-1252"

    /// Accepts the spellings people write: `utf8`, `UTF-8`, `iso-8859-1`, `latin1`, `cp1252`.
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1": self = .latin1
        case "windows-1252", "cp1252", "windows1252": self = .windows1252
        default: return nil
        }
    }
}
