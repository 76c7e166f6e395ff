import Columnar
import Foundation
import Parquet

extension ParquetError: UserFacingError {}

/// How the CLI reads and writes tables. Every command goes through here, so adding a
/// format (Parquet, Delta) adds it everywhere at once.
enum TableIO {
    /// Reads a table file, optionally only some columns.
    static func read(_ path: String, columns: [String]? = nil, types: [String: DataType] = [:], rejectPath: String? = nil) throws -> Table {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path): no such file")
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
        if isParquet(path) { return [:] }
        let header = try CSVReader(path: path).schema.names
        return types.filter { header.contains($0.key) }
    }

    /// Writes a table atomically; `-` writes CSV to standard output.
    static func write(_ table: Table, to path: String) throws {
        if isParquet(path) {
            try ParquetWriter.write(table, to: path)
            return
        }
        try CSVWriter.write(table, to: path)
    }

    /// True when `path` names a Parquet file (by extension).
    static func isParquet(_ path: String) -> Bool { path.lowercased().hasSuffix(".parquet") }

    /// Writes `{"key": number, ...}` to `path` (for `--timings-json`).
    static func writeJSON(_ values: [(String, Any)], to path: String) throws {
        let body = values.map { key, value -> String in
            let rendered: String
            if let d = value as? Double { rendered = String(format: "%.6f", d) } else { rendered = "\(value)" }
            return "  \"\(key)\": \(rendered)"
        }.joined(separator: ",\n")
        let file = try AtomicFileWriter(path: path)
        try file.write("{\n\(body)\n}\n")
        try file.commit()
    }
}
