import Columnar
import Foundation

/// How the CLI reads and writes tables. Every command goes through here, so adding a
/// format (Parquet, Delta) adds it everywhere at once.
enum TableIO {
    /// Reads a table file, optionally only some columns.
    static func read(_ path: String, columns: [String]? = nil, types: [String: DataType] = [:], rejectPath: String? = nil) throws -> Table {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path): no such file")
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
        let header = try CSVReader(path: path).schema.names
        return types.filter { header.contains($0.key) }
    }

    /// Writes a table atomically; `-` writes CSV to standard output.
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

    static func write(_ table: Table, to path: String) throws {
        try CSVWriter.write(table, to: path)
    }

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
