// Structuring (smurfing) on Spark: the chain motif as a join, the chain choice here.
import AMLPipeline
import AMLWorkbench
import Columnar
import Foundation
import GraphAlgorithms
import SparkConnect

/// The structuring detector (`Structuring.detect` in AMLPipeline) with its chain search on
/// Spark: chains `a -[e1]-> b -[e2]-> c` and the forwarding payment `c -[e6]-> g` with
/// pairwise distinct a, b, c, g, e1 and e2 under the threshold, `t(e1) < t(e2) < t(e6)` and
/// all three within the window, as one self-join of the payments. Forwarding payments with
/// fewer than two distinct sources or mules cannot qualify and are dropped on Spark. The
/// remaining matches come back ordered by (e6, t(e2), e2, e1), and the local engine's
/// order-dependent rule runs here: per e6, greedily keep chains whose source, mule and e2
/// are new; at least two, total over the threshold, e6 carrying `forwardShare` of it; events
/// merged per (collector, beneficiary). `options.threads` is the local engine's and does not apply. Output: the local `structuring` and
/// `structuring_levels` tables, row for row.
/// - Complexity: the join on Spark, plus O(m log m) here for m matches returned.
public enum SparkStructuring {
    public static func run(_ workspace: SparkWorkspace, source: GraphSource, options: StructuringConfig) throws -> (alerts: Table, levels: Table) {
        let client = workspace.client
        var read = source.read
        read.columns = nil
        let tx = try TableIO.read(source.edges, options: read)
        for c in [source.srcColumn, source.dstColumn] where tx.schema.index(of: c) == nil {
            throw SparkEngineError("\(source.edges): no column \(c) (columns: \(tx.columnNames.joined(separator: ", ")))")
        }
        guard let amountColumn = try? tx.column(options.amountColumn) else {
            throw SparkEngineError("transactions have no amount column '\(options.amountColumn)' (columns: \(tx.columnNames.joined(separator: ", ")))")
        }
        let amounts: [Double]
        switch amountColumn.data {
        case let .double(a): amounts = a
        case let .int64(a): amounts = a.map(Double.init)
        case let .int32(a): amounts = a.map(Double.init)
        case let .decimal(a, _, s): amounts = a.map { Double($0) / pow(10, Double(s)) }
        default:
            // Other numeric encodings (wider decimals): value by value, as the local engine converts them.
            let values = (0..<amountColumn.count).map { amountColumn.isNull($0) ? 0 : amountColumn.value(at: $0).doubleValue }
            guard amountColumn.type != .string, amountColumn.type != .bool, !values.contains(nil) else {
                throw SparkEngineError("amount column '\(options.amountColumn)' has type \(amountColumn.type); expected a number")
            }
            amounts = values.map { $0 ?? 0 }
        }
        guard let timeColumn = try? tx.column(options.timeColumn) else {
            throw SparkEngineError("transactions have no time column '\(options.timeColumn)' (columns: \(tx.columnNames.joined(separator: ", ")))")
        }
        let times = try MotifTime.edgeTimes(timeColumn, name: options.timeColumn)
        let src = try tx.column(source.srcColumn), dst = try tx.column(source.dstColumn)
        let staged = try Table([("__s", src), ("__d", dst), ("__a", .double(amounts)), ("__t", .int64(times)),
                                ("__row", .int64((0..<Int64(tx.rowCount)).map { $0 }))])
        try client.createTempView("aml_s_in", try workspace.stage(staged, name: "structuring-transactions"))
        let nulls = try client.sql("SELECT count(*) AS n FROM aml_s_in WHERE __s IS NULL OR __d IS NULL").columns[0].value(at: 0).intValue ?? 0
        if nulls > 0 { throw SparkEngineError("\(source.edges): \(nulls) edge(s) have an empty \(source.srcColumn) or \(source.dstColumn)") }

        var entities: Table?
        if let path = source.vertices {
            let v = try TableIO.read(path, options: read)
            guard v.schema.index(of: source.idColumn) != nil else {
                throw SparkEngineError("\(path): no column \(source.idColumn) (columns: \(v.columnNames.joined(separator: ", ")))")
            }
            try client.createTempView("aml_s_v", try workspace.stage(try Table([("__id", v.column(source.idColumn)),
                                                                               ("__vrow", .int64((0..<Int64(v.rowCount)).map { $0 }))]), name: "structuring-entities"))
            let dup = try client.sql("SELECT count(*) - count(DISTINCT __id) AS n FROM aml_s_v").columns[0].value(at: 0).intValue ?? 0
            if dup > 0 { throw SparkEngineError("\(path): \(dup) duplicate \(source.idColumn) value(s); vertex ids must be unique") }
            let dangling = try client.sql("""
                SELECT count(*) AS n FROM aml_s_in e WHERE NOT EXISTS (SELECT 1 FROM aml_s_v v WHERE v.__id = e.__s)
                   OR NOT EXISTS (SELECT 1 FROM aml_s_v v WHERE v.__id = e.__d)
                """).columns[0].value(at: 0).intValue ?? 0
            if dangling > 0 && !source.dropDangling {
                throw SparkEngineError("\(source.edges): \(dangling) payment(s) to or from entities not in \(path); pass --drop-dangling to drop them")
            }
            try client.createTempView("aml_s_e", .sql("SELECT e.* FROM aml_s_in e LEFT SEMI JOIN aml_s_v a ON e.__s = a.__id LEFT SEMI JOIN aml_s_v b ON e.__d = b.__id"))
            entities = v
        } else {
            try client.createTempView("aml_s_e", .table("aml_s_in"))
        }

        let threshold = SparkRiskPropagation.literal(options.threshold)
        let chains = """
            SELECT e1.__s AS a, e1.__d AS b, e2.__d AS c, e6.__d AS g, e1.__row AS r1, e2.__row AS r2, e6.__row AS r6, e2.__t AS t2
            FROM aml_s_e e1 JOIN aml_s_e e2 ON e1.__d = e2.__s JOIN aml_s_e e6 ON e2.__d = e6.__s
            WHERE e1.__a < \(threshold) AND e2.__a < \(threshold)
              AND e1.__t < e2.__t AND e2.__t < e6.__t AND e6.__t - e1.__t <= CAST(\(options.window) AS BIGINT)
              AND e1.__s <> e1.__d AND e1.__s <> e2.__d AND e1.__s <> e6.__d
              AND e1.__d <> e2.__d AND e1.__d <> e6.__d AND e2.__d <> e6.__d
            """
        // A forwarding payment needs two chains with distinct sources and mules.
        let query = """
            SELECT m.* FROM (\(chains)) m
            LEFT SEMI JOIN (SELECT r6 FROM (\(chains)) GROUP BY r6 HAVING count(DISTINCT a) >= 2 AND count(DISTINCT b) >= 2) k ON m.r6 = k.r6
            ORDER BY r6, t2, r2, r1
            """
        let m = try workspace.materialize(.sql(query), name: "structuring-chains")
        func ints(_ name: String) throws -> [Int] {
            let c = try m.column(name)
            return (0..<m.rowCount).map { Int(c.value(at: $0).intValue ?? 0) }
        }
        let r1 = try ints("r1"), r2 = try ints("r2"), r6 = try ints("r6")

        // Vertex keys in the local engine's dense order (integers numerically, strings by bytes).
        let integerIDs = [DataType.int64, .int32].contains(src.type)
        func key(_ c: Column, _ row: Int) -> String { c.value(at: row).description }
        func less(_ x: String, _ y: String) -> Bool {
            if integerIDs, let a = Int64(x), let b = Int64(y) { return a < b }
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        }

        struct Event { var collector: String; var beneficiary: String; var chains: [(a: String, b: String, e1: Int, e2: Int)]; var forwards: [Int]
            var total: Double; var forwarded: Double; var first: Int64; var last: Int64 }
        var events: [Event] = []
        var i = 0
        while i < m.rowCount {
            var j = i
            while j < m.rowCount && r6[j] == r6[i] { j += 1 }
            var chosen: [(a: String, b: String, e1: Int, e2: Int)] = []
            var usedA = Set<String>(), usedB = Set<String>(), usedE2 = Set<Int>()
            for k in i..<j {
                let a = key(src, r1[k]), b = key(dst, r1[k])
                if usedA.contains(a) || usedB.contains(b) || usedE2.contains(r2[k]) { continue }
                chosen.append((a, b, r1[k], r2[k]))
                usedA.insert(a); usedB.insert(b); usedE2.insert(r2[k])
            }
            let total = chosen.reduce(0.0) { $0 + amounts[$1.e2] }
            let e6 = r6[i]
            if chosen.count >= 2 && total > options.threshold && amounts[e6] >= options.forwardShare * total {
                let ts = chosen.flatMap { [times[$0.e1], times[$0.e2]] } + [times[e6]]
                events.append(Event(collector: key(src, e6), beneficiary: key(dst, e6), chains: chosen, forwards: [e6],
                                    total: total, forwarded: amounts[e6], first: ts.min()!, last: ts.max()!))
            }
            i = j
        }
        events.sort { x, y in
            if x.collector != y.collector { return less(x.collector, y.collector) }
            if x.beneficiary != y.beneficiary { return less(x.beneficiary, y.beneficiary) }
            return x.forwards[0] < y.forwards[0]
        }
        var alerts: [Event] = []
        for e in events {
            if var last = alerts.last, last.collector == e.collector, last.beneficiary == e.beneficiary {
                let seen = Set(last.chains.map(\.e2))
                let extra = e.chains.filter { !seen.contains($0.e2) }
                last.chains += extra
                last.total += extra.reduce(0.0) { $0 + amounts[$1.e2] }
                last.forwards += e.forwards
                last.forwarded += e.forwarded
                last.first = min(last.first, e.first)
                last.last = max(last.last, e.last)
                alerts[alerts.count - 1] = last
            } else {
                alerts.append(e)
            }
        }

        // Names by id (entities' name column; empty when absent or null).
        var nameOf: [String: String] = [:]
        if let entities, let names = try? entities.column(options.nameColumn) {
            let ids = try entities.column(source.idColumn)
            for r in 0..<entities.rowCount { nameOf[key(ids, r)] = names.isNull(r) ? "" : names.value(at: r).description }
        }
        func name(_ id: String) -> String { nameOf[id] ?? "" }
        let txnIDs = try? tx.column(options.txnIDColumn)
        func txn(_ e: Int) -> String { txnIDs.map { $0.value(at: e).description } ?? String(e) }
        func idColumn(_ values: [String]) -> Column { integerIDs ? .int64(values.map { Int64($0) ?? 0 }) : .string(values) }
        func cents(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        let table = try Table([
            ("collector_id", idColumn(alerts.map(\.collector))),
            ("beneficiary_id", idColumn(alerts.map(\.beneficiary))),
            ("chains", .int64(alerts.map { Int64($0.chains.count) })),
            ("total_amount", .double(alerts.map { cents($0.total) })),
            ("forwarded_amount", .double(alerts.map { cents($0.forwarded) })),
            ("txn_ids", .string(alerts.map { a in (a.chains.flatMap { [txn($0.e1), txn($0.e2)] } + a.forwards.map(txn)).joined(separator: "|") })),
            ("source_ids", .string(alerts.map { a in a.chains.map(\.a).joined(separator: "|") })),
            ("mule_ids", .string(alerts.map { a in a.chains.map(\.b).joined(separator: "|") })),
            ("first_ts", .timestamp(alerts.map(\.first))),
            ("last_ts", .timestamp(alerts.map(\.last))),
            ("span_hours", .double(alerts.map { cents(Double($0.last - $0.first) / 3_600_000_000) })),
            ("l0", .string(alerts.map { a in a.chains.map { name($0.a) }.joined(separator: "|") })),
            ("l1", .string(alerts.map { a in a.chains.map { name($0.b) }.joined(separator: "|") })),
            ("l2", .string(alerts.map { name($0.collector) })),
            ("l3", .string(alerts.map { name($0.beneficiary) })),
        ])
        var c: [String] = [], g: [String] = [], l0: [String] = [], l1: [String] = [], l2: [String] = [], l3: [String] = []
        var t1: [String] = [], t2: [String] = [], t6: [String] = []
        for a in alerts {
            for ch in a.chains {
                c.append(a.collector); g.append(a.beneficiary)
                l0.append(name(ch.a)); l1.append(name(ch.b)); l2.append(name(a.collector)); l3.append(name(a.beneficiary))
                t1.append(txn(ch.e1)); t2.append(txn(ch.e2)); t6.append(a.forwards.map(txn).joined(separator: "|"))
            }
        }
        let levels = try Table([
            ("collector_id", idColumn(c)), ("beneficiary_id", idColumn(g)),
            ("l0", .string(l0)), ("l1", .string(l1)), ("l2", .string(l2)), ("l3", .string(l3)),
            ("e1_txn_id", .string(t1)), ("e2_txn_id", .string(t2)), ("e6_txn_ids", .string(t6)),
        ])
        return (table, levels)
    }
}
