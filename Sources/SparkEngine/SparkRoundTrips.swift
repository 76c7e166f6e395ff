// Round trips as a chain of self-joins on Spark.
import AMLPipeline
import AMLWorkbench
import Columnar
import Foundation
import SparkConnect

/// Round trips `(v0)-[e1]->(v1); …; (v{n-1})-[en]->(v0)` on Spark with the local engine's
/// semantics (`RoundTrips.detect`): pairwise distinct vertices, strictly increasing times
/// along the cycle (`e1 < e2 < … < en`), `time(en) - time(e1) <= window`, every hop at least
/// `minAmount` when that is positive. Each cycle is found once, from its origin, and rows are
/// ordered by origin id, then by the hops' row numbers in the transactions table.
///
/// Plan: n - 1 joins of the payments with themselves on `dst = src` and time order, the
/// last one closing the cycle; the matches (few) are written as Parquet and formatted here
/// into the `roundtrips` gold table (amounts rounded to cents as the local engine does).
/// The transactions are staged with their row numbers, which define the order of hops with
/// equal keys, so they are read by amlgraph even when they are Parquet or Delta.
public enum SparkRoundTrips {
    public static func run(_ workspace: SparkWorkspace, source: GraphSource, options: RoundTripConfig) throws -> Table {
        guard (2...6).contains(options.length) else { throw SparkEngineError("round-trip length must be 2 to 6, got \(options.length)") }
        let client = workspace.client
        let q = SparkWorkspace.quoted
        var read = source.read
        read.columns = nil
        var tx = try TableIO.read(source.edges, options: read)
        for c in [source.srcColumn, source.dstColumn, options.amountColumn, options.timeColumn] where tx.schema.index(of: c) == nil {
            throw SparkEngineError("\(source.edges): no column \(c) (columns: \(tx.columnNames.joined(separator: ", ")))")
        }
        let hasTxnID = tx.schema.index(of: options.txnIDColumn) != nil && options.txnIDColumn != "_row"
        var keep = [source.srcColumn, source.dstColumn, options.amountColumn, options.timeColumn]
        if hasTxnID { keep.append(options.txnIDColumn) }
        tx = try tx.select(Array(NSOrderedSet(array: keep)) as! [String])
        let timeIsTimestamp = try tx.column(options.timeColumn).type == .timestamp
        tx = try tx.adding("_row", .int64((0..<Int64(tx.rowCount)).map { $0 }))
        let staged = try workspace.stage(tx, name: "roundtrip-transactions")
        try client.createTempView("aml_rt_tx", staged)
        let timeExpr = timeIsTimestamp ? "unix_micros(\(q(options.timeColumn)))" : "CAST(\(q(options.timeColumn)) AS BIGINT)"
        let txnExpr = hasTxnID ? "CAST(\(q(options.txnIDColumn)) AS STRING)" : "CAST(_row AS STRING)"
        try client.createTempView("aml_rt_in", .sql("""
            SELECT \(q(source.srcColumn)) AS s, \(q(source.dstColumn)) AS d, CAST(\(q(options.amountColumn)) AS DOUBLE) AS amount,
                   \(timeExpr) AS t, \(txnExpr) AS txn, _row FROM aml_rt_tx
            """))
        // Dangling payments: the same rule as the other graph operations.
        var names = false
        if let entities = source.vertices {
            let header = try TableIO.schema(entities, options: source.read)
            names = header.index(of: options.nameColumn) != nil
            let v = try workspace.input(entities, columns: names ? [source.idColumn, options.nameColumn] : [source.idColumn], read: source.read)
            try client.createTempView("aml_rt_vertices", v.select(["\(q(source.idColumn)) AS id", names ? "CAST(\(q(options.nameColumn)) AS STRING) AS name" : "CAST(NULL AS STRING) AS name"]))
            let dangling = try client.sql("""
                SELECT count(*) AS n FROM aml_rt_in e WHERE NOT EXISTS (SELECT 1 FROM aml_rt_vertices v WHERE v.id = e.s)
                   OR NOT EXISTS (SELECT 1 FROM aml_rt_vertices v WHERE v.id = e.d)
                """).columns[0].value(at: 0).intValue ?? 0
            if dangling > 0 && !source.dropDangling {
                throw SparkEngineError("\(source.edges): \(dangling) payment(s) to or from entities not in \(entities); pass --drop-dangling to drop them")
            }
            try client.createTempView("aml_rt_e", .sql("SELECT e.* FROM aml_rt_in e LEFT SEMI JOIN aml_rt_vertices a ON e.s = a.id LEFT SEMI JOIN aml_rt_vertices b ON e.d = b.id"))
        } else {
            try client.createTempView("aml_rt_e", .table("aml_rt_in"))
        }
        let n = options.length
        let filter = options.minAmount > 0 ? " AND amount >= \(SparkRiskPropagation.literal(options.minAmount))" : ""
        var from = "(SELECT * FROM aml_rt_e WHERE true\(filter)) e1"
        for i in 2...n {
            from += " JOIN (SELECT * FROM aml_rt_e WHERE true\(filter)) e\(i) ON e\(i - 1).d = e\(i).s AND e\(i - 1).t < e\(i).t"
        }
        // Vertices v0 = e1.s, v_k = e_k.d (k < n); the cycle closes at e_n.d = v0.
        let vertices = ["e1.s"] + (1..<n).map { "e\($0).d" }
        var conditions = ["e\(n).d = e1.s", "e\(n).t - e1.t <= \(options.window)"]
        for i in 0..<vertices.count { for j in (i + 1)..<vertices.count { conditions.append("\(vertices[i]) <> \(vertices[j])") } }
        var columns = vertices.enumerated().map { "\($1) AS v\($0)" }
        for i in 1...n { columns += ["e\(i).txn AS txn\(i)", "e\(i).amount AS amount\(i)", "e\(i).t AS t\(i)", "e\(i)._row AS row\(i)"] }
        var query = "SELECT \(columns.joined(separator: ", ")) FROM \(from) WHERE \(conditions.joined(separator: " AND "))"
        if names {
            let nameCols = (0..<n).map { "n\($0).name AS name\($0)" }.joined(separator: ", ")
            let joins = (0..<n).map { " LEFT JOIN aml_rt_vertices n\($0) ON m.v\($0) = n\($0).id" }.joined()
            query = "SELECT m.*, \(nameCols) FROM (\(query)) m\(joins)"
        }
        query = "SELECT * FROM (\(query)) ORDER BY v0, \((1...n).map { "row\($0)" }.joined(separator: ", "))"
        let found = try workspace.materialize(.sql(query), name: "roundtrips")
        return try table(found, length: n, names: names)
    }

