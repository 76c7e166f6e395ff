// Entity resolution's prediction and clustering as Spark plans, from a trained model.
import AMLWorkbench
import Columnar
import EntityResolution
import Foundation
import SparkConnect

/// What a Spark resolution returns: the local engine's `Prediction` for the pairs that came
/// back (those at or above the threshold, or all of them), the pairs each blocking rule
/// produced first (over all pairs), and the clusters.
public struct SparkResolutionResult {
    /// Pairs, levels, weights and probabilities, ordered as the local engine orders them
    /// (blocking rule, then left record, then right record), so `EntityResolver.pairsTable`
    /// and `explainTable` write the same files.
    public var prediction: Prediction
    /// Every blocked pair, scored on Spark (also those not brought back).
    public var pairCount: Int
    /// Per record (input order), the index of the first record of its cluster (nil when
    /// clustering was not asked for).
    public var clusterRecords: [Int]?
    public var clusterRounds = 0
    /// Staging and blocking, scoring and reading back, clustering (seconds).
    public var blockSeconds = 0.0
    public var scoreSeconds = 0.0
    public var clusterSeconds = 0.0
}

/// `amlgraph resolve --engine spark`: the prediction and the clusters of a trained model on
/// Spark, with the local engine's results (`EntityResolver.predict` and `clusters`).
///
/// Plan:
/// 1. The records are staged as Parquet with their row index, their rank in the local
///    engine's pair orientation (`Blocker.order`: a pair is (l, r) with l before r) and
///    their source; each term-frequency column gets `count of the value / non-null count`
///    as a window over the records.
/// 2. Blocking: one join per blocking rule (the rule translated by `SparkSQLExpression`,
///    its equalities becoming the hash-join keys), restricted to oriented pairs and to pairs
///    no earlier rule produces (`NOT coalesce(earlier, false)`), which is Splink's dedupe of
///    rules; the union is written as Parquet (`row_l, row_r, match_key`).
/// 3. Scoring: the pairs joined back to both records, the metrics and levels of
///    `SparkComparisonSQL`, the match weight and probability; written as Parquet.
/// 4. The pairs at or above the threshold (or all) are read back natively, ordered as the
///    local engine orders them; pairs per rule come back as a small Arrow result.
/// 5. Clustering: connected components (`SparkConnectedComponents`, large-star/small-star)
///    over the records with the pairs at or above the threshold as edges; each record is
///    labelled with the smallest row index of its component, as `clusterPairs` labels it.
///
/// Refused with a message: MinHash LSH candidates, comparisons `SparkComparisonSQL` refuses,
/// blocking rules with constructs `SparkSQLExpression` refuses. Blocking keys compare text by
/// bytes on Spark, where the local engine compares canonically equivalent (NFC) texts as
/// equal; they differ only on text in different Unicode normal forms.
/// - Complexity: one join per blocking rule, one scoring pass over the blocked pairs (the
///   string metrics run as interpreted lambdas: O(|a|·|b|) per pair and metric), O(log² n)
///   rounds of joins for the clusters.
public enum SparkResolution {
    /// Column names the plan adds to the records.
    static let reserved = ["__row", "__order", "__src"]

