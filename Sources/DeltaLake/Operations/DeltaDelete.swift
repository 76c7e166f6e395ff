import Columnar
import Foundation

/// What a delete did.
public struct DeleteResult: Sendable, Equatable {
    /// The version committed, nil when no row matched (nothing is committed then).
    public var version: Int64?
    public var rowsDeleted: Int
    /// Files removed whole (every row matched).
    public var filesRemoved: Int
    /// Files rewritten without their matching rows.
    public var filesRewritten: Int
    /// Rows copied from rewritten files into their replacements.
    public var rowsCopied: Int
}

extension DeltaTable {
    /// Deletes the rows where `filter` is true (Delta's `DELETE FROM t WHERE cond`; false and
    /// null keep the row, as SQL does). Files that the filter's `column op literal` terms
    /// exclude by partition values or stats are not read; a file whose every row matches is
    /// removed without rewriting; a file with some matching rows is rewritten without them.
    ///
    /// For conflict detection the delete records the files it read and the filter's terms as
    /// its read predicate, so a concurrent commit that removes one of those files, or adds a
    /// file that may hold a matching row, conflicts (under `WriteSerializable` a concurrent
    /// blind append does not). A conflict re-runs the whole delete against the new version up
    /// to `options.conflictRetries` times, then is thrown. Refused on `delta.appendOnly` tables.
    /// - Complexity: O(rows of the candidate files · expression size) plus rewriting.
    public static func delete(from root: String, where filter: RowFilter, options: DeltaWriteOptions = DeltaWriteOptions()) throws -> DeleteResult {
        var attempt = 0
        while true {
            do {
                return try deleteOnce(from: root, where: filter, options: options)
            } catch DeltaError.concurrentModification where attempt < options.conflictRetries {
                attempt += 1
            }
        }
    }

    static func deleteOnce(from root: String, where filter: RowFilter, options: DeltaWriteOptions) throws -> DeleteResult {
        let store = LogStore(root: root)
        guard let snapshot = try existing(store.root) else { throw DeltaError.notATable(store.root) }
        try ProtocolSupport.checkWritable(snapshot.protocolAction, snapshot.metadata, root: store.root)
        let schema = try DeltaSchema.columnarSchema(snapshot.fields, strict: false)
        try filter.check(schema, option: "delete --where")
        let terms = filter.comparisons(in: schema)
        var tx = DeltaTransaction(store: store, readVersion: snapshot.version, isBlindAppend: false)
        tx.isolationLevel = IsolationLevel.forTable(snapshot.metadata.configuration)
        // The read predicate: a file added concurrently that may hold a matching row would
        // have been read (an empty conjunction matches every file).
        tx.read.predicates = [terms]
        for f in snapshot.fields { if let t = f.type { tx.read.columnTypes[f.name] = t } }
        tx.read.partitionColumns = snapshot.partitionColumns
        let now = DeltaTransaction.nowMillis()
        var deleted = 0, removed = 0, rewritten = 0
        var kept: [Table] = []
        let appendOnly = snapshot.metadata.configuration["delta.appendOnly"]?.lowercased() == "true"
        for add in try candidateFiles(snapshot, filters: terms) {
            tx.readFiles.insert((try? TablePaths.uriDecode(add.path)) ?? add.path)
            let t = try read(snapshot.restricted(to: add))
            let mask = try filter.mask(t, option: "delete --where")
            let hits = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
            guard hits > 0 else { continue }
            if appendOnly {
                throw DeltaError.invalidArgument("\(store.root): table is append-only (delta.appendOnly); delete is not allowed")
            }
            deleted += hits
            tx.actions.append(.remove(RemoveAction(path: add.path, deletionTimestamp: now, dataChange: true,
                                                   extendedFileMetadata: true, partitionValues: add.partitionValues, size: add.size)))
            if hits == t.rowCount { removed += 1; continue }
            rewritten += 1
            _ = try snapshot.schema() // a rewrite must hold every column exactly
            let keep = mask.indices.filter { !mask[$0] }
            kept.append(try conform(t.gather(keep), to: snapshot.fields, root: store.root))
        }
        guard deleted > 0 else {
            return DeleteResult(version: nil, rowsDeleted: 0, filesRemoved: 0, filesRewritten: 0, rowsCopied: 0)
        }
        var adds: [AddAction] = []
        let copied = kept.reduce(0) { $0 + $1.rowCount }
        if !kept.isEmpty {
            adds = try writeDataFiles(try Table.concatenate(kept), root: store.root, partitionColumns: snapshot.partitionColumns,
                                      options: options, fields: snapshot.fields)
        }
        tx.actions.append(contentsOf: adds.map { .add($0) })
        let version = try tx.commit(operation: "DELETE", parameters: [("predicate", .string(filter.source))], metrics: [
            ("numDeletedRows", .string(String(deleted))),
            ("numRemovedFiles", .string(String(removed + rewritten))),
            ("numAddedFiles", .string(String(adds.count))),
            ("numCopiedRows", .string(String(copied))),
        ])
        maybeCheckpoint(store: store, version: version, options: options, metadata: snapshot.metadata)
        return DeleteResult(version: version, rowsDeleted: deleted, filesRemoved: removed, filesRewritten: rewritten, rowsCopied: copied)
    }
}

extension Snapshot {
    /// This snapshot with `add` as its only live file (to read one file with the table's
    /// schema and partition values). O(1).
    func restricted(to add: AddAction) -> Snapshot {
        var s = Snapshot(root: root, version: version, protocolAction: protocolAction, metadata: metadata,
                         files: [add], tombstones: [], appVersions: [:], fields: fields)
        s.domains = domains
        return s
    }
}
