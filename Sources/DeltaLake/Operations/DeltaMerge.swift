import Columnar
import Foundation

/// What a merge did.
public struct MergeResult: Sendable, Equatable {
    public var version: Int64?
    public var rowsUpdated: Int
    public var rowsInserted: Int
    public var filesRewritten: Int
    /// Target rows removed by a `WHEN MATCHED ... DELETE` clause.
    public var rowsDeleted: Int = 0
    /// Unchanged target rows copied into the rewritten files.
    public var rowsCopied: Int = 0
}

extension DeltaTable {
    /// MERGE by key (Delta's `MERGE INTO target USING source ON target.k = source.k` with
    /// `clauses`; the default is the upsert `WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED
    /// THEN INSERT *`). Each matched target row gets the first matched clause whose condition
    /// holds (update: replaced by the source row; delete: removed; none: kept); each source row
    /// that matches no target row is inserted when a not-matched clause's condition holds.
    /// Only files holding a matched key are read, and only those where a clause applied are
    /// rewritten. Null keys never match (SQL equality). Two source rows with one non-null key
    /// are an error (Delta refuses them when both match; amlgraph refuses them always).
    /// Creates the table when absent. O(target rows in candidate files + source rows).
    ///
    /// The merge records what it read (the files, and the source keys' range as a predicate),
    /// so a concurrent commit adding a file that may hold a source key, or removing a file it
    /// read, conflicts. When it does, the whole merge is run again against the new version up
    /// to `options.conflictRetries` times (the files the failed attempt wrote are left for
    /// vacuum); after that the conflict is thrown.
    public static func merge(_ source: Table, into root: String, on keys: [String], clauses: MergeClauses = .upsert,
                             options: DeltaWriteOptions = DeltaWriteOptions()) throws -> MergeResult {
        var attempt = 0
        while true {
            do {
                return try mergeOnce(source, into: root, on: keys, clauses: clauses, options: options)
            } catch DeltaError.concurrentModification where attempt < options.conflictRetries {
                attempt += 1
            }
        }
    }

