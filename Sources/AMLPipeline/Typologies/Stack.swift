// Stack (AMLSim "stack": two bipartite layers, originators -> intermediates ->
// beneficiaries, all-to-all at each layer, in time order).
//
// Definition: a first layer found by `Bipartite` (originators O, intermediates M), and a set B
// of at least `layer.minBeneficiaries` accounts outside O and M such that every m in M paid
// every b in B a novel payment of at least `layer.minAmount` no earlier than the first
// layer's first payment and within `layer.windowHours` of it. Look-alike separators: those of
// `Bipartite`, twice.

import PropertyGraph

/// Parameters of `Stack`.
public struct StackSettings: Sendable, Codable, Equatable {
    /// Each layer's bipartite parameters.
    public var layer = BipartiteSettings()
    public init() {}
}

/// The stack detector.
public enum Stack {
    /// Accounts: `originator`…, `intermediary`…, `beneficiary`…; edges: both layers. Score 0.95.
    /// - Complexity: that of `Bipartite`, plus O(|M| · degree in the window) per first layer.
    public static func detect(_ p: TypologyPayments, settings s: StackSettings = .init()) -> [TypologyFinding] {
        detect(p, settings: s, firstLayers: Bipartite.bicliques(p, settings: s.layer))
    }

    /// The same on first layers already found with `settings.layer`.
    static func detect(_ p: TypologyPayments, settings s: StackSettings, firstLayers: [Bipartite.Biclique]) -> [TypologyFinding] {
        let l = s.layer
        let window = Int64(l.windowHours * 3_600_000_000)
        var found: [TypologyFinding] = []
        for first in firstLayers where first.beneficiaries.count <= l.maxSide {
            let excluded = Set(first.originators + first.beneficiaries)
            var common: Set<UInt32>? = nil
            var layer2: [UInt32] = []
            for m in first.beneficiaries {
                let outs = p.edges(of: m, incoming: false)
                var k = p.firstIndex(in: outs, atOrAfter: first.first), looked = 0
                var payees = Set<UInt32>()
                while k < outs.endIndex && looked < l.maxCandidates {
                    let e = outs[k]; k += 1; looked += 1
                    if p.time[Int(e)] - first.first > window { break }
                    let d = p.dst[Int(e)]
                    if excluded.contains(d) || p.recurring[Int(e)] || p.amount[Int(e)] < l.minAmount { continue }
                    payees.insert(d); layer2.append(e)
                }
                common = common.map { $0.intersection(payees) } ?? payees
                if common!.count < l.minBeneficiaries { break }
            }
            guard let b = common, b.count >= l.minBeneficiaries, b.count <= l.maxSide else { continue }
            let edges = first.edges + layer2.filter { b.contains(p.dst[Int($0)]) }
            let m = TypologyFinding.members([("originator", first.originators), ("intermediary", first.beneficiaries), ("beneficiary", b.sorted())])
            found.append(TypologyFinding(kind: .stack, variant: "\(first.originators.count)x\(first.beneficiaries.count)x\(b.count)",
                                         accounts: m.accounts, roles: m.roles, edges: TypologyFinding.timeOrdered(edges, p), score: 0.95))
        }
        return found
    }
}
