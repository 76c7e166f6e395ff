// Risk propagation (Pregel with a weighted-sum message) as iterated Spark joins and aggregations.
import AMLWorkbench
import Columnar
import SparkConnect

/// The propagation rule, as the local engine's `RiskRule` (kept separate so this engine layer
/// does not depend on the pipeline module).
public enum SparkRiskRule: Sendable, Equatable {
    /// Each payment sends `src / 2`; `state = seedBase + Σ messages` where any arrived.
    case accelerator
    /// `src · decay · amount / outflow(src)`; `state = clamp(seedBase + Σ, 0, max(bound, seedBase))`
    /// where any arrived; `bound = cap` when `cap > 0`, otherwise the largest base risk.
    case weighted(decay: Double, cap: Double)
}

/// Column names and options of a risk run on Spark.
public struct SparkRiskOptions: Sendable {
    public var rule: SparkRiskRule = .accelerator
    public var maxIterations = 3
    public var seedThreshold = 0.0
    public var riskColumn = "risk_score"
    public var amountColumn = "txn_amount"
    /// Add `risk_score_0 … risk_score_n`.
    public var history = false
    public init() {}
}

/// A risk table computed on Spark and where the time went (seconds, wall clock on this side).
public struct SparkRiskResult {
    /// The local engine's `risk_propagation` columns (and history), ordered by entity id.
    public var table: Table
    /// Staging the inputs, base risks and edge shares.
    public var prepareSeconds = 0.0
    /// The supersteps alone (what a Pregel run on Spark does).
    public var superstepSeconds = 0.0
    /// Hops from seeds, top contributors and writing/reading the result.
    public var reportSeconds = 0.0
}

/// Risk propagation on Spark with the local engine's semantics (`RiskPropagation`).
///
/// Seeds are entities whose base risk (NULL = 0) is positive and at least the threshold; the
/// others start at 0. Every payment sends `state(src) · share` each superstep (share 0.5, or
/// the weighted rule's amount share); an entity that receives at least one payment (any
/// in-edge) takes the rule's update, others keep their state. Reported scores are
/// `max(state, base)`. `hops_from_seed` is the breadth-first distance along payments from the
/// nearest seed; `top_contributors` the three payers whose last-round messages were largest
/// (parallel payments summed; ties to the smaller payer id), `payer:amount|…`.
///
/// Plan: each superstep is one join (edges × states) and one aggregation (messages per payee)
/// plus a left join for the update; the states are written as Parquet every superstep, so
/// the plan never grows with the number of supersteps. The result (one row per entity) is
/// written as Parquet and read natively; the scalars (largest base risk, BFS frontier sizes)
/// come back as Arrow.
/// - Complexity: O(rounds · (V + E)) work on the cluster, plus O(BFS depth) jobs for the hops.
public enum SparkRiskPropagation {
    public static func run(_ workspace: SparkWorkspace, source: GraphSource, options: SparkRiskOptions) throws -> SparkRiskResult {
        let client = workspace.client
        var clock = Stopwatch()
        var edgeExtra: [(column: String, as: String)] = []
        if case .weighted = options.rule { edgeExtra = [(options.amountColumn, "amount")] }
        _ = try SparkGraphInput.load(workspace, source, prefix: "aml_risk", edgeColumns: edgeExtra, vertexColumns: [(options.riskColumn, "risk")])

        let base = try workspace.checkpoint(.sql("""
            SELECT id, coalesce(CAST(risk AS DOUBLE), 0D) AS base,
                   CASE WHEN coalesce(CAST(risk AS DOUBLE), 0D) > 0 AND coalesce(CAST(risk AS DOUBLE), 0D) >= \(literal(options.seedThreshold))
                        THEN CAST(risk AS DOUBLE) ELSE 0D END AS seed
            FROM aml_risk_vertices
            """), name: "risk-base")
        try client.createTempView("aml_risk_base", base)
        let bad = try client.sql("SELECT CAST(id AS STRING) AS id, base FROM aml_risk_base WHERE isnan(base) OR base IN (double('inf'), double('-inf')) LIMIT 1")
        if bad.rowCount > 0 {
            throw SparkEngineError("base risk of entity \(try bad.column("id").value(at: 0)) is \(try bad.column("base").value(at: 0)); expected a finite number")
        }

        let shareSQL: String
        let updateSQL: String
        switch options.rule {
        case .accelerator:
            shareSQL = "SELECT s, d, 0.5D AS w FROM aml_risk_edges"
            updateSQL = "m.msg + b.seed"
        case let .weighted(decay, cap):
            shareSQL = """
                SELECT e.s, e.d, CASE WHEN o.total > 0 THEN \(literal(decay)) * greatest(0D, coalesce(CAST(e.amount AS DOUBLE), 0D)) / o.total ELSE 0D END AS w
                FROM aml_risk_edges e JOIN (SELECT s, sum(greatest(0D, coalesce(CAST(amount AS DOUBLE), 0D))) AS total FROM aml_risk_edges GROUP BY s) o ON e.s = o.s
                """
            let largest = try client.sql("SELECT coalesce(max(base), 0D) AS m FROM aml_risk_base").columns[0].value(at: 0).doubleValue ?? 0
            let bound = cap > 0 ? cap : largest
            updateSQL = "least(greatest(\(literal(bound)), b.seed), greatest(0D, m.msg + b.seed))"
        }
        try client.createTempView("aml_risk_w", try workspace.checkpoint(.sql(shareSQL), name: "risk-shares"))

        let prepareSeconds = clock.lap()
        // Supersteps: states[k] holds (id, st) after k rounds.
        var states = [try workspace.checkpoint(.sql("SELECT id, seed AS st FROM aml_risk_base"), name: "risk-state0")]
        for round in 1...max(1, options.maxIterations) where round <= options.maxIterations {
            try client.createTempView("aml_risk_s", states[round - 1])
            let next = SparkRelation.sql("""
                SELECT b.id, CASE WHEN m.msg IS NULL THEN s.st ELSE \(updateSQL) END AS st
                FROM aml_risk_base b JOIN aml_risk_s s ON b.id = s.id
                LEFT JOIN (SELECT w.d AS id, sum(s.st * w.w) AS msg FROM aml_risk_w w JOIN aml_risk_s s ON w.s = s.id GROUP BY w.d) m ON b.id = m.id
                """)
            states.append(try workspace.checkpoint(next, name: "risk-state\(round)"))
        }
        let superstepSeconds = clock.lap()
        for (k, s) in states.enumerated() { try client.createTempView("aml_risk_s\(k)", s) }
        let last = states.count - 1

        // Hops from the nearest seed: breadth-first, one frontier per job.
        var hops = try workspace.checkpoint(.sql("SELECT id, 0 AS hops FROM aml_risk_base WHERE seed > 0"), name: "risk-hops0")
        var depth = 0
        while true {
            try client.createTempView("aml_risk_h", hops)
            depth += 1
            let reached = SparkRelation.sql("""
                SELECT id, hops FROM aml_risk_h
                UNION ALL
                SELECT DISTINCT w.d AS id, \(depth) AS hops
                FROM aml_risk_w w JOIN aml_risk_h f ON w.s = f.id AND f.hops = \(depth - 1)
                LEFT ANTI JOIN aml_risk_h h ON w.d = h.id
                """)
            let next = try workspace.checkpoint(reached, name: "risk-hops\(depth)")
            try client.createTempView("aml_risk_hn", next)
            if try SparkGraphInput.scalar(client, "SELECT count(*) AS n FROM aml_risk_hn WHERE hops = \(depth)") == 0 { hops = next; break }
            hops = next
        }
        try client.createTempView("aml_risk_hops", hops)

        // Top three payers by last-round message (the states before the last superstep).
        let previous = last >= 1 ? last - 1 : 0
        try client.createTempView("aml_risk_top", try workspace.checkpoint(.sql("""
            SELECT id, payer, amount, rank FROM (
              SELECT id, payer, amount, row_number() OVER (PARTITION BY id ORDER BY amount DESC, payer ASC) AS rank FROM (
                SELECT w.d AS id, w.s AS payer, sum(s.st * w.w) AS amount
                FROM aml_risk_w w JOIN aml_risk_s\(previous) s ON w.s = s.id
                WHERE s.st * w.w > 0
                GROUP BY w.d, w.s))
            WHERE rank <= 3
            """), name: "risk-top"))

        var columns = ["b.id AS entity_id", "b.base AS base_risk", "greatest(s\(last).st, b.base) AS risk_score", "h.hops AS hops_from_seed"]
        for r in 1...3 {
            columns.append("t\(r).payer AS c\(r)_payer")
            columns.append("t\(r).amount AS c\(r)_amount")
        }
        var joins = "FROM aml_risk_base b JOIN aml_risk_s\(last) s\(last) ON b.id = s\(last).id LEFT JOIN aml_risk_hops h ON b.id = h.id"
        for r in 1...3 { joins += " LEFT JOIN aml_risk_top t\(r) ON b.id = t\(r).id AND t\(r).rank = \(r)" }
        if options.history {
            for k in 0...last {
                if k != last { joins += " JOIN aml_risk_s\(k) s\(k) ON b.id = s\(k).id" }
                columns.append("greatest(s\(k).st, b.base) AS risk_score_\(k)")
            }
        }
        let wide = try workspace.materialize(.sql("SELECT \(columns.joined(separator: ", ")) \(joins) ORDER BY entity_id"), name: "risk-result")
        let table = try assemble(wide, history: options.history ? last : nil)
        return SparkRiskResult(table: table, prepareSeconds: prepareSeconds, superstepSeconds: superstepSeconds, reportSeconds: clock.lap())
    }