    static func mergeOnce(_ source: Table, into root: String, on keys: [String], clauses: MergeClauses, options: DeltaWriteOptions) throws -> MergeResult {
        guard !keys.isEmpty else { throw DeltaError.invalidArgument("merge needs at least one key column") }
        for k in keys where source.schema.index(of: k) == nil {
            throw DeltaError.invalidArgument("merge key '\(k)' is not in the source (columns: \(source.columnNames.joined(separator: ", ")))")
        }
        let store = LogStore(root: root)
        guard let snapshot = try existing(store.root) else {
            try clauses.check(target: source.schema, source: source.schema)
            let inserts = try insertedRows(source, candidates: Array(0..<source.rowCount), clauses: clauses)
            var o = options
            o.mode = .append
            let v = try write(source.gather(inserts), to: root, options: o)
            return MergeResult(version: v, rowsUpdated: 0, rowsInserted: inserts.count, filesRewritten: 0)
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
        try clauses.check(target: plan.schema, source: src.schema)
        let srcKeyCols = try keys.map { try src.column($0) }
        var sourceRowOfKey: [[Value]: Int] = [:]
        for r in 0..<src.rowCount {
            let key = srcKeyCols.map { $0.value(at: r) }
            if key.contains(where: \.isNull) { continue }
            guard sourceRowOfKey.updateValue(r, forKey: key) == nil else {
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
        var outputs: [Table] = []
        var updated = 0, deleted = 0, copied = 0, rewritten = 0
        var matchedSource = [Bool](repeating: false, count: src.rowCount)
        let keyRanges: [(Value, Value)?] = srcKeyCols.map { c in
            let vals = (0..<c.count).map { c.value(at: $0) }.filter { !$0.isNull }
            guard let lo = vals.min(by: { (compareValues($0, $1) ?? 0) < 0 }), let hi = vals.max(by: { (compareValues($0, $1) ?? 0) < 0 }) else { return nil }
            return (lo, hi)
        }
        var filters: [DeltaFilter] = []
        for (i, k) in keys.enumerated() { if let (lo, hi) = keyRanges[i] { filters.append(DeltaFilter(k, .ge, lo)); filters.append(DeltaFilter(k, .le, hi)) } }
        // What the merge reads: every file that may hold a source key. A concurrent commit
        // that adds such a file, or removes one we read, conflicts (Delta's ConflictChecker).
        if !sourceRowOfKey.isEmpty {
            tx.read.predicates = [filters]
            for f in snapshot.fields { if let t = f.type { tx.read.columnTypes[f.name] = t } }
            tx.read.partitionColumns = snapshot.partitionColumns
        }
        let appendOnly = snapshot.metadata.configuration["delta.appendOnly"]?.lowercased() == "true"
        // Files whose partition values or key stats exclude every source key are left alone.
        for add in snapshot.files {
            if sourceRowOfKey.isEmpty { break }
            let single = snapshot.restricted(to: add)
            if try candidateFiles(single, filters: filters).isEmpty { continue }
            tx.readFiles.insert((try? TablePaths.uriDecode(add.path)) ?? add.path)
            let full = try conform(try read(single), to: plan.fields, root: store.root)
            let cols = try keys.map { try full.column($0) }
            var targetRows: [Int] = [], sourceRows: [Int] = []
            for r in 0..<full.rowCount {
                if let s = sourceRowOfKey[cols.map { $0.value(at: r) }] {
                    targetRows.append(r); sourceRows.append(s); matchedSource[s] = true
                }
            }
            guard !targetRows.isEmpty else { continue }
            let decided = try matchedActions(target: full, targetRows: targetRows, source: src, sourceRows: sourceRows, clauses: clauses)
            guard decided.contains(where: { $0 != nil }) else { continue }
            if appendOnly {
                let i = decided.firstIndex { $0 != nil }!
                throw DeltaError.invalidArgument("\(store.root): table is append-only (delta.appendOnly); a merge that updates or deletes existing rows is not allowed (source key \(cols.map { $0.value(at: targetRows[i]).description }.joined(separator: ", ")) is already in the table)")
            }
            rewritten += 1
            tx.actions.append(.remove(RemoveAction(path: add.path, deletionTimestamp: now, dataChange: true,
                                                   extendedFileMetadata: true, partitionValues: add.partitionValues, size: add.size)))
            var drop = [Bool](repeating: false, count: full.rowCount)
            var replacements: [Int] = []
            for (i, action) in decided.enumerated() {
                guard let action else { continue }
                drop[targetRows[i]] = true
                switch action {
                case .update: updated += 1; replacements.append(sourceRows[i])
                case .delete: deleted += 1
                }
            }
            let keep = (0..<full.rowCount).filter { !drop[$0] }
            copied += keep.count
            if !keep.isEmpty { outputs.append(full.gather(keep)) }
            if !replacements.isEmpty { outputs.append(src.gather(replacements)) }
        }
        let inserts = try insertedRows(src, candidates: (0..<src.rowCount).filter { !matchedSource[$0] }, clauses: clauses)
        if !inserts.isEmpty { outputs.append(src.gather(inserts)) }
        guard rewritten > 0 || !inserts.isEmpty || plan.metadata != nil || options.transaction != nil else {
            return MergeResult(version: nil, rowsUpdated: 0, rowsInserted: 0, filesRewritten: 0)
        }
        let output = outputs.isEmpty ? src.gather([]) : try Table.concatenate(outputs)
        try checkConstraints(output, fields: plan.fields, configuration: (plan.metadata ?? snapshot.metadata).configuration, root: store.root)
        let adds = output.rowCount == 0 ? [] : try writeDataFiles(output, root: store.root, partitionColumns: snapshot.partitionColumns, options: options, fields: plan.fields)
        tx.actions.append(contentsOf: adds.map { .add($0) })
        let version = try tx.commit(operation: "MERGE", parameters: [
            ("predicate", .string(keys.map { "target.\($0) = source.\($0)" }.joined(separator: " AND "))),
        ] + clauses.operationParameters, metrics: [
            ("numTargetRowsUpdated", .string(String(updated))),
            ("numTargetRowsDeleted", .string(String(deleted))),
            ("numTargetRowsInserted", .string(String(inserts.count))),
            ("numTargetRowsCopied", .string(String(copied))),
            ("numTargetFilesRemoved", .string(String(rewritten))),
            ("numTargetFilesAdded", .string(String(adds.count))),
        ])
        maybeCheckpoint(store: store, version: version, options: options, metadata: plan.metadata ?? snapshot.metadata)
        return MergeResult(version: version, rowsUpdated: updated, rowsInserted: inserts.count, filesRewritten: rewritten,
                           rowsDeleted: deleted, rowsCopied: copied)
    }

    /// For each matched pair (target row, source row), the action of the first matched clause
    /// whose condition is true, nil when none is. O(pairs · clauses · condition size).
    static func matchedActions(target: Table, targetRows: [Int], source: Table, sourceRows: [Int], clauses: MergeClauses) throws -> [MergeClauses.MatchedAction?] {
        var out = [MergeClauses.MatchedAction?](repeating: nil, count: targetRows.count)
        var open = Array(0..<targetRows.count)
        let scope = ExpressionScope([("target", target.schema), ("source", source.schema)])
        for clause in clauses.matched {
            if open.isEmpty { break }
            guard let c = clause.condition else {
                for i in open { out[i] = clause.action }
                open = []
                break
            }
            let e = try ExpressionEvaluator(c.expression, source: c.source, scope: scope)
            let mask = try e.mask(["target": ExpressionInput(target, rows: .int(open.map { targetRows[$0] })),
                                   "source": ExpressionInput(source, rows: .int(open.map { sourceRows[$0] }))], rowCount: open.count)
            var still: [Int] = []
            for (j, i) in open.enumerated() { if mask[j] { out[i] = clause.action } else { still.append(i) } }
            open = still
        }
        return out
    }

    /// The source rows among `candidates` (unmatched) that a not-matched clause inserts.
    /// O(candidates · clauses · condition size).
    static func insertedRows(_ source: Table, candidates: [Int], clauses: MergeClauses) throws -> [Int] {
        var inserted = [Bool](repeating: false, count: source.rowCount)
        var open = candidates
        let scope = ExpressionScope([("source", source.schema)])
        for clause in clauses.notMatched {
            if open.isEmpty { break }
            guard let c = clause.condition else {
                for r in open { inserted[r] = true }
                open = []
                break
            }
            let e = try ExpressionEvaluator(c.expression, source: c.source, scope: scope)
            let mask = try e.mask(["source": ExpressionInput(source, rows: .int(open))], rowCount: open.count)
            var still: [Int] = []
            for (j, r) in open.enumerated() { if mask[j] { inserted[r] = true } else { still.append(r) } }
            open = still
        }
        return candidates.filter { inserted[$0] }
    }
}
