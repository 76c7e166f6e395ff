// Behavioural anomaly scores per entity (issue 7): fourteen transaction-behaviour features,
// robustly standardised, scored by an upper-tail robust Mahalanobis distance (Matrix module).
import Columnar
import Dispatch
import Foundation
import Matrix

/// Column names of the transactions table (the generator's / accelerator's schema by default).
public struct TransactionColumns: Sendable {
    public var originator = "originator_id"
    public var beneficiary = "beneficiary_id"
    public var amount = "txn_amount"
    public var timestamp = "txn_ts"
    public init() {}
}

/// Computes the `behaviour_anomaly` gold table.
///
/// Features per entity (every entity of the entities table; transactions naming unknown
/// entities count only for the known side):
/// - `in_degree`, `out_degree`: incoming / outgoing transactions;
/// - `in_amount_sum|mean|max`, `out_amount_sum|mean|max` (0 when there are none);
/// - `in_counterparties`, `out_counterparties`: distinct originators / beneficiaries;
/// - `near_threshold_share`: share of the entity's transactions (in and out) with an amount in
///   [`nearThresholdFrom`, `threshold`), by default [8,000, 10,000): just under the reporting line;
/// - `velocity`: transactions per active day; `active_days`: distinct UTC days with a transaction;
/// - `rapid_forwards`: outgoing transactions sent within 72 h after an incoming one whose amount
///   is between 1/2 and 5 times it (money passed through quickly: mules, layering).
///
/// The profile is behaviour only: no detector's findings are inputs, so a typology finding
/// and the anomaly are independent reasons and nothing is counted twice in the alerts.
///
/// Counts and amounts enter the score as log(1 + x); shares as they are. The score is
/// `RobustMahalanobis` (upper tail, MCD-lite covariance, Cholesky); `rank` 1 is the most unusual,
/// ties by entity id. O(T log T + N·14²) for T transactions and N entities.
public enum BehaviourAnomaly {
    /// Feature names in output order.
    public static let featureNames = [
        "in_degree", "out_degree", "in_amount_sum", "in_amount_mean", "in_amount_max",
        "out_amount_sum", "out_amount_mean", "out_amount_max", "in_counterparties", "out_counterparties",
        "near_threshold_share", "velocity", "active_days", "rapid_forwards",
    ]
    /// Features used as they are (shares); the rest are log1p-transformed before scoring.
    static let ratioFeatures: Set<String> = ["near_threshold_share"]

    public struct Options: Sendable {
        public var threshold = 10_000.0
        public var nearThresholdFrom = 8_000.0
        public var forwardWindowMicros: Int64 = 72 * 3_600_000_000
        public var scorer = RobustMahalanobis()
        public init() {}
    }

    /// Features (N × 14, row order of `entities`) and the entity ids.
    public static func features(transactions: Table, entities: Table, entityID: String = "entity_id",
                                columns: TransactionColumns = .init(), options: Options = .init()) throws -> (ids: [Int64], x: Matrix<Double>) {
        let ids = try int64s(entities, entityID)
        var index: [Int64: Int32] = [:]
        index.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() where index[id] == nil { index[id] = Int32(i) }
        let org = try int64s(transactions, columns.originator)
        let ben = try int64s(transactions, columns.beneficiary)
        let amount = try doubles(transactions, columns.amount)
        let ts = try timestamps(transactions, columns.timestamp)
        let n = ids.count, t = org.count

        // Incidence lists per entity (CSR), one for each direction, entries = transaction indices.
        func csr(_ side: [Int64]) -> (offsets: [Int], txns: [Int32]) {
            var counts = [Int](repeating: 0, count: n + 1)
            var who = [Int32](repeating: -1, count: t)
            for k in 0..<t { if let v = index[side[k]] { who[k] = v; counts[Int(v) + 1] += 1 } }
            for i in 0..<n { counts[i + 1] += counts[i] }
            var fill = counts, out = [Int32](repeating: 0, count: counts[n])
            for k in 0..<t where who[k] >= 0 { out[fill[Int(who[k])]] = Int32(k); fill[Int(who[k])] += 1 }
            return (counts, out)
        }
        let inc = csr(ben), out = csr(org)

        let p = featureNames.count
        var x = Matrix<Double>(rows: n, columns: p)
        let day: Int64 = 86_400_000_000
        x.withUnsafeMutableBufferPointer { xb in
            let xp = xb
            let chunk = 4096, chunks = (n + chunk - 1) / chunk
            DispatchQueue.concurrentPerform(iterations: Swift.max(1, chunks)) { c in
                var scratch: [Int64] = []
                for e in (c * chunk)..<Swift.min(n, (c + 1) * chunk) {
                    let ins = inc.txns[inc.offsets[e]..<inc.offsets[e + 1]]
                    let outs = out.txns[out.offsets[e]..<out.offsets[e + 1]]
                    var f = [Double](repeating: 0, count: p)
                    f[0] = Double(ins.count)
                    f[1] = Double(outs.count)
                    var near = 0
                    for (side, list) in [(0, ins), (1, outs)] {
                        var sum = 0.0, mx = 0.0
                        for k in list {
                            let a = amount[Int(k)]
                            sum += a
                            mx = Swift.max(mx, a)
                            if a >= options.nearThresholdFrom && a < options.threshold { near += 1 }
                        }
                        f[2 + 3 * side] = sum
                        f[3 + 3 * side] = list.isEmpty ? 0 : sum / Double(list.count)
                        f[4 + 3 * side] = mx
                        scratch = list.map { side == 0 ? org[Int($0)] : ben[Int($0)] }
                        scratch.sort()
                        var distinct = 0
                        for (i, v) in scratch.enumerated() where i == 0 || scratch[i - 1] != v { distinct += 1 }
                        f[8 + side] = Double(distinct)
                    }
                    let total = ins.count + outs.count
                    f[10] = total > 0 ? Double(near) / Double(total) : 0
                    scratch = (Array(ins) + Array(outs)).map { floorDiv(ts[Int($0)], day) }
                    scratch.sort()
                    var days = 0
                    for (i, v) in scratch.enumerated() where i == 0 || scratch[i - 1] != v { days += 1 }
                    f[11] = days > 0 ? Double(total) / Double(days) : 0
                    f[12] = Double(days)
                    f[13] = Double(rapidForwards(ins: Array(ins), outs: Array(outs), ts: ts, amount: amount, window: options.forwardWindowMicros))
                    for j in 0..<p { xp[e * p + j] = f[j] }
                }
            }
        }
        return (ids, x)
    }

