import Columnar

/// Adapter over the Parquet module (filled in once it lands).
enum ParquetBridge {
    static func write(_ table: Table, to path: String, codec: String, rowGroupSize: Int) throws {
        throw DeltaError.unsupported("Parquet writer not available")
    }
    static func read(path: String, columns: [String]) throws -> Table {
        throw DeltaError.unsupported("Parquet reader not available")
    }
    static func columnNames(path: String) throws -> [String] { [] }
    static func rowCount(path: String) throws -> Int { 0 }
}
