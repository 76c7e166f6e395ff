// Risk propagation with the Pregel engine (MISSION.md, "Risk propagation").
import Columnar
import GraphAlgorithms
import Dispatch
import PropertyGraph

/// How risk flows along a payment `u -> v`.
///
/// Both rules start from the seeds: entities whose base risk is positive and at least the
/// seed threshold (`RiskPropagation.run(seedThreshold:)`); other entities start at 0 and send
/// nothing until reached. Whatever arrives, an entity's final score is never below its own
/// base risk: `risk_score = max(base, propagated)`, so KYC scores on any scale (0–10, 0–100)
/// survive propagation.
///
/// Example (accelerator rule, seed threshold 50, one round): A (base 80) pays B (base 20),
/// B pays C (base 0). A is the only seed: B receives 80 / 2 = 40, so B's score is
/// max(20, 0 + 40) = 40; C receives B's starting state, 0, and keeps max(0, 0) = 0; A
/// receives nothing and keeps 80.
///
/// Example (weighted rule, decay 0.5, cap 0 = the largest base, one round): A (base 80)
/// pays B 300 and C 100. B gets 80 · 0.5 · 300/400 = 30, C gets 10; A stays 80 (before
/// this rule bounded every score by a cap of 10, so A dropped to 10).
public enum RiskRule: Sendable, Equatable {
    /// The accelerator's rule: each edge sends `src.risk_score / 2`; messages are summed and
    /// `risk_score = coalesce(msg + risk, risk_score)` (base plus messages if any arrived,
    /// otherwise unchanged).
    case accelerator
    /// Amount-weighted: `u` passes `risk(u) · decay · amount(e) / outflow(u)` along each
    /// payment `e`, so a sender's total push is `decay · risk(u)`; the new state is
    /// `clamp(seedBase + Σ messages, 0, max(cap, seedBase))` where messages arrived, otherwise
    /// unchanged (`cap` ≤ 0: the largest base risk of the run, so the rule works on any
    /// scale). With `decay < 1` the iteration is a contraction and converges.
    case weighted(decay: Double, cap: Double)

    public static let defaultWeighted = RiskRule.weighted(decay: 0.5, cap: 0)
}

/// The result of a propagation run, indexed by internal vertex id.
public struct RiskPropagationResult {
    public let graph: PropertyGraph
    public let baseRisk: [Double]
    public let scores: [Double]
    /// Scores after each round, round 0 = base.
    public let history: [[Double]]
    /// Directed hops from the nearest seed; nil if unreachable.
    public let hopsFromSeed: [Int?]
    /// Up to three direct payers with the largest last-round contribution, `id:amount|...`.
    public let topContributors: [String]
    /// Seconds spent in the Pregel supersteps alone (the rest is hops and contributors).
    public var pregelSeconds = 0.0

    /// The `risk_propagation` gold table: `entity_id, base_risk, risk_score,
    /// hops_from_seed, top_contributors`, ordered by entity id.
    public func table() throws -> Table {
        var hops = ColumnBuilder(type: .int64)
        for h in hopsFromSeed { if let h { hops.append(int: Int64(h)) } else { hops.appendNull() } }
        var contributors = ColumnBuilder(type: .string)
        for c in topContributors { if c.isEmpty { contributors.appendNull() } else { contributors.append(string: c) } }
        return try Table([
            ("entity_id", graph.ids.column),
            ("base_risk", .double(baseRisk)),
            ("risk_score", .double(scores)),
            ("hops_from_seed", hops.finish()),
            ("top_contributors", contributors.finish()),
        ])
    }

    /// One column per round, `risk_score_0 … risk_score_n`, beside `entity_id`.
    public func historyTable() throws -> Table {
        var pairs: [(String, Column)] = [("entity_id", graph.ids.column)]
        for (round, states) in history.enumerated() { pairs.append(("risk_score_\(round)", .double(states))) }
        return try Table(pairs)
    }
}

