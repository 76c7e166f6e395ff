// Bipartite (AMLSim "bipartite": the first half of the members originate, the second half
// receive, every originator paying every beneficiary).
//
// Definition: a set O of at least `minOriginators` accounts and a set B of at least
// `minBeneficiaries` accounts (each at most `maxSide`) such that every o in O paid every b in
// B a novel payment (see `TypologyPayments`) of at least `minAmount`, within one window.
// Construction: each originator's payments are cut into greedy windows with at least
// `minBeneficiaries` distinct payees (`TypologyWindows`: its "bursts"). A seed burst X takes
// as partners the bursts of other originators starting within `windowHours` of it that share
// at least `minBeneficiaries` payees, by most shared payees first (then burst order), and
// keeps a partner while the payees common to all kept bursts stay at least
// `minBeneficiaries`. Instances with the same (O, B) are reported once, and an instance whose
// payments all belong to a larger one is dropped.
// Look-alike separators: recurring pairs are ignored (two companies paying the same regular
// suppliers), the amount floor, and chance: two people who each paid the same two popular
// payees over a month form a 2x2 biclique by accident, so the biclique's payments must be a
// burst for its accounts together: the product of each account's burst probability
// (`BurstSignificance`) over the biclique's span is at most `maxBurstProbability`.

import Columnar
import Foundation
import PropertyGraph

/// Parameters of `Bipartite` and of each layer of `Stack`.
public struct BipartiteSettings: Sendable, Codable, Equatable {
    public var minOriginators = 2
    public var minBeneficiaries = 2
    /// Largest side; a burst to more payees is a hub's ordinary traffic.
    public var maxSide = 20
    public var windowHours = 720.0
    public var minAmount = 1_000.0
    /// Bursts examined per shared payee.
    public var maxCandidates = 256
    /// The biclique must be improbable by chance: the product over its accounts of each one's
    /// burst probability (`BurstSignificance`, the account's payments in the biclique against
    /// its own rate of novel payments, over the biclique's span) is at most this (1 disables).
    public var maxBurstProbability = 0.001
    public init() {}
}

/// The bipartite detector.
public enum Bipartite {
    struct Burst { var originator: UInt32; var payees: [UInt32]; var edges: [UInt32]; var first: Int64 }

    /// One biclique: originators, beneficiaries (both sorted) and its payments.
    struct Biclique { var originators: [UInt32]; var beneficiaries: [UInt32]; var edges: [UInt32]; var first: Int64 }

