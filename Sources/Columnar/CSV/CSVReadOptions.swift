import Foundation

/// Options for reading CSV.
public struct CSVReadOptions: Sendable {
    /// Field separator byte (default `,`).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Whether the first record names the columns. Without one, columns are `column0…` or the
    /// declared schema's names.
    public var hasHeader = true
    /// A declared schema: names and types for every column, in file order. When set, the
    /// header (if any) must list exactly these names.
    public var schema: Schema?
    /// Type overrides for some columns; the rest are inferred.
    public var columnTypes: [String: DataType] = [:]
    /// When set, columns without a declared or overridden type get this type instead of an
    /// inferred one (`.string` reads every field as text, as a raw "bronze" ingest wants).
    public var defaultType: DataType?
    /// Read only these columns (in this order). Fields of other columns are skipped unparsed.
    public var columns: [String]?
    /// How many records type inference samples (DuckDB's default sample size).
    public var inferenceRows = 20_480
    /// When set, rows that fail to parse are written here (`line,error,record`) and counted
    /// instead of stopping the read.
    public var rejectPath: String?
    /// Longest field accepted, in bytes.
    public var maxFieldBytes = 16 << 20
    /// Bytes parsed per batch in `forEachBatch`.
    public var batchBytes = 64 << 20
    /// Worker threads for parsing (results never depend on it).
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}
