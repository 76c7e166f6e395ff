/// Writes a snapshot as a classic single-file Parquet checkpoint.
enum CheckpointWriter {
    static func write(_ snapshot: Snapshot, to path: String) throws {
        throw DeltaError.unsupported("checkpoint writing needs the Parquet writer")
    }
}
