// Table I/O with format dispatch: every command, notebook and the pipeline read and write
// tables through here, so CSV, Parquet and Delta (and `-` for standard streams) work
// everywhere at once.
import Columnar
import DeltaLake
import Foundation
import Parquet

public enum TableIO {
    /// Reads a table: a Delta table directory, a `.parquet` file, a CSV file, or `-` (CSV on
    /// standard input). Nested Parquet/Delta columns arrive as JSON text.
    /// - Complexity: O(bytes read); a CSV is memory-mapped and parsed in parallel.
    public static func read(_ path: String, options: TableReadOptions = .init()) throws -> Table {
        if path == "-" {
            let copy = try StandardInput.spool()
            defer { try? FileManager.default.removeItem(atPath: copy) }
            return try readCSV(copy, displayName: "<stdin>", options: options)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw TableIOError("\(path): no such file")
        }
        if DeltaTable.isDeltaTable(path) {
            // Delta and Parquet carry their own types; `types` overrides apply to CSV only.
            return try DeltaTable.read(path, columns: options.columns)
        }
        if isParquet(path) {
            return try ParquetReader(path: path).readTable(columns: options.columns, nestedColumns: true)
        }
        return try readCSV(path, displayName: path, options: options)
    }

    /// Reads a table (see `read(_:options:)`) with only `columns` and the `types` overrides.
    public static func read(_ path: String, columns: [String]? = nil, types: [String: DataType] = [:], rejectPath: String? = nil) throws -> Table {
        var o = TableReadOptions(columns: columns, types: types)
        o.rejectPath = rejectPath
        return try read(path, options: o)
    }

    static func readCSV(_ path: String, displayName: String, options: TableReadOptions) throws -> Table {
        var source = path
        var transcoded: String?
        defer { if let transcoded { try? FileManager.default.removeItem(atPath: transcoded) } }
        if options.encoding != .utf8 {
            transcoded = try Transcoding.toUTF8(path, from: options.encoding)
            source = transcoded!
        }
        var csv = CSVReadOptions()
        csv.columns = options.columns
        csv.delimiter = options.delimiter
        csv.rejectPath = options.rejectPath
        csv.defaultType = options.defaultType
        csv.columnTypes = options.types
        if options.typesForPresentColumnsOnly {
            var header = CSVReadOptions()
            header.delimiter = options.delimiter
            let names = Set(try CSVReader(path: source, options: header).schema.names)
            csv.columnTypes = options.types.filter { names.contains($0.key) }
        }
        do {
            return try CSVReader(path: source, options: csv).readAll()
        } catch let ColumnarError.malformedInput(_, line, column, message) where source != displayName {
            throw ColumnarError.malformedInput(file: displayName, line: line, column: column, message: message)
        }
    }

    /// The subset of `types` whose columns exist in the CSV header at `path` (type overrides
    /// for optional columns); empty for Parquet and Delta, which carry their own types.
    public static func presentColumns(_ path: String, _ types: [String: DataType], delimiter: UInt8 = UInt8(ascii: ",")) throws -> [String: DataType] {
        if path == "-" || isParquet(path) || DeltaTable.isDeltaTable(path) { return [:] }
        var csv = CSVReadOptions()
        csv.delimiter = delimiter
        let header = Set(try CSVReader(path: path, options: csv).schema.names)
        return types.filter { header.contains($0.key) }
    }

    /// The schema of the table at `path` without reading its rows (CSV: the header and the
    /// inferred types).
    public static func schema(_ path: String, options: TableReadOptions = .init()) throws -> Schema {
        if DeltaTable.isDeltaTable(path) { return try DeltaSchema.columnarSchema(try Snapshot.load(path).fields, strict: false) }
        if isParquet(path) { return try ParquetReader(path: path).schema() }
        var csv = CSVReadOptions()
        csv.delimiter = options.delimiter
        return try CSVReader(path: path, options: csv).schema
    }

    /// The first existing table called `name` in `folder`, its `gold/` or its `silver/`
    /// subfolder: a Delta table directory, a `.parquet` file or a `.csv` file (the lake
    /// lookup `report` and `alerts` use).
    public static func find(_ name: String, in folder: String) -> String? {
        for sub in ["gold/", "silver/", ""] {
            for suffix in ["", ".parquet", ".csv"] {
                let path = (folder as NSString).appendingPathComponent(sub + name + suffix)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
                if suffix.isEmpty && !(isDir.boolValue && FileManager.default.fileExists(atPath: path + "/_delta_log")) { continue }
                return path
            }
        }
        return nil
    }

    /// Writes a table atomically in `format` (nil: by what `path` looks like, see
    /// `format(of:)`); `-` writes CSV to standard output. Delta output overwrites the table's
    /// rows in a new version (history is kept), creating the table if needed.
    public static func write(_ table: Table, to path: String, format: TableFormat? = nil) throws {
        switch format ?? self.format(of: path) {
        case .parquet:
            try ParquetWriter.write(table, to: path)
        case .delta:
            guard path != "-" else { throw TableIOError("--format delta needs a directory for --out, not -") }
            var options = DeltaWriteOptions()
            options.mode = .overwrite
            options.overwriteSchema = true
            try DeltaTable.write(table, to: path, options: options)
        case .csv:
            try CSVWriter.write(table, to: path)
        }
    }

    /// The format an output path implies: an existing Delta table, a path ending in `/` or
    /// `.delta`, or an existing directory is Delta; `.parquet` is Parquet; anything else CSV.
    public static func format(of path: String) -> TableFormat {
        if path == "-" { return .csv }
        if DeltaTable.isDeltaTable(path) || path.hasSuffix("/") || path.lowercased().hasSuffix(".delta") { return .delta }
        if isParquet(path) { return .parquet }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { return .delta }
        return .csv
    }

    /// True when `path` names a Parquet file (by extension).
    public static func isParquet(_ path: String) -> Bool { path.lowercased().hasSuffix(".parquet") }
}
