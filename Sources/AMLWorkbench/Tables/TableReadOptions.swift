import Columnar

/// How a table is read: which columns, type overrides, and for CSV the delimiter and the text
/// encoding. Parquet and Delta carry their own types and ignore the CSV-only fields.
public struct TableReadOptions: Sendable {
    /// Read only these columns (nil: all).
    public var columns: [String]?
    /// Type overrides (CSV only); columns absent from the file are ignored when
    /// `typesForPresentColumnsOnly` is set.
    public var types: [String: DataType] = [:]
    /// Apply `types` only to the columns the header has (overrides for optional columns).
    public var typesForPresentColumnsOnly = false
    /// CSV field separator (default `,`).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// CSV text encoding (default UTF-8; a UTF-8 byte-order mark is always skipped).
    public var encoding: TextEncoding = .utf8
    /// When set, CSV columns without an override get this type instead of an inferred one
    /// (`.string` reads every field as text, as a raw bronze ingest wants).
    public var defaultType: DataType?
    /// When set, CSV rows that fail to parse go here (`line,error,record`) instead of failing.
    public var rejectPath: String?

    public init(columns: [String]? = nil, types: [String: DataType] = [:]) {
        self.columns = columns
        self.types = types
    }

    /// Parses a `--delimiter` value: one character, or `tab`, `\t`, `semicolon`, `comma`, `pipe`.
    public static func delimiter(_ text: String) throws -> UInt8 {
        switch text.lowercased() {
        case "tab", "\\t", "\t": return 9
        case "semicolon": return UInt8(ascii: ";")
        case "comma": return UInt8(ascii: ",")
        case "pipe": return UInt8(ascii: "|")
        default:
            guard text.utf8.count == 1, let b = text.utf8.first, b != UInt8(ascii: "\""), b != 10, b != 13 else {
                throw TableIOError("delimiter '\(text)': expected one ASCII character other than a quote or newline (or tab, semicolon, comma, pipe)")
            }
            return b
        }
    }
}
