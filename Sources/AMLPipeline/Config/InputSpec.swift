// `inputs.<table>` of the pipeline config: where a bank's file is and how to read it.
import AMLWorkbench
import Columnar
import Foundation

/// How to read one input as the bank wrote it: path, delimiter, encoding, timestamp format and
/// zone, the bank's column names for our canonical ones, and value spellings.
public struct InputSpec: ConfigSection, Equatable {
    /// CSV, Parquet or a Delta table; relative to the config file.
    public var path = ""
    public var delimiter = ","
    public var encoding = "utf-8"
    /// strftime-style (`%d/%m/%Y %H:%M`); empty: ISO 8601.
    public var timestampFormat = ""
    /// Zone of timestamps written without one.
    public var timezone = "UTC"
    /// Canonical column -> the file's column.
    public var columns: [String: String] = [:]
    /// Canonical column -> {the file's value: canonical value}, matched case-insensitively.
    public var values: [String: [String: String]] = [:]

    public init() {}
    enum CodingKeys: String, CodingKey { case path, delimiter, encoding, timestampFormat = "timestamp_format", timezone, columns, values }

    public static let documentation: [(key: String, text: String)] = [
        ("path", "the file: CSV, Parquet or a Delta table directory, relative to this config file"),
        ("delimiter", "CSV field separator: one character, or tab, semicolon, comma, pipe (a UTF-8 BOM is skipped)"),
        ("encoding", "utf-8, latin-1 or windows-1252"),
        ("timestamp_format", "strftime-style, e.g. \"%d/%m/%Y %H:%M:%S\"; empty: ISO 8601"),
        ("timezone", "zone of timestamps written without one: UTC, Europe/Paris, +02:00"),
        ("columns", "canonical name: the file's column (canonical columns a file lacks are null)"),
        ("values", "canonical column: {the file's value: canonical value}, matched case-insensitively"),
    ]

    public func problems() -> [(key: String, message: String)] {
        var out: [(key: String, message: String)] = []
        if path.isEmpty { out.append(("path", "missing: give the input file")) }
        if (try? TableReadOptions.delimiter(delimiter)) == nil { out.append(("delimiter", "'\(delimiter)' is not one character (or tab, semicolon, comma, pipe)")) }
        if TextEncoding(name: encoding) == nil { out.append(("encoding", "'\(encoding)' is not utf-8, latin-1 or windows-1252")) }
        if !timestampFormat.isEmpty, let e = (Result { try TimestampFormat(timestampFormat) }).failure { out.append(("timestamp_format", "\(e)")) }
        if TimestampFormat.zone(timezone) == nil { out.append(("timezone", "'\(timezone)' is not UTC, an IANA zone such as Europe/Paris, or an offset such as +02:00")) }
        return out
    }

    /// The CSV read options these settings name.
    public func readOptions() throws -> TableReadOptions {
        var o = TableReadOptions()
        o.delimiter = try TableReadOptions.delimiter(delimiter)
        o.encoding = TextEncoding(name: encoding) ?? .utf8
        return o
    }

    /// How bronze parses values of this input.
    public func parsing() throws -> BronzeParsing {
        var p = BronzeParsing()
        p.timestamps = try timestampFormat.isEmpty ? nil : TimestampFormat(timestampFormat, timezone: timezone)
        p.timezone = TimestampFormat.zone(timezone) ?? TimeZone(secondsFromGMT: 0)!
        p.values = values.mapValues { m in Dictionary(m.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a }) }
        return p
    }
}

extension Result {
    var failure: Failure? { if case let .failure(e) = self { return e } else { return nil } }
}
