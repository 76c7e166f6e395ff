/// Reads the actions stored in a Parquet checkpoint (PROTOCOL.md "Checkpoints").
enum CheckpointReader {
    static func readActions(path: String) throws -> [DeltaAction] {
        throw DeltaError.unsupported("\(path): checkpoint reading needs the Parquet reader")
    }
}
