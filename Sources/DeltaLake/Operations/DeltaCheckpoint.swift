extension DeltaTable {
    /// Writes `_delta_log/%020d.checkpoint.parquet` for `version` (newest when nil) and updates
    /// `_last_checkpoint`. The file lands atomically (temp + rename), so a reader never sees a
    /// partial checkpoint; an existing checkpoint for that version is left as is. On a table
    /// with the `v2Checkpoint` feature this is a classic V1-spec checkpoint, which PROTOCOL.md
    /// always allows (never a multi-part one, which it forbids there).
    /// O(live files + tombstones).
    @discardableResult
    public static func checkpoint(_ root: String, version: Int64? = nil) throws -> Int64 {
        let snapshot = try Snapshot.load(root, version: version)
        // A checkpoint replaces the log for readers: a writer feature we do not implement
        // may need actions or rules our checkpoint would drop, so check as for any write.
        try ProtocolSupport.checkWritable(snapshot.protocolAction, snapshot.metadata, root: snapshot.root)
        if !snapshot.domains.isEmpty {
            throw DeltaError.unsupported("\(snapshot.root) has domainMetadata (\(snapshot.domains.sorted().joined(separator: ", "))), which amlgraph checkpoints cannot carry; refusing to checkpoint rather than drop it")
        }
        let store = LogStore(root: snapshot.root)
        let path = store.checkpointPath(snapshot.version)
        if LogStore.fileSize(path) == nil {
            try CheckpointWriter.write(snapshot, to: path)
        }
        let size = Int64(2 + snapshot.files.count + snapshot.tombstones.count + snapshot.appVersions.count)
        if (store.readLastCheckpoint() ?? -1) < snapshot.version {
            try store.writeLastCheckpoint(version: snapshot.version, size: size, sizeInBytes: LogStore.fileSize(path) ?? 0)
        }
        return snapshot.version
    }
}
