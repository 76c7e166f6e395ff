import Columnar
import Foundation

/// What a merge did.
public struct MergeResult: Sendable, Equatable {
    public var version: Int64?
    public var rowsUpdated: Int
    public var rowsInserted: Int
    public var filesRewritten: Int
}

extension DeltaTable {
    /// Upsert by key (Delta's `MERGE ... WHEN MATCHED UPDATE * WHEN NOT MATCHED INSERT *`):
    /// every source row replaces the target rows with the same key, or is inserted. Only files
    /// holding a matched key are rewritten. Null keys never match (SQL equality), so such
    /// rows are inserted. Two source rows with one key are an error, as in Delta.
    /// Creates the table when absent. O(target rows in candidate files + source rows).
    ///
    /// When a concurrent commit conflicts with what the merge read, the whole merge is run
    /// again against the new version up to `options.conflictRetries` times (the files the
    /// failed attempt wrote are left for vacuum); after that the conflict is thrown.
    public static func merge(_ source: Table, into root: String, on keys: [String], options: DeltaWriteOptions = DeltaWriteOptions()) throws -> MergeResult {
        var attempt = 0
        while true {
            do {
                return try mergeOnce(source, into: root, on: keys, options: options)
            } catch DeltaError.concurrentModification where attempt < options.conflictRetries {
                attempt += 1
            }
        }
    }

    static func mergeOnce(_ source: Table, into root: String, on keys: [String], options: DeltaWriteOptions) throws -> MergeResult {
        guard !keys.isEmpty else { throw DeltaError.invalidArgument("merge needs at least one key column") }
        for k in keys where source.schema.index(of: k) == nil {
            throw DeltaError.invalidArgument("merge key '\(k)' is not in the source (columns: \(source.columnNames.joined(separator: ", ")))")
        }
        let store = LogStore(root: root)
        guard let snapshot = try existing(store.root) else {
            var o = options
            o.mode = .append
            let v = try write(source, to: root, options: o)
            return MergeResult(version: v, rowsUpdated: 0, rowsInserted: source.rowCount, filesRewritten: 0)
        }
        try ProtocolSupport.checkWritable(snapshot.protocolAction, snapshot.metadata, root: store.root)
        if let t = options.transaction, let done = snapshot.appVersions[t.appId], done >= t.version {
            return MergeResult(version: nil, rowsUpdated: 0, rowsInserted: 0, filesRewritten: 0)
        }
        var o = options
        o.mode = .append
        o.partitionBy = []
        let plan = try planSchema(source, snapshot: snapshot, options: o, root: store.root)
        let src = try conform(source, to: plan.fields, root: store.root)
        let srcKeyCols = try keys.map { try src.column($0) }
        var sourceKeys = Set<[Value]>()
        for r in 0..<src.rowCount {
            let key = srcKeyCols.map { $0.value(at: r) }
            if key.contains(where: \.isNull) { continue }
            guard sourceKeys.insert(key).inserted else {
                throw DeltaError.invalidArgument("merge source has more than one row with key \(key.map(\.description).joined(separator: ", ")); keys must be unique")
            }
        }
        var tx = DeltaTransaction(store: store, readVersion: snapshot.version, isBlindAppend: false)
        tx.isolationLevel = IsolationLevel.forTable(snapshot.metadata.configuration)
        if let m = plan.metadata { tx.actions.append(.metadata(m)) }
        if let t = options.transaction {
            tx.actions.append(.txn(TxnAction(appId: t.appId, version: t.version, lastUpdated: DeltaTransaction.nowMillis())))
        }
        let now = DeltaTransaction.nowMillis()
        var kept: [Table] = []
        var updated = 0
        var rewritten = 0
        let keyRanges: [(Value, Value)?] = keys.map { k in
            let c = try? src.column(k)
            guard let c else { return nil }
            let vals = (0..<c.count).map { c.value(at: $0) }.filter { !$0.isNull }
            guard let lo = vals.min(by: { (compareValues($0, $1) ?? 0) < 0 }), let hi = vals.max(by: { (compareValues($0, $1) ?? 0) < 0 }) else { return nil }
            return (lo, hi)
        }
        var filters: [DeltaFilter] = []
        for (i, k) in keys.enumerated() { if let (lo, hi) = keyRanges[i] { filters.append(DeltaFilter(k, .ge, lo)); filters.append(DeltaFilter(k, .le, hi)) } }
        // What the merge reads: every file that may hold a source key. A concurrent commit
        // that adds such a file, or removes one we read, conflicts (Delta's ConflictChecker).
        if !sourceKeys.isEmpty {
            tx.read.predicates = [filters]
            for f in snapshot.fields { if let t = f.type { tx.read.columnTypes[f.name] = t } }
            tx.read.partitionColumns = snapshot.partitionColumns
        }
        // Files whose partition values or key stats exclude every source key are left alone.
        for add in snapshot.files {
            if sourceKeys.isEmpty { break }
            let single = Snapshot(root: snapshot.root, version: snapshot.version, protocolAction: snapshot.protocolAction, metadata: snapshot.metadata,
                                  files: [add], tombstones: [], appVersions: [:], fields: snapshot.fields)
            if try candidateFiles(single, filters: filters).isEmpty { continue }
            tx.readFiles.insert((try? TablePaths.uriDecode(add.path)) ?? add.path)
            let t = try read(single)
            let full = try conform(t, to: plan.fields, root: store.root)
            let cols = try keys.map { try full.column($0) }
            var keep: [Int] = []
            var firstMatch: [Value]?
            for r in 0..<full.rowCount {
                let key = cols.map { $0.value(at: r) }
                if sourceKeys.contains(key) { updated += 1; if firstMatch == nil { firstMatch = key } } else { keep.append(r) }
            }
            guard keep.count < full.rowCount else { continue }
            rewritten += 1
            if snapshot.metadata.configuration["delta.appendOnly"]?.lowercased() == "true" {
                throw DeltaError.invalidArgument("\(store.root): table is append-only (delta.appendOnly); a merge that updates existing rows is not allowed (source key \((firstMatch ?? []).map(\.description).joined(separator: ", ")) is already in the table)")
            }
            tx.actions.append(.remove(RemoveAction(path: add.path, deletionTimestamp: now, dataChange: true,
                                                   extendedFileMetadata: true, partitionValues: add.partitionValues, size: add.size)))
            if !keep.isEmpty { kept.append(full.gather(keep)) }
        }
        let output = try Table.concatenate(kept + [src])
        try checkConstraints(output, fields: plan.fields, configuration: (plan.metadata ?? snapshot.metadata).configuration, root: store.root)
        let adds = try writeDataFiles(output, root: store.root, partitionColumns: snapshot.partitionColumns, options: options, fields: plan.fields)
        tx.actions.append(contentsOf: adds.map { .add($0) })
        let version = try tx.commit(operation: "MERGE", parameters: [
            ("predicate", .string(keys.map { "target.\($0) = source.\($0)" }.joined(separator: " AND "))),
        ], metrics: [
            ("numTargetRowsUpdated", .string(String(updated))),
            ("numTargetRowsInserted", .string(String(src.rowCount - updated))),
            ("numTargetFilesRemoved", .string(String(rewritten))),
            ("numTargetFilesAdded", .string(String(adds.count))),
        ])
        maybeCheckpoint(store: store, version: version, options: options, metadata: plan.metadata ?? snapshot.metadata)
        return MergeResult(version: version, rowsUpdated: updated, rowsInserted: src.rowCount - updated, filesRewritten: rewritten)
    }
}
