/// How `DeltaTable.write` treats an existing table.
public enum SaveMode: String, Sendable, CaseIterable {
    /// Add rows; create the table if it does not exist.
    case append
    /// Replace all rows (logically: remove every live file, add the new ones).
    case overwrite
    /// Create the table; fail if it exists.
    case errorIfExists = "error"
    /// Create the table; do nothing if it exists.
    case ignore
}

/// Options for `DeltaTable.write`, named after their Spark / delta-rs equivalents.
public struct DeltaWriteOptions: Sendable {
    public var mode: SaveMode = .append
    /// Partition columns for a new table (must match an existing table's if given).
    public var partitionBy: [String] = []
    /// Allow the write to add columns to the table schema (Delta's `mergeSchema`).
    public var mergeSchema = false
    /// With `overwrite`, replace the schema and partitioning (Delta's `overwriteSchema`).
    public var overwriteSchema = false
    /// Idempotent batch: skip the write if `appId` already committed `version` or later.
    public var transaction: (appId: String, version: Int64)?
    /// Parquet codec for data files: zstd (default), snappy, gzip, none.
    public var codec = "zstd"
    /// Rows per data file at most (files are also split by partition).
    public var maxRowsPerFile = 10_000_000
    /// Rows per Parquet row group.
    public var rowGroupSize = 1_048_576
    /// Write a checkpoint when the committed version is a multiple of this (0 = never).
    /// The table setting `delta.checkpointInterval` overrides it.
    public var checkpointInterval = 10
    /// Table settings recorded in `metaData.configuration` when creating a table.
    public var configuration: [String: String] = [:]
    /// Table name and description for a new table.
    public var name: String?
    public var description: String?
    /// Permission bits of the root directory when the write creates the table (default
    /// owner-only, 0o700: lakes hold customers' identifiers). Every directory and file of the
    /// table follows the root's bits (files without execute: 0o600), so widen by creating with
    /// 0o750 or 0o755, or by `chmod` of the root; later writes follow.
    public var directoryMode: UInt32 = 0o700
    /// How many times a merge that lost to a conflicting concurrent commit is re-run against
    /// the new version before the conflict is reported (0: report it at once).
    public var conflictRetries = 0

    public init() {}
}