    static func bursts(_ p: TypologyPayments, _ s: BipartiteSettings, window: Int64) -> [Burst] {
        let chunks = 16
        var parts = [[Burst]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { out in
            let results = out
            parallelChunks(count: p.vertexCount, chunks: chunks, minimumChunk: 1 << 10) { chunk, range in
                var counts = [Int32](repeating: 0, count: p.vertexCount)
                var found: [Burst] = [], candidates: [UInt32] = []
                for v in range {
                    let o = UInt32(v)
                    candidates.removeAll(keepingCapacity: true)
                    for e in p.edges(of: o, incoming: false) where p.dst[Int(e)] != o && !p.recurring[Int(e)] && p.amount[Int(e)] >= s.minAmount {
                        candidates.append(e)
                    }
                    if candidates.count < s.minBeneficiaries { continue }
                    let cp: (UInt32) -> UInt32 = { p.dst[Int($0)] }
                    for w in TypologyWindows.bursts(candidates, times: p.time, counterparty: cp, window: window, distinct: true,
                                                    minCount: s.minBeneficiaries, maxCount: s.maxSide, counts: &counts) {
                        let payees = TypologyWindows.distinctCounterparties(candidates, w, counterparty: cp).sorted()
                        found.append(Burst(originator: o, payees: payees, edges: Array(candidates[w]), first: p.time[Int(candidates[w.lowerBound])]))
                    }
                }
                results[chunk] = found
            }
        }
        return parts.flatMap { $0 }
    }

    /// The bicliques before they become findings (`Stack` builds on them).
    /// - Complexity: O(E) for the bursts, O(K · maxSide · maxCandidates) for K bursts.
    static func bicliques(_ p: TypologyPayments, settings s: BipartiteSettings) -> [Biclique] {
        let window = Int64(s.windowHours * 3_600_000_000)
        let bursts = bursts(p, s, window: window)
        // Bursts per payee, in burst order (CSR over payees).
        var offsets = [Int](repeating: 0, count: p.vertexCount + 1)
        for b in bursts { for v in b.payees { offsets[Int(v) + 1] += 1 } }
        for v in 0..<p.vertexCount { offsets[v + 1] += offsets[v] }
        var fill = offsets, byPayee = [Int32](repeating: 0, count: offsets[p.vertexCount])
        for (k, b) in bursts.enumerated() { for v in b.payees { byPayee[fill[Int(v)]] = Int32(k); fill[Int(v)] += 1 } }

        // Novel candidate payments per account and direction: each account's own rate.
        var nOut = [Int](repeating: 0, count: p.vertexCount), nIn = [Int](repeating: 0, count: p.vertexCount)
        for e in 0..<p.edgeCount where p.src[e] != p.dst[e] && !p.recurring[e] && p.amount[e] >= s.minAmount {
            nOut[Int(p.src[e])] += 1; nIn[Int(p.dst[e])] += 1
        }
        var found: [Biclique] = []
        for (x, seed) in bursts.enumerated() {
            var overlap: [Int32: Int] = [:]
            for v in seed.payees {
                var looked = 0
                for k in offsets[Int(v)]..<offsets[Int(v) + 1] {
                    if looked >= s.maxCandidates { break }
                    looked += 1
                    let y = byPayee[k]
                    let other = bursts[Int(y)]
                    if Int(y) == x || other.originator == seed.originator || abs(other.first - seed.first) > window { continue }
                    overlap[y, default: 0] += 1
                }
            }
            let partners = overlap.filter { $0.value >= s.minBeneficiaries }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            var common = Set(seed.payees), members: [Int] = [x], originators: Set<UInt32> = [seed.originator]
            for (y, _) in partners {
                let other = bursts[Int(y)]
                if originators.contains(other.originator) { continue }
                let next = common.intersection(other.payees)
                if next.count >= s.minBeneficiaries { common = next; members.append(Int(y)); originators.insert(other.originator) }
            }
            guard originators.count >= s.minOriginators, originators.count <= s.maxSide else { continue }
            var edges: [UInt32] = []
            for k in members { edges += bursts[k].edges.filter { common.contains(p.dst[Int($0)]) } }
            edges = TypologyFinding.timeOrdered(edges, p)
            if s.maxBurstProbability < 1 {
                let span = p.time[Int(edges.last!)] - p.time[Int(edges[0])]
                var paid: [UInt32: Int] = [:], received: [UInt32: Int] = [:]
                for e in edges { paid[p.src[Int(e)], default: 0] += 1; received[p.dst[Int(e)], default: 0] += 1 }
                var logP = 0.0
                for (v, k) in paid { logP += log(BurstSignificance.probability(k: k, n: nOut[Int(v)], span: span, period: p.period, resolution: p.resolution)) }
                for (v, k) in received { logP += log(BurstSignificance.probability(k: k, n: nIn[Int(v)], span: span, period: p.period, resolution: p.resolution)) }
                if logP > log(s.maxBurstProbability) { continue }
            }
            found.append(Biclique(originators: originators.sorted(), beneficiaries: common.sorted(), edges: edges, first: p.time[Int(edges[0])]))
        }
        // Once per (O, B); then drop an instance whose payments all belong to a larger one.
        found.sort { ($0.originators.lexicographicallyPrecedes($1.originators)) || ($0.originators == $1.originators && $0.beneficiaries.lexicographicallyPrecedes($1.beneficiaries)) }
        var unique: [Biclique] = []
        for b in found where !(unique.last.map { $0.originators == b.originators && $0.beneficiaries == b.beneficiaries } ?? false) { unique.append(b) }
        let order = unique.indices.sorted { unique[$0].edges.count != unique[$1].edges.count ? unique[$0].edges.count > unique[$1].edges.count : $0 < $1 }
        var covered = [Bool](repeating: false, count: p.edgeCount), keep = [Bool](repeating: false, count: unique.count)
        for k in order where !unique[k].edges.allSatisfy({ covered[Int($0)] }) {
            keep[k] = true
            for e in unique[k].edges { covered[Int(e)] = true }
        }
        return unique.indices.filter { keep[$0] }.map { unique[$0] }
    }

    /// Accounts: `originator`…, `beneficiary`…; score 0.85.
    public static func detect(_ p: TypologyPayments, settings s: BipartiteSettings = .init()) -> [TypologyFinding] {
        findings(bicliques(p, settings: s))
    }

    static func findings(_ found: [Biclique]) -> [TypologyFinding] {
        found.map { b in
            let m = TypologyFinding.members([("originator", b.originators), ("beneficiary", b.beneficiaries)])
            return TypologyFinding(kind: .bipartite, variant: "\(b.originators.count)x\(b.beneficiaries.count)", accounts: m.accounts,
                                   roles: m.roles, edges: b.edges, score: 0.85)
        }
    }
}