    /// The local engine's columns from the wide Spark result: `top_contributors` is formatted
    /// here (`payer:amount` with amlgraph's number format) rather than with Spark's casts.
    static func assemble(_ wide: Table, history: Int?) throws -> Table {
        var contributors = ColumnBuilder(type: .string)
        let payers = try (1...3).map { try wide.column("c\($0)_payer") }
        let amounts = try (1...3).map { try wide.column("c\($0)_amount") }
        for row in 0..<wide.rowCount {
            var parts: [String] = []
            for r in 0..<3 where !payers[r].isNull(row) {
                parts.append("\(payers[r].value(at: row)):\(formatDouble(amounts[r].value(at: row).doubleValue ?? 0))")
            }
            if parts.isEmpty { contributors.appendNull() } else { contributors.append(string: parts.joined(separator: "|")) }
        }
        var hops = ColumnBuilder(type: .int64)
        let rawHops = try wide.column("hops_from_seed")
        for row in 0..<wide.rowCount {
            if let h = rawHops.value(at: row).intValue { hops.append(int: h) } else { hops.appendNull() }
        }
        var pairs: [(String, Column)] = [
            ("entity_id", try wide.column("entity_id")), ("base_risk", try wide.column("base_risk")),
            ("risk_score", try wide.column("risk_score")), ("hops_from_seed", hops.finish()), ("top_contributors", contributors.finish()),
        ]
        if let history { for k in 0...history { pairs.append(("risk_score_\(k)", try wide.column("risk_score_\(k)"))) } }
        return try Table(pairs)
    }

    /// A double as a Spark SQL literal.
    static func literal(_ x: Double) -> String { x.isFinite ? "CAST('\(x)' AS DOUBLE)" : "0D" }
}
