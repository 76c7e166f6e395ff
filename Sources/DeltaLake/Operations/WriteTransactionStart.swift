// The start of every write's commit: protocol and metadata for a new or changed table, the
// idempotent-writer txn, and for an overwrite the removal of every live file.
import Foundation

extension DeltaTable {
    /// The transaction of a write (`write` or a staged write) before its data files are added:
    /// the protocol action for a new table, the metadata when the schema changes, the
    /// `txn` of `options.transaction`, and for `.overwrite` a `remove` of every live file
    /// (which reads the whole table for conflict detection). Refuses an overwrite of an
    /// append-only table. Follows PROTOCOL.md's rules for these actions.
    /// - Complexity: O(live files).
    static func beginWrite(store: LogStore, snapshot: Snapshot?, plan: SchemaPlan, options: DeltaWriteOptions) throws -> DeltaTransaction {
        var tx = DeltaTransaction(store: store, readVersion: snapshot?.version ?? -1,
                                  isBlindAppend: options.mode == .append && snapshot != nil && plan.metadata == nil)
        tx.isolationLevel = IsolationLevel.forTable((plan.metadata ?? snapshot?.metadata)?.configuration ?? [:])
        if snapshot == nil { tx.actions.append(.protocol(ProtocolAction())) }
        if let m = plan.metadata { tx.actions.append(.metadata(m)) }
        if let t = options.transaction {
            tx.actions.append(.txn(TxnAction(appId: t.appId, version: t.version, lastUpdated: DeltaTransaction.nowMillis())))
        }
        if options.mode == .overwrite, let snapshot {
            if snapshot.metadata.configuration["delta.appendOnly"]?.lowercased() == "true" {
                throw DeltaError.invalidArgument("\(store.root): table is append-only (delta.appendOnly); overwrite is not allowed")
            }
            tx.readWholeTable = true
            let now = DeltaTransaction.nowMillis()
            for f in snapshot.files {
                tx.readFiles.insert((try? TablePaths.uriDecode(f.path)) ?? f.path)
                tx.actions.append(.remove(RemoveAction(path: f.path, deletionTimestamp: now, dataChange: true,
                                                       extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size)))
            }
        }
        return tx
    }
}
