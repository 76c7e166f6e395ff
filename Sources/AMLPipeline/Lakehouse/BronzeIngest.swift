// Bronze: raw ingest that loses nothing. Every field is read as text and converted to the
// declared schema; a value that does not convert becomes null in its column and is kept,
// verbatim, in `_rescued_data` (Databricks Auto Loader's rescued-data column). Columns the
// schema does not know, and records that cannot be split into fields at all, are rescued
// the same way.
import AMLWorkbench
import Columnar
import Foundation

/// The declared schemas of the inputs the pipeline knows (the accelerator's schemas).
public enum InputSchemas {
    public static let entities = Schema([
        Field("entity_id", .int64), Field("name", .string), Field("address", .string), Field("email_addr", .string),
        Field("phone_number", .string), Field("ssn", .string), Field("entity_type", .string), Field("risk_score", .double),
    ])
    public static let transactions = Schema([
        Field("txn_id", .int64), Field("originator_id", .int64), Field("beneficiary_id", .int64),
        Field("txn_amount", .double), Field("txn_ts", .timestamp), Field("rptd_originator_address", .string),
        Field("rptd_originator_name", .string),
    ])
    public static let dedupe = Schema([
        Field("record_id", .int64), Field("org_name", .string), Field("address", .string), Field("country", .string),
        Field("amount", .double),
    ])
}

/// How bronze reads a bank's values: its column names, timestamp format and zone, and value
/// spellings (see `InputSpec`). The default reads canonical files as before: ISO 8601 in UTC.
public struct BronzeParsing: Sendable {
    /// strftime-style timestamps; nil: ISO 8601.
    public var timestamps: TimestampFormat?
    /// Zone of ISO timestamps written without an offset.
    public var timezone = TimeZone(secondsFromGMT: 0)!
    /// Canonical column -> {lowercased file value: canonical value}.
    public var values: [String: [String: String]] = [:]
    /// Canonical column -> the file's column.
    public var columns: [String: String] = [:]
    /// CSV reading (delimiter, encoding).
    public var read = TableReadOptions()
    public init() {}

    /// Id columns: integers when every value is one, otherwise text (ids as given).
    public static let idColumns: Set<String> = ["entity_id", "txn_id", "originator_id", "beneficiary_id", "record_id"]
    /// Canonical spellings matched case-insensitively without a mapping.
    static let canonicalValues: [String: [String: String]] = ["entity_type": ["person": "Person", "company": "Company"]]
}

/// One input file turned into a bronze table.
public struct BronzeBatch: Sendable {
    /// The declared columns, then `_rescued_data`, `_source_file`, `_ingest_ts`.
    public var table: Table
    /// Rows with at least one rescued value.
    public var rescuedRows: Int
    /// Records that could not be split into fields (kept whole in `_rescued_data`).
    public var corruptRecords: Int
}

public enum BronzeIngest {
    /// Columns bronze adds to every table.
    public static let metadataFields = [Field("_rescued_data", .string), Field("_source_file", .string), Field("_ingest_ts", .timestamp)]

    /// Reads the CSV at `path` against `schema`. O(file size).
    /// Throws only for what cannot be read at all (missing file, bad UTF-8, empty file).
    public static func ingest(path: String, schema: Schema, sourceName: String? = nil, ingestMicros: Int64, parsing: BronzeParsing = .init()) throws -> BronzeBatch {
        let rejects = NSTemporaryDirectory() + "amlgraph-bronze-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: rejects) }
        var options = parsing.read
        options.defaultType = .string
        options.rejectPath = rejects
        let raw = try TableIO.read(path, options: options)
        let rejectedRows = FileManager.default.fileExists(atPath: rejects) ? (try? CSVReader(path: rejects).readAll().rowCount) ?? 0 : 0
        let source = sourceName ?? path

        let (conformed, rescuedRows) = try conform(try renamed(raw, parsing, file: path), to: schema, parsing: parsing)
        var good = conformed

        // Records the CSV parser rejected (wrong field count, bad quoting) keep their raw text.
        var corrupt: [String] = []
        if rejectedRows > 0 {
            let rejected = try CSVReader.read(path: rejects) { $0.defaultType = .string }
            let line = try rejected.column("line"), error = try rejected.column("error"), record = try rejected.column("record")
            for r in 0..<rejected.rowCount {
                corrupt.append(json([("_corrupt_record", record.value(at: r).stringValue ?? ""),
                                     ("_error", "line \(line.value(at: r).description): \(error.value(at: r).stringValue ?? "")")]))
            }
        }
        if !corrupt.isEmpty {
            var nulls = try good.schema.fields.dropLast().map { try Column(type: $0.type, values: Array(repeating: .null, count: corrupt.count)) }
            nulls.append(.string(corrupt))
            good = try Table.concatenate([good, try Table(schema: good.schema, columns: nulls)])
        }
        return BronzeBatch(table: try stamp(good, source: source, ingestMicros: ingestMicros),
                           rescuedRows: rescuedRows + corrupt.count, corruptRecords: corrupt.count)
    }

