// The transaction dedupe gold table: transactions whose reported originator (name and
// address as the paying bank wrote them) is the same party, among transactions of the same
// amount. A cluster spanning several originator ids is one party paying from several
// accounts, or one payment reported twice.
import Columnar
import EntityResolution

/// The `transaction_dedupe` scenario: Splink's `dedupe_only` model blocked on the amount plus a
/// short prefix of the reported originator's name or address (`blockingRules`), comparing the
/// reported originator name and address.
public enum TransactionDedupe {
    public struct Options: Sendable {
        /// Pairs at or above this match probability are clustered.
        public var threshold = 0.9
        public var model = TransactionDedupe.standardModel
        public var training = TransactionDedupe.standardTraining
        /// A saved model (Splink's JSON, as `amlgraph resolve` reads and writes it) used as is,
        /// so no run trains: config `scenarios.transaction_dedupe.model`, `pipeline
        /// --transaction-dedupe-model`. When the file does not exist yet, the run trains `model`
        /// with `training`, writes it there and predicts with the model read back from it. nil
        /// (the default) trains on every run's payments. With a fixed model a day's run scores
        /// only the pairs involving its new payments (see `update`).
        public var modelFile: String? = nil
        public init() {}
    }

    /// Compared on silver's normalised columns: the name as its sorted words (exact,
    /// Jaro-Winkler ≥ 0.92, 0.7; sorting makes "tanaka ines" and "ines tanaka" equal at the
    /// cost of one sort per record, not a set comparison per pair) and the address (exact,
    /// Jaro-Winkler ≥ 0.9, 0.7). No term-frequency adjustments: in a transaction table a name's
    /// frequency measures how often its owner pays, not how common the name is, and would
    /// penalise busy payers.
    ///
    /// Blocking (`blockingRules`, Splink's OR of rules): equal amounts AND the same first two
    /// characters of the sorted name words, OR equal amounts AND the same first four characters
    /// of the normalised address. Amounts alone are not a key: rent, salaries, subscriptions
    /// and card payments repeat amounts, and a block of n equal amounts is n²/2 pairs (a bank
    /// world of 1.42M payments has one amount paid 3,317 times and 31M same-amount pairs; the
    /// two rules leave 8M). A pair is lost only when a typo changes both prefixes; on that
    /// world 99.9 % of the same-originator same-amount pairs share a prefix, and clustering
    /// joins most of the rest through a third record.
    public static let standardModel = FellegiSunterModel(
        linkType: .dedupeOnly, uniqueIdColumn: "txn_id", lambda: 0.0001,
        comparisons: [ComparisonLibrary.jaroWinkler("rptd_originator_name_tokens", [0.92, 0.7]),
                      ComparisonLibrary.jaroWinkler("rptd_originator_address_norm", [0.9, 0.7])],
        blockingRules: TransactionDedupe.blockingRules)

    /// Equal amounts plus a name or an address prefix (see `standardModel`).
    public static let blockingRules = [
        "l.txn_amount = r.txn_amount and substr(l.rptd_originator_name_tokens, 1, 2) = substr(r.rptd_originator_name_tokens, 1, 2)",
        "l.txn_amount = r.txn_amount and substr(l.rptd_originator_address_norm, 1, 4) = substr(r.rptd_originator_address_norm, 1, 4)",
    ]

    /// λ = P(two random transactions share their reported originator), from the pairs whose
    /// normalised name and address are both equal at an assumed recall of 0.6 (counted from
    /// the key groups, never materialised); u from 200k random pairs; m by two EM sessions,
    /// one per blocking rule (each trains the comparison its rule does not read, as Splink
    /// leaves a rule's columns out of its session).
    public static let standardTraining: TrainingPlan = {
        var plan = TrainingPlan(
        deterministicRules: ["l.rptd_originator_name_tokens = r.rptd_originator_name_tokens and l.rptd_originator_address_norm = r.rptd_originator_address_norm"],
        recall: 0.6, maxPairs: 200_000, seed: 1, emBlockingRules: TransactionDedupe.blockingRules)
        // A small run (one day of a bank's files) may have no pair in a block: skip, don't fail.
        plan.skipEmptyEMRules = true
        return plan
    }()

    /// The gold table from silver transactions (with the `_norm` columns): one row per
    /// transaction in a cluster of two or more, ordered by cluster then txn_id —
    /// `txn_id, cluster_id` (the txn_id of the cluster's first transaction in input order), `cluster_size`,
    /// `distinct_originators` (originator ids in the cluster), `originator_id`,
    /// `txn_amount`, `rptd_originator_name`, `rptd_originator_address`, `match_probability`
    /// (the record's best pair).
    /// - Complexity: O(n) for training counts, O(200k) for u, and the blocked pairs (same
    ///   amount and same name or address prefix) for EM and prediction.
    public static func detect(transactions: Table, options: Options = .init()) throws -> Table {
        let resolved: DedupeClusters
        if let file = options.modelFile {
            let model = try savedModel(file, training: transactions, options: options)
            resolved = try DedupeClusters.resolve(transactions, model: model, plan: nil, threshold: options.threshold)
        } else {
            resolved = try DedupeClusters.resolve(transactions, model: options.model, plan: options.training, threshold: options.threshold)
        }
        return try table(transactions, representative: resolved.representative, size: resolved.size, best: resolved.bestProbability)
    }

    /// The gold table's rows for the records in clusters of two or more: `representative` is
    /// each record's cluster (its first record's row), `size` its cluster's size, `best` its
    /// best pair's probability. O(n + rows out · log).
    static func table(_ transactions: Table, representative: [Int], size: [Int], best: [Double?]) throws -> Table {
        let ids = try transactions.column("txn_id"), originators = try transactions.column("originator_id")
        var originatorsPerCluster: [Int: Set<Value>] = [:]
        for r in 0..<transactions.rowCount where size[r] > 1 {
            originatorsPerCluster[representative[r], default: []].insert(originators.value(at: r))
        }
        let rows = (0..<transactions.rowCount).filter { size[$0] > 1 }
            .sorted { (representative[$0], $0) < (representative[$1], $1) }
        return try Table([
            ("txn_id", ids.gather(rows)),
            ("cluster_id", ids.gather(rows.map { representative[$0] })),
            ("cluster_size", .int64(rows.map { Int64(size[$0]) })),
            ("distinct_originators", .int64(rows.map { Int64(originatorsPerCluster[representative[$0]]?.count ?? 1) })),
            ("originator_id", originators.gather(rows)),
            ("txn_amount", try transactions.column("txn_amount").gather(rows)),
            ("rptd_originator_name", try transactions.column("rptd_originator_name").gather(rows)),
            ("rptd_originator_address", try transactions.column("rptd_originator_address").gather(rows)),
            ("match_probability", .double(rows.map { best[$0] ?? 0 })),
        ])
    }
}