/// Propagates risk from seed entities along payments.
public enum RiskPropagation {
    /// Runs `rule` for `maxIterations` supersteps from the seeds (base risk > 0 and ≥
    /// `seedThreshold`). `baseRisk` is indexed by internal id; `amounts` (per edge row) is
    /// required by the weighted rule. Scores and history are `max(base, state)`: propagation
    /// never lowers an entity below its own base risk (see `RiskRule`).
    /// O(rounds · (V + E)), parallel; deterministic.
    public static func run(graph: PropertyGraph, baseRisk: [Double], rule: RiskRule, maxIterations: Int = 3, amounts: [Double]? = nil,
                           seedThreshold: Double = 0) throws -> RiskPropagationResult {
        precondition(baseRisk.count == graph.vertexCount)
        if let bad = baseRisk.firstIndex(where: { !$0.isFinite }) {
            throw ColumnarError.invalidArgument("base risk of entity \(graph.ids.text(UInt32(bad))) is \(baseRisk[bad]); expected a finite number")
        }
        var options = PregelOptions(maxIterations: maxIterations)
        options.captureHistory = true
        let share = try edgeShares(graph: graph, rule: rule, amounts: amounts)
        let seedBase = baseRisk.map { $0 > 0 && $0 >= seedThreshold ? $0 : 0 }
        // Both rules are "send state(src) · share(edge), sum": the engine's fused superstep,
        // bit-identical to the generic program with those closures.
        let update: (UInt32, Double, Double?) -> Double
        switch rule {
        case .accelerator:
            update = { v, state, msg in msg.map { $0 + seedBase[Int(v)] } ?? state }
        case let .weighted(_, cap):
            let bound = cap > 0 ? cap : (baseRisk.max() ?? 0)
            update = { v, state, msg in msg.map { min(max(bound, seedBase[Int(v)]), max(0, $0 + seedBase[Int(v)])) } ?? state }
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let result = PregelEngine.runWeightedSum(graph, initial: seedBase, edgeWeight: share, update: update, options: options)
        let pregelSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let floor: ([Double]) -> [Double] = { states in zip(states, baseRisk).map { max($0, $1) } }
        let history = (result.history ?? [result.states]).map(floor)
        let rawHistory = result.history ?? [result.states]
        let previous = rawHistory.count >= 2 ? rawHistory[rawHistory.count - 2] : rawHistory[0]
        var outcome = RiskPropagationResult(graph: graph, baseRisk: baseRisk, scores: floor(result.states), history: history,
                                            hopsFromSeed: hopsFromSeeds(graph: graph, baseRisk: seedBase),
                                            topContributors: contributors(graph: graph, previous: previous, share: share))
        outcome.pregelSeconds = pregelSeconds
        return outcome
    }

    /// Per-edge multiplier applied to the sender's score.
    static func edgeShares(graph: PropertyGraph, rule: RiskRule, amounts: [Double]?) throws -> [Double] {
        switch rule {
        case .accelerator:
            return [Double](repeating: 0.5, count: graph.edgeCount)
        case let .weighted(decay, _):
            guard let amounts, amounts.count == graph.edgeCount else {
                throw ColumnarError.invalidArgument("the weighted risk rule needs a transaction amount per edge (--amount-col)")
            }
            var outflow = [Double](repeating: 0, count: graph.vertexCount)
            for e in 0..<graph.edgeCount { outflow[Int(graph.src[e])] += max(0, amounts[e]) }
            return (0..<graph.edgeCount).map { e in
                let total = outflow[Int(graph.src[e])]
                return total > 0 ? decay * max(0, amounts[e]) / total : 0
            }
        }
    }

    /// BFS along edge direction from every seed at once.
    static func hopsFromSeeds(graph: PropertyGraph, baseRisk: [Double]) -> [Int?] {
        let out = graph.outAdjacency
        var hops = [Int](repeating: -1, count: graph.vertexCount)
        var frontier: [UInt32] = []
        for v in 0..<graph.vertexCount where baseRisk[v] > 0 { hops[v] = 0; frontier.append(UInt32(v)) }
        var depth = 0
        while !frontier.isEmpty {
            depth += 1
            var next: [UInt32] = []
            for v in frontier {
                for k in out.range(v) where hops[Int(out.neighbors[k])] < 0 {
                    hops[Int(out.neighbors[k])] = depth
                    next.append(out.neighbors[k])
                }
            }
            frontier = next
        }
        return hops.map { $0 < 0 ? nil : $0 }
    }

    /// The largest last-round messages per payer (parallel edges summed), top three; ties go
    /// to the smaller payer id. Parallel over vertex chunks; per vertex O(d log d) on a
    /// reusable buffer, with no dictionaries.
    static func contributors(graph: PropertyGraph, previous: [Double], share: [Double]) -> [String] {
        let inAdj = graph.inAdjacency
        var out = [String](repeating: "", count: graph.vertexCount)
        out.withUnsafeMutableBufferPointer { result in
            parallelChunks(count: graph.vertexCount, chunks: 64, minimumChunk: 1 << 12) { _, range in
                var buffer: [(payer: UInt32, position: Int, amount: Double)] = []
                for v in range {
                    buffer.removeAll(keepingCapacity: true)
                    for k in inAdj.range(UInt32(v)) {
                        let u = inAdj.neighbors[k]
                        let amount = previous[Int(u)] * share[Int(inAdj.edgeIDs[k])]
                        if amount > 0 { buffer.append((u, k, amount)) }
                    }
                    guard !buffer.isEmpty else { continue }
                    // Sum parallel edges per payer, in edge order, so the sums are fixed.
                    buffer.sort { ($0.payer, $0.position) < ($1.payer, $1.position) }
                    var merged: [(payer: UInt32, amount: Double)] = []
                    for item in buffer {
                        if let last = merged.last, last.payer == item.payer { merged[merged.count - 1].amount += item.amount } else { merged.append((item.payer, item.amount)) }
                    }
                    merged.sort { $0.amount != $1.amount ? $0.amount > $1.amount : $0.payer < $1.payer }
                    result[v] = merged.prefix(3).map { "\(graph.ids.text($0.payer)):\(formatDouble($0.amount))" }.joined(separator: "|")
                }
            }
        }
        return out
    }
}