    /// A typed input (Parquet, Delta) against `schema`: columns of the declared type are kept
    /// as they are; others are converted through their text form, with the same rescue rules.
    public static func ingest(table: Table, schema: Schema, sourceName: String, ingestMicros: Int64, parsing: BronzeParsing = .init()) throws -> BronzeBatch {
        let (good, rescuedRows) = try conform(try renamed(table, parsing, file: sourceName), to: schema, parsing: parsing)
        return BronzeBatch(table: try stamp(good, source: sourceName, ingestMicros: ingestMicros), rescuedRows: rescuedRows, corruptRecords: 0)
    }

    static func stamp(_ t: Table, source: String, ingestMicros: Int64) throws -> Table {
        try t.adding("_source_file", .string(Array(repeating: source, count: t.rowCount)))
            .adding("_ingest_ts", .timestamp(Array(repeating: ingestMicros, count: t.rowCount)))
    }

    /// The file's columns under their canonical names (`parsing.columns`); a mapped column
    /// the file lacks is an error naming the config key and the file's columns.
    static func renamed(_ raw: Table, _ parsing: BronzeParsing, file: String) throws -> Table {
        guard !parsing.columns.isEmpty else { return raw }
        var names = raw.columnNames
        for (canonical, fileColumn) in parsing.columns.sorted(by: { $0.key < $1.key }) {
            guard let i = names.firstIndex(of: fileColumn) else {
                let hint = KeySuggestion.nearest(fileColumn, in: raw.columnNames).map { " (did you mean '\($0)'?)" } ?? ""
                throw PipelineError.missingInput("\(file): no column '\(fileColumn)' for columns.\(canonical)\(hint); the file's columns are \(raw.columnNames.joined(separator: ", "))")
            }
            if let clash = names.firstIndex(of: canonical), clash != i { names[clash] = "_original_" + canonical }
            names[i] = canonical
        }
        return try Table(zip(names, raw.columns).map { ($0, $1) })
    }

    /// The declared columns (converted, unconvertible values nulled), the file's other
    /// columns as they are, and `_rescued_data`; and the number of rows that rescued something.
    /// Id columns are text when any value is not an integer (ids as given).
    static func conform(_ raw: Table, to schema: Schema, parsing: BronzeParsing = .init()) throws -> (Table, Int) {
        let known = Set(schema.names)
        let extras = raw.columnNames.filter { !known.contains($0) && !$0.hasPrefix("_") }
        var rescued = [[(String, String)]](repeating: [], count: raw.rowCount)
        var fields: [Field] = []
        var columns: [Column] = []
        for declared in schema.fields {
            var field = declared
            guard let i = raw.schema.index(of: field.name) else {
                fields.append(field)
                columns.append(try Column(type: field.type, values: Array(repeating: .null, count: raw.rowCount)))
                continue
            }
            let source = raw.columns[i]
            if BronzeParsing.idColumns.contains(field.name), field.type == .int64, !isIntegerText(source) { field = Field(field.name, .string) }
            fields.append(field)
            let spellings = (parsing.values[field.name] ?? [:]).merging(BronzeParsing.canonicalValues[field.name] ?? [:]) { given, _ in given }
            if source.type == field.type && spellings.isEmpty { columns.append(source); continue }
            if spellings.isEmpty, case let .string(text) = source.data,
               let column = try fastConvert(text, source: source, to: field, parsing: parsing, rescued: &rescued) {
                columns.append(column)
                continue
            }
            var builder = ColumnBuilder(type: field.type, capacity: raw.rowCount)
            for r in 0..<raw.rowCount {
                guard !source.isNull(r) else { builder.appendNull(); continue }
                let v = source.value(at: r)
                var s = v.stringValue ?? v.description
                if !spellings.isEmpty, let canonical = spellings[s.trimmingSpaces().lowercased()] { s = canonical }
                if let converted = convert(s, to: field.type, parsing: parsing) { try builder.append(converted) } else {
                    builder.appendNull()
                    rescued[r].append((field.name, s))
                }
            }
            columns.append(builder.finish())
        }
        for name in extras {
            fields.append(Field(name, try raw.column(name).type))
            columns.append(try raw.column(name))
        }
        var rescuedColumn = ColumnBuilder(type: .string)
        for pairs in rescued { if pairs.isEmpty { rescuedColumn.appendNull() } else { rescuedColumn.append(string: json(pairs)) } }
        let table = try Table(schema: Schema(fields + [metadataFields[0]]), columns: columns + [rescuedColumn.finish()])
        return (table, rescued.filter { !$0.isEmpty }.count)
    }

