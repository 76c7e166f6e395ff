/// Options for writing CSV.
public struct CSVWriteOptions: Sendable {
    /// The field separator byte (default `,`).
    public var delimiter: UInt8
    /// Whether the first line holds the column names.
    public var header: Bool

    public init(delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true) {
        self.delimiter = delimiter
        self.header = header
    }
}

/// Writes tables as RFC 4180 CSV, batch by batch, landing atomically on `commit()`.
///
/// Nulls are written as empty fields and empty strings as `""`, so `CSVReader` reads back
/// exactly what was written. Fields holding the delimiter, a quote, CR or LF are quoted with
/// inner quotes doubled. Doubles use the shortest round-trip form; timestamps are ISO 8601 UTC
/// (`2025-03-04T12:34:56Z`) and dates `YYYY-MM-DD`. O(bytes written); memory is one buffer.
public final class CSVWriter {
    public let schema: Schema
    private let options: CSVWriteOptions
    private let file: AtomicFileWriter

    /// Opens `path` (a temporary file beside it until `commit()`; `-` is standard output) and
    /// writes the header.
    public init(path: String, schema: Schema, options: CSVWriteOptions = .init()) throws {
        self.schema = schema
        self.options = options
        file = try AtomicFileWriter(path: path)
        if options.header {
            let delimiter = options.delimiter
            try file.append { buf in
                for (i, f) in schema.fields.enumerated() {
                    if i > 0 { buf.append(delimiter) }
                    var name = f.name
                    name.withUTF8 { CSVFieldFormatter.appendQuotedIfNeeded($0, delimiter: delimiter, to: &buf, emptyAsQuoted: false) }
                }
                buf.append(0x0A)
            }
        }
    }

    /// Appends the rows of `batch`, whose column names and types must equal the writer's schema.
    public func write(_ batch: Table) throws {
        guard batch.schema.fields.map(\.type) == schema.fields.map(\.type), batch.columnNames == schema.names else {
            throw ColumnarError.invalidArgument("\(file.path): batch schema \(batch.schema) does not match the writer's \(schema)")
        }
        let rows = batch.rowCount
        let delimiter = options.delimiter
        var start = 0
        // Rows are formatted in slices so the buffer flushes regularly on huge batches.
        while start < rows {
            let end = min(rows, start + 8192)
            try file.append { buf in
                for r in start..<end {
                    for (c, column) in batch.columns.enumerated() {
                        if c > 0 { buf.append(delimiter) }
                        CSVFieldFormatter.append(column, row: r, delimiter: delimiter, to: &buf)
                    }
                    buf.append(0x0A)
                }
            }
            start = end
        }
    }

    /// Flushes and atomically moves the file into place.
    public func commit() throws { try file.commit() }

    /// Discards the output; any previous file at the path is left untouched.
    public func abort() { file.abort() }

    /// Writes a whole table to `path` atomically.
    public static func write(_ table: Table, to path: String, options: CSVWriteOptions = .init()) throws {
        let writer = try CSVWriter(path: path, schema: table.schema, options: options)
        do {
            try writer.write(table)
            try writer.commit()
        } catch {
            writer.abort()
            throw error
        }
    }

    /// A table rendered as CSV text (for small outputs and tests).
    public static func string(_ table: Table, options: CSVWriteOptions = .init()) -> String {
        var buf: [UInt8] = []
        if options.header {
            for (i, f) in table.schema.fields.enumerated() {
                if i > 0 { buf.append(options.delimiter) }
                var name = f.name
                name.withUTF8 { CSVFieldFormatter.appendQuotedIfNeeded($0, delimiter: options.delimiter, to: &buf, emptyAsQuoted: false) }
            }
            buf.append(0x0A)
        }
        for r in 0..<table.rowCount {
            for (c, column) in table.columns.enumerated() {
                if c > 0 { buf.append(options.delimiter) }
                CSVFieldFormatter.append(column, row: r, delimiter: options.delimiter, to: &buf)
            }
            buf.append(0x0A)
        }
        return String(decoding: buf, as: UTF8.self)
    }
}