    /// The local engine's `roundtrips` columns from the matches.
    static func table(_ m: Table, length n: Int, names: Bool) throws -> Table {
        func cents(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        let rows = m.rowCount
        let v = try (0..<n).map { try m.column("v\($0)") }
        let txn = try (1...n).map { try m.column("txn\($0)") }
        let amount = try (1...n).map { try m.column("amount\($0)") }
        let time = try (1...n).map { try m.column("t\($0)") }
        let nameColumns = names ? try (0..<n).map { try m.column("name\($0)") } : []
        func name(_ k: Int, _ r: Int) -> String { names && !nameColumns[k].isNull(r) ? nameColumns[k].value(at: r).description : "" }
        func amt(_ i: Int, _ r: Int) -> Double { amount[i].value(at: r).doubleValue ?? 0 }
        func ts(_ i: Int, _ r: Int) -> Int64 { time[i].value(at: r).intValue ?? 0 }
        return try Table([
            ("origin_id", v[0]),
            ("origin_name", .string((0..<rows).map { name(0, $0) })),
            ("intermediary_ids", .string((0..<rows).map { r in (1..<n).map { v[$0].value(at: r).description }.joined(separator: "|") })),
            ("intermediary_names", .string((0..<rows).map { r in (1..<n).map { name($0, r) }.joined(separator: "|") })),
            ("hops", .int64([Int64](repeating: Int64(n), count: rows))),
            ("txn_ids", .string((0..<rows).map { r in (0..<n).map { txn[$0].value(at: r).description }.joined(separator: "|") })),
            ("sent_amount", .double((0..<rows).map { cents(amt(0, $0)) })),
            ("returned_amount", .double((0..<rows).map { cents(amt(n - 1, $0)) })),
            ("agg_amount", .double((0..<rows).map { r in cents((0..<n).reduce(0.0) { $0 + amt($1, r) }) })),
            ("first_ts", .timestamp((0..<rows).map { ts(0, $0) })),
            ("last_ts", .timestamp((0..<rows).map { ts(n - 1, $0) })),
            ("span_hours", .double((0..<rows).map { r in cents(Double(ts(n - 1, r) - ts(0, r)) / 3_600_000_000) })),
        ])
    }
}