    /// Outgoing transactions preceded, within `window` (inclusive), by an incoming one whose amount
    /// is within [out/5, 2·out] (i.e. out is between 1/2 and 5 times the incoming amount).
    static func rapidForwards(ins: [Int32], outs: [Int32], ts: [Int64], amount: [Double], window: Int64) -> Int {
        if ins.isEmpty || outs.isEmpty { return 0 }
        let sortedIns = ins.sorted { (ts[Int($0)], $0) < (ts[Int($1)], $1) }
        var count = 0
        for o in outs {
            let to = ts[Int(o)], ao = amount[Int(o)]
            for i in sortedIns {
                let ti = ts[Int(i)]
                if ti > to { break }
                if to - ti > window { continue }
                let ai = amount[Int(i)]
                if ao >= 0.5 * ai && ao <= 5 * ai { count += 1; break }
            }
        }
        return count
    }

    /// The model input: log1p for counts and amounts, shares unchanged.
    public static func transformed(_ x: Matrix<Double>) -> Matrix<Double> {
        var z = x
        let p = x.columns
        let logs = featureNames.prefix(p).map { !ratioFeatures.contains($0) }
        z.withUnsafeMutableBufferPointer { b in
            for i in 0..<x.rows { for j in 0..<p where logs[j] { b[i * p + j] = log1p(b[i * p + j]) } }
        }
        return z
    }

    /// The gold table from transactions and entities.
    public static func detect(transactions: Table, entities: Table, entityID: String = "entity_id",
                              columns: TransactionColumns = .init(), options: Options = .init()) throws -> Table {
        let idColumns = [try entities.column(entityID), try transactions.column(columns.originator), try transactions.column(columns.beneficiary)]
        if DenseEntityIDs.needed(idColumns) {
            // Ids as given: features on dense codes, the original ids written back.
            let coding = DenseEntityIDs(idColumns)
            let result = try detect(transactions: coding.encode(transactions, columns: [columns.originator, columns.beneficiary]),
                                    entities: coding.encode(entities, columns: [entityID]),
                                    entityID: entityID, columns: columns, options: options)
            return try coding.decode(result, columns: ["entity_id"])
        }
        let (ids, x) = try features(transactions: transactions, entities: entities, entityID: entityID,
                                    columns: columns, options: options)
        let scores = try options.scorer.scores(transformed(x))
        return table(ids: ids, names: featureNames, x: x, scores: scores)
    }

    /// Scores a table of precomputed numeric features (`entity_id` plus every other column, used
    /// as given: no transform). Output like `detect`.
    public static func scoreFeatures(_ features: Table, entityID: String = "entity_id", scorer: RobustMahalanobis = .init()) throws -> Table {
        let ids = try int64s(features, entityID)
        let names = features.columnNames.filter { $0 != entityID }
        let n = features.rowCount, p = names.count
        var x = Matrix<Double>(rows: n, columns: p)
        for (j, name) in names.enumerated() {
            let col = try doubles(features, name)
            x.withUnsafeMutableBufferPointer { b in for i in 0..<n { b[i * p + j] = col[i] } }
        }
        return table(ids: ids, names: names, x: x, scores: try scorer.scores(x))
    }

    public static func table(ids: [Int64], names: [String], x: Matrix<Double>, scores: [Double]) -> Table {
        let order = ids.indices.sorted { (-scores[$0], ids[$0]) < (-scores[$1], ids[$1]) }
        var columns: [(String, Column)] = [("entity_id", .int64(order.map { ids[$0] }))]
        for (j, name) in names.enumerated() { columns.append((name, .double(order.map { x[$0, j] }))) }
        columns.append(("score", .double(order.map { scores[$0] })))
        columns.append(("rank", .int64((0..<order.count).map { Int64($0 + 1) })))
        return try! Table(columns)
    }

    static func int64s(_ t: Table, _ name: String) throws -> [Int64] {
        let c = try t.column(name)
        switch c.data {
        case let .int64(a): return a
        case let .int32(a): return a.map(Int64.init)
        default: throw ColumnarError.typeMismatch(column: name, expected: "an integer id", found: c.type)
        }
    }

    static func doubles(_ t: Table, _ name: String) throws -> [Double] {
        let c = try t.column(name)
        switch c.data {
        case let .double(a): return a
        case let .float(a): return a.map(Double.init)
        case let .int64(a): return a.map(Double.init)
        case let .int32(a): return a.map(Double.init)
        default: throw ColumnarError.typeMismatch(column: name, expected: "a number", found: c.type)
        }
    }

    static func timestamps(_ t: Table, _ name: String) throws -> [Int64] {
        let c = try t.column(name)
        switch c.data {
        case let .timestamp(a): return a
        case let .int64(a): return a
        case let .date(a): return a.map { Int64($0) * 86_400_000_000 }
        default: throw ColumnarError.typeMismatch(column: name, expected: "a timestamp", found: c.type)
        }
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
