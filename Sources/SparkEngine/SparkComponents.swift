// Weakly connected components on Spark: the alternating large-star / small-star algorithm.
import AMLWorkbench
import Columnar
import SparkConnect

/// The components of a graph computed on Spark, with the local engine's output.
public struct SparkComponentsResult {
    /// `id, component`, ordered by id: each vertex and the smallest id of its component.
    public var table: Table
    /// Large-star + small-star rounds until the edge set stopped changing.
    public var rounds: Int
    public var edgesDropped: Int
    /// Staging the inputs and the checks on them (seconds).
    public var prepareSeconds = 0.0
    /// The large-star / small-star rounds (seconds).
    public var roundSeconds = 0.0
    /// Labelling, writing and reading back the result (seconds).
    public var labelSeconds = 0.0

    /// Components, vertices, largest size and singletons, as the local engine reports them.
    public var summary: String {
        guard let c = try? table.column("component") else { return "" }
        var sizes: [Value: Int] = [:]
        for i in 0..<c.count { sizes[c.value(at: i), default: 0] += 1 }
        return "components=\(sizes.count) vertices=\(table.rowCount) largest=\(sizes.values.max() ?? 0) singletons=\(sizes.values.filter { $0 == 1 }.count) (spark: \(rounds) rounds)"
    }
}

/// Weakly connected components as Spark plans.
///
/// Algorithm: Kiveris et al., "Connected Components in MapReduce and Beyond" (SoCC 2014),
/// alternating *large-star* (link every neighbour larger than a vertex to the smallest vertex of
/// its closed neighbourhood) and *small-star* (link a vertex and its smaller neighbours to the
/// smallest of them) until the edge set is a fixpoint (a star forest: each vertex linked to one smaller root that links
/// nowhere); then every vertex is joined directly to
/// its component's smallest id. O(log² n) rounds; each round's edge set is written as Parquet
/// (`SparkWorkspace.checkpoint`), so the plan of round k does not carry rounds 1..k-1.
///
/// Semantics are the local engine's (`WeaklyConnectedComponents`): edge direction is ignored,
/// self-loops and parallel edges change nothing, every vertex (from `vertices` when given,
/// otherwise the edge endpoints) is labelled with the smallest id of its component in the id
/// column's order (integers numerically, strings by bytes, which is Spark's string order too).
/// Edges whose endpoint is not a vertex fail the run, or are dropped with `dropDangling`.
/// The result is large (one row per vertex), so Spark writes it as Parquet and amlgraph reads it.
public enum SparkConnectedComponents {
    /// Upper bound on rounds; the algorithm needs O(log² n), so reaching it means a bug.
    public static let maxRounds = 200

    public static func run(_ workspace: SparkWorkspace, source: GraphSource) throws -> SparkComponentsResult {
        var clock = Stopwatch()
        let dropped = try SparkGraphInput.load(workspace, source, prefix: "aml_cc")
        let prepareSeconds = clock.lap()
        let (labels, rounds) = try components(workspace, prefix: "aml_cc")
        let roundSeconds = clock.lap()
        let table = try workspace.materialize(labels.orderBy(["id"]), name: "cc-labels")
        return SparkComponentsResult(table: table, rounds: rounds, edgesDropped: dropped, prepareSeconds: prepareSeconds,
                                     roundSeconds: roundSeconds, labelSeconds: clock.lap())
    }

    /// The rounds on the session views `<prefix>_edges (s, d)` and `<prefix>_vertices (id)`
    /// (every edge endpoint a vertex): a relation `id, component` (unordered) whose rounds
    /// are already written, and the number of rounds.
    public static func components(_ workspace: SparkWorkspace, prefix: String) throws -> (labels: SparkRelation, rounds: Int) {
        let client = workspace.client
        // Undirected edges as (a, b) with a > b; self-loops and duplicates go.
        var current = try workspace.checkpoint(.sql("SELECT DISTINCT greatest(s, d) AS a, least(s, d) AS b FROM \(prefix)_edges WHERE s <> d"), name: "\(prefix)-e0")
        var rounds = 0
        while true {
            rounds += 1
            guard rounds <= maxRounds else { throw SparkEngineError("connected components did not converge in \(maxRounds) rounds") }
            try client.createTempView("\(prefix)_e", current)
            let large = try workspace.checkpoint(.sql("""
                WITH nbr AS (SELECT a AS u, b AS v FROM \(prefix)_e UNION ALL SELECT b AS u, a AS v FROM \(prefix)_e),
                     m AS (SELECT u, least(u, min(v)) AS m FROM nbr GROUP BY u)
                SELECT DISTINCT nbr.v AS a, m.m AS b FROM nbr JOIN m ON nbr.u = m.u WHERE nbr.v > nbr.u
                """), name: "\(prefix)-large")
            try client.createTempView("\(prefix)_l", large)
            let small = try workspace.checkpoint(.sql("""
                WITH m AS (SELECT a AS u, min(b) AS m FROM \(prefix)_l GROUP BY a)
                SELECT e.b AS a, m.m AS b FROM \(prefix)_l e JOIN m ON e.a = m.u WHERE e.b <> m.m
                UNION
                SELECT u AS a, m AS b FROM m
                """), name: "\(prefix)-small")
            try client.createTempView("\(prefix)_s", small)
            // A fixpoint of both steps is exactly a star forest: every vertex links to one
            // smaller vertex (its root), and no root links further.
            let check = try client.sql("""
                SELECT (SELECT count(*) - count(DISTINCT a) FROM \(prefix)_s) AS multi,
                       (SELECT count(*) FROM \(prefix)_s x LEFT SEMI JOIN \(prefix)_s y ON x.b = y.a) AS chained
                """)
            let multi = try check.column("multi").value(at: 0).intValue ?? -1
            let chained = try check.column("chained").value(at: 0).intValue ?? -1
            current = small
            if multi == 0 && chained == 0 { break }
        }
        try client.createTempView("\(prefix)_final", current)
        let labels = SparkRelation.sql("""
            SELECT v.id AS id, coalesce(m.c, v.id) AS component
            FROM \(prefix)_vertices v LEFT JOIN (SELECT a, min(b) AS c FROM \(prefix)_final GROUP BY a) m ON v.id = m.a
            """)
        return (labels, rounds)
    }
}
