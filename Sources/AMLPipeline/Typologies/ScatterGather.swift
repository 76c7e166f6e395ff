// Scatter-gather (AMLSim "scatter_gather": one originator -> several intermediaries -> one
// beneficiary; the intermediaries keep a margin).
//
// Definition: a source s pays intermediaries m (at least `minAmount`), each of which pays the
// same destination d (d != s) within `windowHours` of its receipt a `minRetention...
// maxRetention` share of what it received (85%-100%: the margin; each receipt is matched to
// its first such onward payment, among the next `maxCandidates`); at least
// `minIntermediaries` (at most `maxIntermediaries`) distinct intermediaries whose receipts lie
// within one window (greedy non-overlapping windows over receipt times per (s, d)).
// Look-alike separator: the amounts balance hop by hop. An employer paying staff who pay the
// same landlord forwards a third of a salary, not 85%-100% of it.

import Columnar
import PropertyGraph

/// Parameters of `ScatterGather`.
public struct ScatterGatherSettings: Sendable, Codable, Equatable {
    public var minIntermediaries = 3
    public var maxIntermediaries = 20
    public var windowHours = 720.0
    public var minRetention = 0.85
    public var maxRetention = 1.0
    public var minAmount = 1_000.0
    /// Payments of an intermediary examined per receipt.
    public var maxCandidates = 256
    public init() {}
}

/// The scatter-gather detector.
public enum ScatterGather {
    struct Leg { var s: UInt32; var d: UInt32; var m: UInt32; var e1: UInt32; var e2: UInt32 }

    /// Each receipt s -> m and its first qualifying onward payment m -> d. Parallel over receipts.
    static func legs(_ p: TypologyPayments, minAmount: Double, minRetention: Double, maxRetention: Double,
                     window: Int64, maxCandidates: Int) -> [Leg] {
        let chunks = 64
        var parts = [[Leg]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { out in
            let results = out
            parallelChunks(count: p.edgeCount, chunks: chunks, minimumChunk: 1 << 12) { chunk, range in
                var found: [Leg] = []
                for e1 in range {
                    let s = p.src[e1], m = p.dst[e1], a1 = p.amount[e1], t1 = p.time[e1]
                    if s == m || a1 < minAmount { continue }
                    let outs = p.edges(of: m, incoming: false)
                    var k = p.firstIndex(in: outs, atOrAfter: t1), looked = 0
                    while k < outs.endIndex && looked < maxCandidates {
                        let e2 = outs[k]; k += 1
                        if p.time[Int(e2)] - t1 > window { break }
                        looked += 1
                        let d = p.dst[Int(e2)]
                        if d == s || d == m { continue }
                        let a2 = p.amount[Int(e2)]
                        // A receipt is forwarded once: its first onward payment in the band.
                        if a2 >= minRetention * a1 && a2 <= maxRetention * a1 { found.append(Leg(s: s, d: d, m: m, e1: UInt32(e1), e2: e2)); break }
                    }
                }
                results[chunk] = found
            }
        }
        return parts.flatMap { $0 }
    }

    /// Accounts: `source`, `intermediary`…, `destination`; edges: the scatters and gathers.
    /// Score 0.9.
    /// - Complexity: O(E · maxCandidates) for the legs (at most one per receipt), O(E log E)
    ///   to group them.
    public static func detect(_ p: TypologyPayments, settings s: ScatterGatherSettings = .init()) -> [TypologyFinding] {
        let window = Int64(s.windowHours * 3_600_000_000)
        var legs = legs(p, minAmount: s.minAmount, minRetention: s.minRetention, maxRetention: s.maxRetention,
                        window: window, maxCandidates: s.maxCandidates)
        legs.sort { ($0.s, $0.d, p.time[Int($0.e1)], $0.e1, $0.e2) < ($1.s, $1.d, p.time[Int($1.e1)], $1.e1, $1.e2) }
        var counts = [Int32](repeating: 0, count: p.vertexCount)
        var found: [TypologyFinding] = []
        var i = 0
        while i < legs.count {
            var j = i
            while j < legs.count && legs[j].s == legs[i].s && legs[j].d == legs[i].d { j += 1 }
            let group = Array(legs[i..<j])
            for w in TypologyWindows.bursts(count: group.count, time: { p.time[Int(group[$0].e1)] }, key: { group[$0].m }, window: window,
                                            distinct: true, minCount: s.minIntermediaries, maxCount: s.maxIntermediaries, counts: &counts) {
                var mids: [UInt32] = [], seen = Set<UInt32>(), edges: [UInt32] = []
                for leg in group[w] {
                    if seen.insert(leg.m).inserted { mids.append(leg.m) }
                    edges += [leg.e1, leg.e2]
                }
                let m = TypologyFinding.members([("source", [group[0].s]), ("intermediary", mids), ("destination", [group[0].d])])
                found.append(TypologyFinding(kind: .scatterGather, variant: "plain", accounts: m.accounts, roles: m.roles,
                                             edges: TypologyFinding.timeOrdered(edges, p), score: 0.9))
            }
            i = j
        }
        return found
    }
}
