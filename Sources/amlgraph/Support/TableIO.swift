import Columnar
import DeltaLake
import Foundation
import Parquet

extension ParquetError: UserFacingError {}
extension DeltaError: UserFacingError {}

/// The storage formats the CLI reads and writes.
enum TableFormat: String, CaseIterable {
    case csv, parquet, delta
}

/// How the CLI reads and writes tables. Every command goes through here, so adding a
/// format (Parquet, Delta) adds it everywhere at once.
enum TableIO {
    /// Reads a table file, optionally only some columns.
    static func read(_ path: String, columns: [String]? = nil, types: [String: DataType] = [:], rejectPath: String? = nil) throws -> Table {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path): no such file")
        }
        if DeltaTable.isDeltaTable(path) {
            // Delta and Parquet carry their own types; `types` overrides apply to CSV only.
            return try DeltaTable.read(path, columns: columns)
        }
        if isParquet(path) {
            // Parquet carries its own types; `types` overrides apply to CSV only. Nested
            // columns (structs, lists, maps) arrive as JSON text.
            return try ParquetReader(path: path).readTable(columns: columns, nestedAsJSON: true)
        }
        var options = CSVReadOptions()
        options.columns = columns
        options.columnTypes = types
        options.rejectPath = rejectPath
        return try CSVReader(path: path, options: options).readAll()
    }

    /// The subset of `types` whose columns exist in the file's header (type overrides for
    /// optional columns).
    static func presentColumns(_ path: String, _ types: [String: DataType]) throws -> [String: DataType] {
        if isParquet(path) || DeltaTable.isDeltaTable(path) { return [:] }
        let header = try CSVReader(path: path).schema.names
        return types.filter { header.contains($0.key) }
    }

    /// The first existing table called `name` in `folder`, its `gold/` or its `silver/`
    /// subfolder: a Delta table directory, a `.parquet` file or a `.csv` file.
    static func find(_ name: String, in folder: String) -> String? {
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
    static func write(_ table: Table, to path: String, format: TableFormat? = nil) throws {
        switch format ?? self.format(of: path) {
        case .parquet:
            try ParquetWriter.write(table, to: path)
        case .delta:
            guard path != "-" else { throw CLIError("--format delta needs a directory for --out, not -") }
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
    static func format(of path: String) -> TableFormat {
        if path == "-" { return .csv }
        if DeltaTable.isDeltaTable(path) || path.hasSuffix("/") || path.lowercased().hasSuffix(".delta") { return .delta }
        if isParquet(path) { return .parquet }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { return .delta }
        return .csv
    }

    /// Parses a `--format` value.
    static func parseFormat(_ text: String?) throws -> TableFormat? {
        guard let text else { return nil }
        guard let f = TableFormat(rawValue: text.lowercased()) else { throw CLIError("--format \(text): expected csv, parquet or delta") }
        return f
    }

    /// True when `path` names a Parquet file (by extension).
    static func isParquet(_ path: String) -> Bool { path.lowercased().hasSuffix(".parquet") }

    /// Writes `{"key": value, ...}` to `path` (for `--timings-json`): doubles with 6 decimals,
    /// strings quoted (they are short identifiers: only `"` and `\` are escaped), anything
    /// else as it prints.
    static func writeJSON(_ values: [(String, Any)], to path: String) throws {
        let body = values.map { key, value -> String in
            let rendered: String
            if let d = value as? Double {
                rendered = String(format: "%.6f", d)
            } else if let s = value as? String {
                rendered = "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            } else {
                rendered = "\(value)"
            }
            return "  \"\(key)\": \(rendered)"
        }.joined(separator: ",\n")
        let file = try AtomicFileWriter(path: path)
        try file.write("{\n\(body)\n}\n")
        try file.commit()
    }
}