/// Formats single cells into CSV bytes without intermediate Strings where possible.
enum CSVFieldFormatter {
    static func append(_ column: Column, row: Int, delimiter: UInt8, to buf: inout [UInt8]) {
        if column.isNull(row) { return }
        switch column.data {
        case let .int64(a): appendInt(a[row], to: &buf)
        case let .int32(a): appendInt(Int64(a[row]), to: &buf)
        case let .double(a): appendText(formatDouble(a[row]), to: &buf)
        case let .float(a): appendText(formatDouble(Double(a[row])), to: &buf)
        case let .bool(a): appendText(a[row] ? "true" : "false", to: &buf)
        case let .string(s), let .binary(s):
            let range = s.range(row)
            s.bytes.withUnsafeBufferPointer { p in
                appendQuotedIfNeeded(UnsafeBufferPointer(rebasing: p[range]), delimiter: delimiter, to: &buf, emptyAsQuoted: true)
            }
        case let .date(a): appendText(CivilTime.formatDate(days: a[row]), to: &buf)
        case let .timestamp(a): appendTimestamp(a[row], to: &buf)
        case let .decimal(a, _, s): appendText(formatDecimal(a[row], scale: s), to: &buf)
        case let .decimal128(a, _, s): appendText(formatDecimal(a[row], scale: s), to: &buf)
        case .list, .structure, .map:
            // A nested cell is written as its JSON text (quoted as CSV needs).
            var text = column.value(at: row).jsonText
            text.withUTF8 { appendQuotedIfNeeded($0, delimiter: delimiter, to: &buf, emptyAsQuoted: true) }
        }
    }

    static func appendText(_ s: String, to buf: inout [UInt8]) {
        var s = s
        s.withUTF8 { buf.append(contentsOf: $0) }
    }

    static func appendInt(_ v: Int64, to buf: inout [UInt8]) {
        if v == 0 { buf.append(0x30); return }
        var m = v.magnitude
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let n = withUnsafeMutableBytes(of: &tmp) { raw -> Int in
            var i = 24
            while m > 0 {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30
                m /= 10
            }
            if v < 0 { buf.append(0x2D) }
            buf.append(contentsOf: raw[i..<24])
            return 24 - i
        }
        _ = n
    }

    private static func two(_ v: Int, to buf: inout [UInt8]) {
        buf.append(UInt8(v / 10) + 0x30)
        buf.append(UInt8(v % 10) + 0x30)
    }

    /// ISO 8601 UTC, `.ffffff` only when there are fractional microseconds.
    static func appendTimestamp(_ micros: Int64, to buf: inout [UInt8]) {
        var days = micros / 86_400_000_000
        var rem = micros % 86_400_000_000
        if rem < 0 { rem += 86_400_000_000; days -= 1 }
        let c = CivilTime.civil(days: Int(days))
        guard c.year >= 0, c.year <= 9999 else { appendText(CivilTime.formatTimestamp(micros: micros), to: &buf); return }
        two(c.year / 100, to: &buf); two(c.year % 100, to: &buf); buf.append(0x2D)
        two(c.month, to: &buf); buf.append(0x2D); two(c.day, to: &buf); buf.append(0x54)
        let secs = Int(rem / 1_000_000), frac = Int(rem % 1_000_000)
        two(secs / 3600, to: &buf); buf.append(0x3A); two(secs / 60 % 60, to: &buf); buf.append(0x3A); two(secs % 60, to: &buf)
        if frac != 0 {
            buf.append(0x2E)
            var f = frac
            var digits = [UInt8](repeating: 0x30, count: 6)
            for i in stride(from: 5, through: 0, by: -1) { digits[i] = UInt8(f % 10) + 0x30; f /= 10 }
            buf.append(contentsOf: digits)
        }
        buf.append(0x5A)
    }

    /// Writes `field`, quoting it when it contains the delimiter, a quote, CR or LF, or when it
    /// is empty and `emptyAsQuoted` (so an empty string is not read back as null).
    static func appendQuotedIfNeeded(_ field: UnsafeBufferPointer<UInt8>, delimiter: UInt8, to buf: inout [UInt8], emptyAsQuoted: Bool) {
        if field.isEmpty {
            if emptyAsQuoted { buf.append(0x22); buf.append(0x22) }
            return
        }
        var needs = false
        for b in field where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
            needs = true
            break
        }
        if !needs { buf.append(contentsOf: field); return }
        buf.append(0x22)
        for b in field {
            if b == 0x22 { buf.append(0x22) }
            buf.append(b)
        }
        buf.append(0x22)
    }
}
