// The entity dedupe gold table: the organisation records of `dedupe` resolved into
// organisations, each record labelled with its cluster.
import Columnar
import EntityResolution

/// The `entity_dedupe` scenario: Splink's `dedupe_only` model on organisation records —
/// name and address with term-frequency adjustments, country, and amount.
public enum EntityDedupe {
    public struct Options: Sendable {
        /// Pairs at or above this match probability are clustered.
        public var threshold = 0.9
        public var model = EntityDedupe.standardModel
        public var training = EntityDedupe.standardTraining
        public init() {}
    }

    /// Compared on silver's normalised columns: the organisation name without its legal form
    /// (exact with TF, Jaro-Winkler ≥ 0.92, 0.8), the address (exact with TF, Jaro-Winkler ≥
    /// 0.9, 0.75), the country (exact), and the amount (within 10%, within 25%). Blocked on
    /// the name, on the address, and on the country with the name's first letters.
    public static let standardModel: FellegiSunterModel = {
        let amount = Comparison(column: "amount", levels: [
            ComparisonLevel(.null, label: "amount is NULL"),
            ComparisonLevel(.exact, label: "Exact match on amount"),
            ComparisonLevel(.percentageDifference(0.1), label: "Percentage difference of 'amount' within 10%"),
            ComparisonLevel(.percentageDifference(0.25), label: "Percentage difference of 'amount' within 25%"),
            ComparisonLevel(.otherwise, label: "All other comparisons"),
        ], description: "PercentageDifferenceAtThresholds")
        return FellegiSunterModel(
            linkType: .dedupeOnly, uniqueIdColumn: "record_id", lambda: 0.0001,
            comparisons: [ComparisonLibrary.jaroWinkler("org_name_norm", [0.92, 0.8], tf: true),
                          ComparisonLibrary.jaroWinkler("address_norm", [0.9, 0.75], tf: true),
                          ComparisonLibrary.exact("country_norm"), amount],
            blockingRules: ["l.org_name_norm = r.org_name_norm", "l.address_norm = r.address_norm",
                            "l.country_norm = r.country_norm and substr(l.org_name_norm, 1, 3) = substr(r.org_name_norm, 1, 3)"])
    }()

    /// λ from records with equal name and address (recall 0.5: typos and abbreviations break
    /// exact equality often); u from up to 1M random pairs; EM sessions blocked on the name
    /// (estimates address, country, amount) and on the address (estimates the name).
    public static let standardTraining: TrainingPlan = {
        var plan = TrainingPlan(
        deterministicRules: ["l.org_name_norm = r.org_name_norm and l.address_norm = r.address_norm"],
        recall: 0.5, maxPairs: 1_000_000, seed: 1,
        emBlockingRules: ["l.org_name_norm = r.org_name_norm", "l.address_norm = r.address_norm"])
        // A small run (one day of a bank's files) may have no pair in a block: skip, don't fail.
        plan.skipEmptyEMRules = true
        return plan
    }()

    /// The gold table from silver `dedupe` records: one row per record, ordered by cluster
    /// then record_id — `record_id, cluster_id` (the cluster's first record_id),
    /// `cluster_size`, `org_name`, `address`, `country`, `amount`, `match_probability` (the
    /// record's best pair at or above the threshold; null for a singleton).
    public static func detect(records: Table, options: Options = .init()) throws -> Table {
        let resolved = try DedupeClusters.resolve(records, model: options.model, plan: options.training, threshold: options.threshold)
        let ids = try records.column("record_id")
        let rows = (0..<records.rowCount).sorted { (resolved.representative[$0], $0) < (resolved.representative[$1], $1) }
        return try Table([
            ("record_id", ids.gather(rows)),
            ("cluster_id", ids.gather(rows.map { resolved.representative[$0] })),
            ("cluster_size", .int64(rows.map { Int64(resolved.size[$0]) })),
            ("org_name", try records.column("org_name").gather(rows)),
            ("address", try records.column("address").gather(rows)),
            ("country", try records.column("country").gather(rows)),
            ("amount", try records.column("amount").gather(rows)),
            ("match_probability", try Column(type: .double, values: rows.map { resolved.bestProbability[$0].map(Value.double) ?? .null })),
        ])
    }

    /// The table's schema with no rows, written when a run has no `dedupe` input so the
    /// gold table always exists with a stable schema.
    public static func empty() throws -> Table {
        try Table([("record_id", .int64([])), ("cluster_id", .int64([])), ("cluster_size", .int64([])),
                   ("org_name", .string([])), ("address", .string([])), ("country", .string([])),
                   ("amount", .double([])), ("match_probability", .double([]))])
    }
}
