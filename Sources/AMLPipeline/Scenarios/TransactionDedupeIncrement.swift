// The transaction dedupe with a saved model, updated from the previous run's table: with a
// fixed model and no term-frequency adjustments a pair's score depends on its two records
// only, so the pairs among earlier payments score as they did, and a day's run scores only
// the pairs that involve a new payment.
import Columnar
import EntityResolution
import Foundation
import GraphAlgorithms

extension TransactionDedupe {
    /// The previous run's `transaction_dedupe` table (read back from the lake) and how many
    /// transactions it was computed from: the first `rows` rows of this run's transactions,
    /// in the same order (silver appends the new payments after them).
    public struct Previous: Sendable {
        public var table: Table
        public var rows: Int
        public init(table: Table, rows: Int) { self.table = table; self.rows = rows }
    }

    /// The model at `file`; when there is none yet, `options.model` trained on `training` as
    /// `options.training` says, written to `file` and read back (so every run predicts with
    /// the model exactly as the file holds it). O(file), or a training run.
    static func savedModel(_ file: String, training: Table, options: Options) throws -> FellegiSunterModel {
        if !FileManager.default.fileExists(atPath: file) {
            var resolver = try EntityResolver(model: options.model, table: training)
            try resolver.train(options.training)
            try SplinkModelJSON.write(resolver.model, to: file)
        }
        return try SplinkModelJSON.read(path: file)
    }

    /// Whether `update` can extend a previous table under `options`: a saved model exists at
    /// `modelFile`, it blocks with `blockingRules` (the candidate filter below knows those
    /// keys) and no comparison level has a term-frequency adjustment (which would make old
    /// pairs' scores depend on the new payments). O(model file).
    public static func updatable(_ options: Options) -> Bool {
        guard let file = options.modelFile, FileManager.default.fileExists(atPath: file),
              let model = try? SplinkModelJSON.read(path: file) else { return false }
        return model.blockingRules == blockingRules && model.comparisons.allSatisfy { $0.levels.allSatisfy { $0.tfColumn == nil } }
    }

    /// The table `detect` computes over all of `transactions` with the saved model, from the
    /// previous table over its first `previous.rows` rows: only the candidate pairs with a new
    /// payment are blocked and scored (the new payments with the earlier ones sharing an
    /// amount and a name or address prefix with one of them, `blockingRules`), and clusters are
    /// the connected components of the previous clusters plus the new pairs at or above the
    /// threshold, each named by its first record in input order, as `detect` names them.
    /// Returns nil when the previous table names a txn_id the first rows do not hold, or lacks
    /// one of its columns.
    /// - Complexity: O(n) to find the previous rows and the candidates, plus the candidate
    ///   records' pairs.
    public static func update(transactions: Table, previous: Previous, options: Options) throws -> (table: Table, newRows: Int, pairs: Int)? {
        guard let file = options.modelFile else { return nil }
        let model = try savedModel(file, training: transactions, options: options)
        let n = transactions.rowCount, old = previous.rows
        guard old <= n else { return nil }
        if old == n { return (previous.table, 0, 0) }
        let amount = try transactions.column("txn_amount")
        let name = try transactions.column("rptd_originator_name_tokens"), address = try transactions.column("rptd_originator_address_norm")

        // The blocking keys of the new payments; an earlier payment is a candidate when it
        // shares one (equal amounts and the first 2 characters of the name words, or the
        // first 4 of the address; a null never equals anything).
        struct Key: Hashable { var amount: Value; var prefix: String }
        var amounts = Set<Value>(), nameKeys = Set<Key>(), addressKeys = Set<Key>()
        for r in old..<n {
            let a = amount.value(at: r)
            if a == .null { continue }
            amounts.insert(a)
            if let s = name.value(at: r).stringValue { nameKeys.insert(Key(amount: a, prefix: String(s.prefix(2)))) }
            if let s = address.value(at: r).stringValue { addressKeys.insert(Key(amount: a, prefix: String(s.prefix(4)))) }
        }
        var rows: [Int] = []
        for r in 0..<old {
            let a = amount.value(at: r)
            guard amounts.contains(a) else { continue }
            if let s = name.value(at: r).stringValue, nameKeys.contains(Key(amount: a, prefix: String(s.prefix(2)))) { rows.append(r); continue }
            if let s = address.value(at: r).stringValue, addressKeys.contains(Key(amount: a, prefix: String(s.prefix(4)))) { rows.append(r) }
        }
        rows += Array(old..<n)

        // Pairs with a new payment, scored by the saved model (row order kept, so each pair
        // is oriented as in a whole run).
        let resolver = try EntityResolver(model: model, table: transactions.gather(rows))
        let prediction = try resolver.predict()
        let probability = prediction.scored.matchProbability
        var src: [UInt32] = [], dst: [UInt32] = []
        var best = [Double?](repeating: nil, count: n)
        var scored = 0
        for p in 0..<prediction.pairs.count {
            let l = rows[Int(prediction.pairs.left[p])], r = rows[Int(prediction.pairs.right[p])]
            guard l >= old || r >= old else { continue }
            scored += 1
            guard probability[p] >= options.threshold else { continue }
            src.append(UInt32(l)); dst.append(UInt32(r))
            best[l] = max(best[l] ?? 0, probability[p]); best[r] = max(best[r] ?? 0, probability[p])
        }

        // The previous clusters: each member joined to its cluster's first record.
        let ids = try transactions.column("txn_id")
        // A previous table without its columns cannot be extended: recompute instead.
        guard let previousIDs = try? previous.table.column("txn_id"), let clusterIDs = try? previous.table.column("cluster_id"),
              let previousBest = try? previous.table.column("match_probability") else { return nil }
        var rowOf: [Value: Int] = [:]
        rowOf.reserveCapacity(previous.table.rowCount)
        // Rows are found by txn_id, so a null or repeated id (possible only when a custom
        // expectation suite drops txn_id_not_null or unique_txn_id) means recomputing.
        for g in 0..<previous.table.rowCount {
            let id = previousIDs.value(at: g)
            if id.isNull { return nil }
            rowOf[id] = -1
        }
        var found = 0
        for r in 0..<old {
            let id = ids.value(at: r)
            guard let at = rowOf[id] else { continue }
            if at >= 0 { return nil }
            rowOf[id] = r
            found += 1
        }
        guard found == rowOf.count else { return nil }
        for g in 0..<previous.table.rowCount {
            guard let r = rowOf[previousIDs.value(at: g)], let c = rowOf[clusterIDs.value(at: g)], r >= 0, c >= 0 else { return nil }
            src.append(UInt32(r)); dst.append(UInt32(c))
            if let b = previousBest.value(at: g).doubleValue { best[r] = max(best[r] ?? 0, b) }
        }
        let labels = WeaklyConnectedComponents.labels(vertexCount: n, src: src, dst: dst).map(Int.init)
        var counts = [Int](repeating: 0, count: n)
        for l in labels { counts[l] += 1 }
        let table = try table(transactions, representative: labels, size: labels.map { counts[$0] }, best: best)
        return (table, n - old, scored)
    }
}
