// Structuring as a typology: repeated sub-threshold payments into or out of one account
// within a window, with and without mule chains.
//
// Definition (US currency transaction reports start above 10,000; splitting to stay under it
// is structuring): at least `minPayments` novel payments (see `TypologyPayments`) each in
// [`lowerShare`·threshold, threshold) into one account (`deposits`) or out of one account
// (`withdrawals`) inside one window of `windowHours`, together over the threshold, and a burst
// that the account's own rate of such payments makes improbable (`BurstSignificance`); greedy
// non-overlapping windows (`TypologyWindows`). The counterparties may be one or many. The
// accelerator's shape, sub-threshold chains through mules converging on a collector who
// forwards the total (`Structuring.detect`), is the `mule_chain` variant.
// Look-alike separators: rent, salaries and invoices just under the threshold recur monthly
// (recurring pairs are ignored); a single near-threshold purchase is one payment, not
// `minPayments`.

import Columnar
import PropertyGraph

/// Parameters of the structuring typology.
public struct StructuringTypologySettings: Sendable, Codable, Equatable {
    /// The reporting threshold (10,000: US currency transaction reports).
    public var threshold = 10_000.0
    /// Payments from this share of the threshold up to it count (0.7: 7,000–9,999.99).
    public var lowerShare = 0.7
    public var minPayments = 3
    /// 168 hours = 7 days.
    public var windowHours = 168.0
    /// The run must be improbable for the account's own rate of such payments
    /// (`BurstSignificance`; 1 disables): a landlord whose tenants pay near-threshold rents
    /// every month is not structuring.
    public var maxBurstProbability = 0.001
    /// Payments examined per window by the significance test.
    public var maxCandidates = 256
    /// Also report the accelerator's mule-chain shape (`Structuring.detect` with this
    /// threshold and window).
    public var muleChains = true
    /// Each mule passes on, and the collector forwards, at least this share of what it
    /// received (0.85: the definitions' per-hop retention of 85%–100%, fees kept).
    public var muleForwardShare = 0.85
    public init() {}
}

/// The structuring typology detector.
public enum StructuringTypology {
    /// `deposits` / `withdrawals`: accounts `hub` then `counterparty`…; `mule_chain`: `collector`,
    /// `beneficiary`, `source`…, `mule`…. Score 0.5 + 0.5·min(1, payments / (2·minPayments)), 1.0
    /// for mule chains.
    /// - Complexity: O(E) windows; the mule chains as `Structuring.detect`.
    public static func detect(_ p: TypologyPayments, graph: PropertyGraph? = nil, settings s: StructuringTypologySettings = .init(),
                              columns: TypologyColumns = .init()) throws -> [TypologyFinding] {
        let window = Int64(s.windowHours * 3_600_000_000)
        let low = s.lowerShare * s.threshold
        var found: [TypologyFinding] = []
        for incoming in [true, false] {
            let chunks = 16
            var parts = [[TypologyFinding]](repeating: [], count: chunks)
            parts.withUnsafeMutableBufferPointer { out in
                let results = out
                parallelChunks(count: p.vertexCount, chunks: chunks, minimumChunk: 1 << 10) { chunk, range in
                    var counts = [Int32](repeating: 0, count: p.vertexCount)
                    var local: [TypologyFinding] = [], candidates: [UInt32] = []
                    for v in range {
                        let hub = UInt32(v)
                        candidates.removeAll(keepingCapacity: true)
                        for e in p.edges(of: hub, incoming: incoming) {
                            let a = p.amount[Int(e)]
                            if a >= low && a < s.threshold && !p.recurring[Int(e)] && p.counterparty(e, incoming: incoming) != hub { candidates.append(e) }
                        }
                        if candidates.count < s.minPayments { continue }
                        let cp: (UInt32) -> UInt32 = { p.counterparty($0, incoming: incoming) }
                        let windows = TypologyWindows.bursts(candidates, times: p.time, counterparty: cp, window: window, distinct: false,
                                                             minCount: s.minPayments, maxCount: 0, counts: &counts) { w in
                            let test = FanKernel.significance(p, candidates, cp, distinct: false, minCount: s.minPayments,
                                                              maxProbability: s.maxBurstProbability, maxLook: s.maxCandidates)
                            guard let end = test(w), candidates[w.lowerBound..<end].reduce(0.0, { $0 + p.amount[Int($1)] }) > s.threshold else { return nil }
                            return end
                        }
                        for w in windows {
                            let m = TypologyFinding.members([("hub", [hub]), ("counterparty", TypologyWindows.distinctCounterparties(candidates, w, counterparty: cp))])
                            local.append(TypologyFinding(kind: .structuring, variant: incoming ? "deposits" : "withdrawals", accounts: m.accounts,
                                                         roles: m.roles, edges: Array(candidates[w]),
                                                         score: 0.5 + 0.5 * min(1, Double(w.count) / Double(2 * max(1, s.minPayments)))))
                        }
                    }
                    results[chunk] = local
                }
            }
            found += parts.flatMap { $0 }
        }
        if s.muleChains, let graph {
            var config = StructuringConfig()
            config.threshold = s.threshold
            config.window = window
            config.forwardShare = s.muleForwardShare
            config.amountColumn = columns.amount
            config.timeColumn = columns.time
            config.txnIDColumn = columns.txnID
            for match in try Structuring.detect(graph, config: config) {
                guard let a = muleChainEvidence(match, p, low: low, settings: s) else { continue }
                let m = TypologyFinding.members([("collector", [a.collector]), ("beneficiary", [a.beneficiary]),
                                                 ("source", a.chains.map(\.source)), ("mule", a.chains.map(\.mule))])
                let edges = a.chains.flatMap { [$0.e1, $0.e2] } + a.forwards
                found.append(TypologyFinding(kind: .structuring, variant: "mule_chain", accounts: m.accounts, roles: m.roles,
                                             edges: TypologyFinding.timeOrdered(edges, p), score: 1.0))
            }
        }
        return found
    }

    /// The part of an accelerator mule-chain match that is structuring: chains whose first
    /// payment is in the sub-threshold band, whose mule passes on between `muleForwardShare`
    /// and all of it, both payments between novel pairs (`TypologyPayments.recurring`: a
    /// customer paying a company that pays its supplier every month is no chain of mules);
    /// forwards between novel pairs. Nil unless at least two chains remain, they bring more
    /// than the threshold, and the forwards carry at least `muleForwardShare` of it. O(chains).
    static func muleChainEvidence(_ a: StructuringAlert, _ p: TypologyPayments, low: Double,
                                  settings s: StructuringTypologySettings) -> StructuringAlert? {
        var kept = a
        kept.chains = a.chains.filter { c in
            let a1 = p.amount[Int(c.e1)], a2 = p.amount[Int(c.e2)]
            return a1 >= low && a1 < s.threshold && a2 >= s.muleForwardShare * a1 && a2 <= a1
                && !p.recurring[Int(c.e1)] && !p.recurring[Int(c.e2)]
        }
        kept.forwards = a.forwards.filter { !p.recurring[Int($0)] }
        kept.total = kept.chains.reduce(0.0) { $0 + p.amount[Int($1.e2)] }
        kept.forwarded = kept.forwards.reduce(0.0) { $0 + p.amount[Int($1)] }
        guard kept.chains.count >= 2, kept.total > s.threshold, kept.forwarded >= s.muleForwardShare * kept.total else { return nil }
        return kept
    }
}