    /// A text column converted from its bytes (`BronzeFastParse`), fields that are not plain
    /// ASCII through `convert`; nil when the type has no byte-level parser. O(bytes).
    static func fastConvert(_ text: StringArray, source: Column, to field: Field, parsing: BronzeParsing,
                            rescued: inout [[(String, String)]]) throws -> Column? {
        let utc = parsing.timestamps == nil && parsing.timezone.secondsFromGMT() == 0 && parsing.timezone.nextDaylightSavingTimeTransition == nil
        switch field.type {
        case .int64: return try fastColumn(text, source, field, parsing, &rescued, BronzeFastParse.int64) { $0.append(int: $1) }
        case .double: return try fastColumn(text, source, field, parsing, &rescued, BronzeFastParse.double) { $0.append(double: $1) }
        case .timestamp where utc:
            return try fastColumn(text, source, field, parsing, &rescued, BronzeFastParse.timestampUTC) { $0.append(int: $1) }
        default: return nil
        }
    }

    static func fastColumn<T>(_ text: StringArray, _ source: Column, _ field: Field, _ parsing: BronzeParsing,
                              _ rescued: inout [[(String, String)]], _ parse: (UnsafeBufferPointer<UInt8>) -> FastField<T>,
                              _ append: (inout ColumnBuilder, T) -> Void) throws -> Column {
        var builder = ColumnBuilder(type: field.type, capacity: text.count)
        try text.bytes.withUnsafeBufferPointer { all in
            for r in 0..<text.count {
                guard !source.isNull(r) else { builder.appendNull(); continue }
                let bytes = UnsafeBufferPointer(rebasing: all[text.range(r)])
                switch parse(bytes) {
                case let .value(v): append(&builder, v)
                case .invalid:
                    builder.appendNull()
                    rescued[r].append((field.name, String(decoding: bytes, as: UTF8.self)))
                case .general:
                    let s = String(decoding: bytes, as: UTF8.self)
                    if let converted = convert(s, to: field.type, parsing: parsing) { try builder.append(converted) } else {
                        builder.appendNull()
                        rescued[r].append((field.name, s))
                    }
                }
            }
        }
        return builder.finish()
    }

    /// True when every non-null value of `c` is an integer (or its text).
    static func isIntegerText(_ c: Column) -> Bool {
        if case let .string(text) = c.data {
            return text.bytes.withUnsafeBufferPointer { all in
                for r in 0..<text.count where !c.isNull(r) {
                    switch BronzeFastParse.int64(UnsafeBufferPointer(rebasing: all[text.range(r)])) {
                    case .value: continue
                    case .invalid: return false
                    case .general: if Int64(c.value(at: r).stringValue?.trimmingSpaces() ?? "") == nil { return false }
                    }
                }
                return true
            }
        }
        switch c.data {
        case .int64, .int32: return true
        default:
            for r in 0..<c.count where !c.isNull(r) {
                let v = c.value(at: r)
                guard Int64((v.stringValue ?? v.description).trimmingSpaces()) != nil else { return false }
            }
            return true
        }
    }

    /// Converts trimmed text to a value of `type`; nil when it does not fit.
    static func convert(_ text: String, to type: DataType, parsing: BronzeParsing = .init()) -> Value? {
        let s = text.trimmingSpaces()
        switch type {
        case .list, .structure, .map: return nil  // text never converts to a nested value
        case .string: return .string(text)
        case .binary: return .binary(Array(text.utf8))
        case .int64, .int32: return Int64(s).map(Value.int)
        case .double, .float:
            guard let d = Double(s), !s.isEmpty else { return nil }
            return .double(d)
        case .bool:
            switch s.lowercased() {
            case "true", "t", "1", "yes": return .bool(true)
            case "false", "f", "0", "no": return .bool(false)
            default: return nil
            }
        case .date: return CivilTime.parseDate(s).map(Value.date)
        case .timestamp:
            if let format = parsing.timestamps { return format.parse(s).map(Value.timestamp) }
            return TimestampFormat.parseISO(s, zone: parsing.timezone).map(Value.timestamp)
        case let .decimal(_, scale):
            guard let d = Double(s) else { return nil }
            let scaled = (d * pow(10, Double(scale))).rounded()
            guard abs(scaled) < 9.2e18 else { return nil }
            return .decimal(Int64(scaled), scale: scale)
        }
    }

    /// A flat JSON object of string values, keys in the given order.
    static func json(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(quote($0.0)):\(quote($0.1))" }.joined(separator: ",") + "}"
    }

    static func quote(_ s: String) -> String { JSONText.quoted(s) }
}