    public static func run(_ workspace: SparkWorkspace, resolver: EntityResolver, threshold: Double,
                           allPairs: Bool, cluster: Bool) throws -> SparkResolutionResult {
        let client = workspace.client
        let model = resolver.model
        let table = resolver.table
        var clock = Stopwatch()
        for name in reserved where table.schema.index(of: name) != nil {
            throw SparkEngineError("the input has a column named \(name), which the Spark engine uses itself; rename it")
        }
        let scoring = try SparkComparisonSQL(model: model, schema: table.schema)
        let rules = try model.blockingRules.map { try blockingSQL($0, schema: table.schema) }
        guard !rules.isEmpty else { throw SparkEngineError("the model has no blocking rules (blocking_rules_to_generate_predictions)") }

        // 1. Records.
        let order = Blocker.order(ids: resolver.ids, source: resolver.source, linkType: model.linkType)
        var staged = try table.adding("__row", .int64((0..<Int64(table.rowCount)).map { $0 }))
        staged = try staged.adding("__order", .int64(order.map(Int64.init)))
        staged = try staged.adding("__src", .int64(resolver.source.map(Int64.init)))
        try client.createTempView("aml_er_in", try workspace.stage(staged, name: "resolve-records"))
        let q = SparkWorkspace.quoted
        let tf = scoring.tfColumns.enumerated().map { k, c in
            "CASE WHEN \(q(c)) IS NULL THEN NULL ELSE CAST(count(*) OVER (PARTITION BY \(q(c))) AS DOUBLE) / CAST(count(\(q(c))) OVER () AS DOUBLE) END AS __tf\(k)"
        }
        try client.createTempView("aml_er_rec", try workspace.checkpoint(.sql("SELECT *\(tf.map { ", " + $0 }.joined()) FROM aml_er_in"), name: "resolve-tf"))

        // 2. Blocking.
        let orientation = model.linkType == .linkOnly ? "l.__src = 0 AND r.__src = 1" : "l.__order < r.__order"
        let joins = rules.enumerated().map { k, rule in
            let earlier = rules[..<k].map { " AND NOT coalesce(\($0), false)" }.joined()
            return "SELECT l.__row AS row_l, r.__row AS row_r, CAST(\(k) AS BIGINT) AS match_key FROM aml_er_rec l JOIN aml_er_rec r ON \(rule) AND \(orientation)\(earlier)"
        }
        let pairs = try workspace.checkpoint(.sql(joins.joined(separator: "\nUNION ALL\n")), name: "resolve-pairs")
        try client.createTempView("aml_er_pairs", pairs)
        let counted = try client.sql("SELECT match_key, count(*) AS n FROM aml_er_pairs GROUP BY match_key")
        var perRule = [Int](repeating: 0, count: rules.count)
        for i in 0..<counted.rowCount {
            if let k = try counted.column("match_key").value(at: i).intValue, let n = try counted.column("n").value(at: i).intValue,
               k >= 0, Int(k) < perRule.count { perRule[Int(k)] = Int(n) }
        }
        let blockSeconds = clock.lap()

        // 3. Scoring.
        let nc = model.comparisons.count
        let levels = (0..<nc).map { "CAST(\(scoring.levelCase($0)) AS BIGINT) AS __lvl\($0)" }
        let metrics = scoring.metricColumns()
        let pairColumns = scoring.pairColumns()
        let tfNames = scoring.tfColumns.indices.flatMap { ["__tf\($0)_l", "__tf\($0)_r"] }
        let scoredSQL = """
            SELECT row_l, row_r, match_key, \((0..<nc).map { "__lvl\($0)" }.joined(separator: ", ")), match_weight,
                   \(SparkComparisonSQL.probability("match_weight")) AS match_probability
            FROM (SELECT *, \(scoring.matchWeight()) AS match_weight
                  FROM (SELECT row_l, row_r, match_key, \((levels + tfNames).joined(separator: ", "))
                        FROM (SELECT *\(metrics.map { ", " + $0 }.joined())
                              FROM (SELECT p.row_l, p.row_r, p.match_key\(pairColumns.map { ", " + $0 }.joined())
                                    FROM aml_er_pairs p JOIN aml_er_rec l ON p.row_l = l.__row JOIN aml_er_rec r ON p.row_r = r.__row))))
            """
        let scored = try workspace.checkpoint(.sql(scoredSQL), name: "resolve-scored")
        try client.createTempView("aml_er_scored", scored)
        let keep = allPairs ? "" : " WHERE match_probability >= \(SparkComparisonSQL.double(threshold))"
        let back = try workspace.materialize(.sql("SELECT * FROM aml_er_scored\(keep) ORDER BY match_key, row_l, row_r"), name: "resolve-out")
        var prediction = CandidatePairs()
        prediction.left = try int64s(back, "row_l").map { Int32($0) }
        prediction.right = try int64s(back, "row_r").map { Int32($0) }
        prediction.matchKey = try int64s(back, "match_key").map { UInt8($0) }
        let scoredPairs = ScoredPairs(levelIndices: try (0..<nc).map { c in try int64s(back, "__lvl\(c)").map { UInt8($0) } },
                                      weights: try doubles(back, "match_weight"),
                                      probabilities: try doubles(back, "match_probability"))
        let ruleCounts = zip(model.blockingRules, perRule).map { ($0, $1) }
        var result = SparkResolutionResult(prediction: Prediction(candidates: prediction, counts: ruleCounts, scored: scoredPairs),
                                           pairCount: perRule.reduce(0, +), clusterRecords: nil)
        result.blockSeconds = blockSeconds
        result.scoreSeconds = clock.lap()

        // 5. Clusters.
        if cluster {
            try client.createTempView("aml_er_cc_edges", .sql("SELECT row_l AS s, row_r AS d FROM aml_er_scored WHERE match_probability >= \(SparkComparisonSQL.double(threshold))"))
            try client.createTempView("aml_er_cc_vertices", .sql("SELECT __row AS id FROM aml_er_rec"))
            let (labels, rounds) = try SparkConnectedComponents.components(workspace, prefix: "aml_er_cc")
            let t = try workspace.materialize(labels, name: "resolve-clusters")
            var out = [Int](repeating: -1, count: table.rowCount)
            for (id, c) in zip(try int64s(t, "id"), try int64s(t, "component")) where id >= 0 && Int(id) < out.count { out[Int(id)] = Int(c) }
            guard !out.contains(where: { $0 < 0 || $0 >= table.rowCount }) else {
                throw SparkEngineError("internal: Spark's cluster labels do not cover every record")
            }
            result.clusterRecords = out
            result.clusterRounds = rounds
            result.clusterSeconds = clock.lap()
        }
        return result
    }

    /// A blocking rule as a Spark SQL join condition over `l` and `r`.
    public static func blockingSQL(_ text: String, schema: Schema) throws -> String {
        let rule: BlockingRule
        do { rule = try BlockingRule(text) } catch { throw SparkEngineError("\(error)") }
        return try SparkSQLExpression(source: text) { qualifier, name, offset in
            guard let qualifier, qualifier == "l" || qualifier == "r" else {
                throw SparkEngineError("blocking rule '\(text)', column \(offset + 1): '\(name)' must be qualified by l. or r.")
            }
            guard let field = schema.fields.first(where: { $0.name == name }) else {
                throw SparkEngineError("blocking rule '\(text)', column \(offset + 1): no column \(name) (columns: \(schema.names.joined(separator: ", ")))")
            }
            return ("\(qualifier).\(SparkWorkspace.quoted(name))", field.type)
        }.sql(rule.expression)
    }

    static func int64s(_ table: Table, _ name: String) throws -> [Int64] {
        let column = try table.column(name)
        switch column.data {
        case let .int64(v): return v
        case let .int32(v): return v.map(Int64.init)
        default: return (0..<column.count).map { column.value(at: $0).intValue ?? -1 }
        }
    }

    static func doubles(_ table: Table, _ name: String) throws -> [Double] {
        let column = try table.column(name)
        if case let .double(v) = column.data { return v }
        return (0..<column.count).map { column.value(at: $0).doubleValue ?? .nan }
    }
}
