// Gather-scatter (AMLSim "gather_scatter": a fan-in to one middle account, then a fan-out
// from it), with amounts that balance.
//
// Definition: a hub receives novel payments (see `TypologyPayments`) of at least `minAmount`
// from `minOriginators...maxCounterparties` distinct payers inside one window, a burst that is
// significant for the hub (the fan-in windows of `FanKernel`), and between the first of them and `windowHours` after the last
// pays novel payments of at least `minAmount` to `minBeneficiaries...maxCounterparties`
// distinct payees (none of them a payer), the paid-out total being `minRetention...
// maxRetention` of the gathered total. Look-alike separators: recurring pairs are ignored
// (a business collecting from regular customers and paying regular suppliers), and the
// balance: an ordinary business does not pay out 85%-100% of a window's takings to new payees.

import Columnar
import PropertyGraph

/// Parameters of `GatherScatter`.
public struct GatherScatterSettings: Sendable, Codable, Equatable {
    public var minOriginators = 3
    public var minBeneficiaries = 3
    public var maxCounterparties = 20
    public var windowHours = 720.0
    public var minAmount = 1_000.0
    public var minRetention = 0.85
    public var maxRetention = 1.0
    /// The gather must be a significant burst for the hub (`BurstSignificance`; 1 disables).
    public var maxBurstProbability = 0.001
    /// Payments out of the hub examined per gather window (and per window for the test).
    public var maxCandidates = 256
    public init() {}
}

/// The gather-scatter detector.
public enum GatherScatter {
    /// Accounts: `hub`, `originator`…, `beneficiary`…; edges: gathers and scatters. Score 0.9.
    /// - Complexity: O(E) windows plus O(maxCandidates) per window; parallel over accounts.
    public static func detect(_ p: TypologyPayments, settings s: GatherScatterSettings = .init()) -> [TypologyFinding] {
        let window = Int64(s.windowHours * 3_600_000_000)
        let chunks = 16
        var parts = [[TypologyFinding]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { out in
            let results = out
            parallelChunks(count: p.vertexCount, chunks: chunks, minimumChunk: 1 << 10) { chunk, range in
                var counts = [Int32](repeating: 0, count: p.vertexCount)
                var found: [TypologyFinding] = []
                var candidates: [UInt32] = []
                for v in range {
                    let hub = UInt32(v)
                    candidates.removeAll(keepingCapacity: true)
                    for e in p.edges(of: hub, incoming: true) where p.src[Int(e)] != hub && !p.recurring[Int(e)] && p.amount[Int(e)] >= s.minAmount {
                        candidates.append(e)
                    }
                    if candidates.count < s.minOriginators || p.edges(of: hub, incoming: false).count < s.minBeneficiaries { continue }
                    let cp: (UInt32) -> UInt32 = { p.src[Int($0)] }
                    for w in TypologyWindows.bursts(candidates, times: p.time, counterparty: cp, window: window, distinct: true,
                                                    minCount: s.minOriginators, maxCount: s.maxCounterparties, counts: &counts,
                                                    qualifies: FanKernel.significance(p, candidates, cp, distinct: true, minCount: s.minOriginators,
                                                                                      maxProbability: s.maxBurstProbability, maxLook: s.maxCandidates)) {
                        let gathers = Array(candidates[w])
                        let payers = TypologyWindows.distinctCounterparties(candidates, w, counterparty: cp)
                        let payerSet = Set(payers)
                        let firstT = p.time[Int(gathers.first!)], lastT = p.time[Int(gathers.last!)]
                        let gathered = gathers.reduce(0.0) { $0 + p.amount[Int($1)] }
                        let outs = p.edges(of: hub, incoming: false)
                        var k = p.firstIndex(in: outs, atOrAfter: firstT), looked = 0
                        var scatters: [UInt32] = [], payees: [UInt32] = [], seen = Set<UInt32>(), paid = 0.0
                        while k < outs.endIndex && looked < s.maxCandidates {
                            let e = outs[k]; k += 1
                            if p.time[Int(e)] - lastT > window { break }
                            looked += 1
                            let d = p.dst[Int(e)]
                            if d == hub || payerSet.contains(d) || p.recurring[Int(e)] || p.amount[Int(e)] < s.minAmount { continue }
                            scatters.append(e); paid += p.amount[Int(e)]
                            if seen.insert(d).inserted { payees.append(d) }
                            // The scatter is the run of payments that first reaches the retained share.
                            if paid >= s.minRetention * gathered { break }
                        }
                        guard payees.count >= s.minBeneficiaries, s.maxCounterparties <= 0 || payees.count <= s.maxCounterparties,
                              paid >= s.minRetention * gathered, paid <= s.maxRetention * gathered else { continue }
                        let m = TypologyFinding.members([("hub", [hub]), ("originator", payers), ("beneficiary", payees)])
                        found.append(TypologyFinding(kind: .gatherScatter, variant: "plain", accounts: m.accounts, roles: m.roles,
                                                     edges: TypologyFinding.timeOrdered(gathers + scatters, p), score: 0.9))
                    }
                }
                results[chunk] = found
            }
        }
        return parts.flatMap { $0 }
    }
}
