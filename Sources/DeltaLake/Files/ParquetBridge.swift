import Columnar
import Parquet

/// The Parquet calls DeltaLake makes for data files, in one place.
enum ParquetBridge {
    static func codec(_ name: String) throws -> CompressionCodec {
        guard let c = CompressionCodec(name: name == "none" ? "uncompressed" : name) ?? CompressionCodec(name: name), c.canCompress else {
            throw DeltaError.invalidArgument("unknown or unwritable codec '\(name)' (expected zstd, snappy, gzip or none)")
        }
        return c
    }

    /// Writes `table` atomically (the Parquet writer lands files by temp + fsync + rename);
    /// returns the file size.
    @discardableResult
    static func write(_ table: Table, to path: String, codec name: String, rowGroupSize: Int, annotations: [String: ColumnAnnotation] = [:], fileMode: UInt32 = 0o600) throws -> Int64 {
        var options = ParquetWriteOptions()
        options.fileMode = fileMode
        options.annotations = annotations
        options.codec = try codec(name)
        options.rowGroupSize = max(1, rowGroupSize)
        do { return Int64(try ParquetWriter.write(table, to: path, options: options).size) }
        catch let e as ParquetError { throw DeltaError.dataFile("\(e)") }
    }

    /// Opens a data file, mapping Parquet errors to `DeltaError`.
    static func open(_ path: String) throws -> ParquetReader {
        do { return try ParquetReader(path: path) }
        catch let e as ParquetError { throw DeltaError.dataFile("cannot read data file: \(e)") }
    }

    static func readTable(_ reader: ParquetReader, columns: [String]) throws -> Table {
        do { return try reader.readTable(columns: columns, nestedColumns: true) }
        catch let e as ParquetError { throw DeltaError.dataFile("cannot read data file: \(e)") }
    }

    static func columnNames(_ reader: ParquetReader) throws -> [String] {
        reader.fieldNames
    }

    static func rowCount(path: String) throws -> Int { try open(path).numRows }
}
