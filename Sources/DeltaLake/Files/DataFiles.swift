import Columnar
import Foundation
import Parquet

/// The Parquet data files of a table: writing one file per (partition, chunk) with a unique
/// name, and reading a file back with projection. The only place DeltaLake touches Parquet
/// for data.
enum DataFiles {
    /// A new unique file name, in the style Spark and delta-rs use.
    static func newFileName(part: Int, codec: String) -> String {
        let suffix = codec == "none" || codec == "uncompressed" ? "" : ".\(codec)"
        let p = String(part)
        return "part-" + String(repeating: "0", count: max(0, 5 - p.count)) + p + "-\(UUID().uuidString.lowercased())-c000\(suffix).parquet"
    }

    /// Writes `table` as Parquet at `path` and returns its exact size in bytes.
    static func write(_ table: Table, to path: String, codec: String, rowGroupSize: Int, annotations: [String: ColumnAnnotation] = [:], fileMode: UInt32 = 0o600) throws -> Int64 {
        try ParquetBridge.write(table, to: path, codec: codec, rowGroupSize: rowGroupSize, annotations: annotations, fileMode: fileMode)
    }

    /// Reads `columns` (logical names) of a data file (columns absent from the file come back
    /// as nulls of `types[name]`, which is how schema evolution looks to old files). With
    /// column mapping, columns are found by physical name or field id.
    static func read(path: String, columns: [String], types: [String: DataType], mapping: ColumnMapping? = nil) throws -> Table {
        let reader = try ParquetBridge.open(path)
        let present = Set(try ParquetBridge.columnNames(reader))
        var inFile = try mapping?.fileColumns(columns, reader: reader, path: path) ?? Dictionary(uniqueKeysWithValues: columns.map { ($0, $0) })
        inFile = inFile.filter { present.contains($0.value) }
        let wanted = columns.compactMap { inFile[$0] }
        var table = try ParquetBridge.readTable(reader, columns: wanted)
        let rows = wanted.isEmpty ? reader.numRows : table.rowCount
        var pairs: [(String, Column)] = []
        for c in columns {
            guard let type = types[c] else { continue }
            if let stored = inFile[c] {
                var col = try table.column(stored)
                if col.type != type {
                    if type.isNested {
                        // Fields by name (physical names under column mapping), stored as the table's type.
                        do { col = try col.reshaped(to: type, layout: mapping?.physicalType(c)) } catch {
                            throw DeltaError.schemaMismatch("\(path): column '\(c)' is stored as \(col.type) but the table says \(type): \(error)")
                        }
                    } else {
                        col = try cast(col, to: type, column: c, file: path)
                    }
                }
                pairs.append((c, col))
            } else {
                pairs.append((c, try PartitionValues.constantColumn(.null, type: type, count: rows)))
            }
        }
        table = pairs.isEmpty ? Table(schema: Schema([])) : try Table(pairs)
        return table
    }

    /// Reads `columns` (logical names) of several data files as one table, rows in file order,
    /// when every file stores every column as a flat column of exactly `types[name]` (no casts,
    /// no columns missing): the table reading each file and concatenating gives, decoded
    /// straight into its columns. Returns nil when that does not hold (the caller then reads
    /// file by file).
    /// - Complexity: O(bytes of the column chunks + rows · columns).
    static func readConcatenated(paths: [String], columns: [String], types: [String: DataType], mapping: ColumnMapping? = nil) throws -> Table? {
        guard !paths.isEmpty, !columns.isEmpty else { return nil }
        let readers = try paths.map { try ParquetBridge.open($0) }
        var fileColumns: [[String]] = []
        for (reader, path) in zip(readers, paths) {
            guard let schema = try? reader.schema() else { return nil }
            let inFile = try mapping?.fileColumns(columns, reader: reader, path: path) ?? Dictionary(uniqueKeysWithValues: columns.map { ($0, $0) })
            var names: [String] = []
            for c in columns {
                guard let stored = inFile[c], let field = schema.fields.first(where: { $0.name == stored }), field.type == types[c] else { return nil }
                names.append(stored)
            }
            fileColumns.append(names)
        }
        do { return try ParquetReader.readConcatenated(readers, fileColumns: fileColumns, names: columns) }
        catch let e as ParquetError { throw DeltaError.dataFile("cannot read data file: \(e)") }
    }

    /// Widening casts that appear between Parquet physical types and Delta types (int32
    /// stored for a long column after type widening, float for double).
    static func cast(_ c: Column, to type: DataType, column: String, file: String) throws -> Column {
        var b = ColumnBuilder(type: type, capacity: c.count)
        do {
            for i in 0..<c.count {
                switch (c.value(at: i), type) {
                case let (.int(v), .date): b.append(int: v)
                default: try b.append(c.value(at: i))
                }
            }
        } catch {
            throw DeltaError.schemaMismatch("\(file): column '\(column)' is stored as \(c.type) but the table says \(type)")
        }
        return b.finish()
    }
}
