// Rapid pass-through (mule accounts): money comes in and leaves within hours, leaving the
// account near where it started.
//
// Definition: for each payment into an account of at least `minAmount` (in time order), the
// account's following payments out within `maxDelayHours`, skipping any back to the payer
// (a refund) and any already matched to an earlier receipt, are added in time order until
// they reach `minRetention` of the receipt; it is a pass-through when that sum is at most
// `maxRetention` of it (85%–100%: fees). An account with at least `minEvents` pass-throughs
// is one finding with all of them. Look-alike separators: only payments of novel pairs count
// on both sides (`TypologyPayments.recurring`): a salary swept on to a family member every
// payday, an invoice a company passes to its supplier, rent collected and paid on are
// established relationships, and a mule's payers and payees are new to it; friends paying
// back go back to the payer; a salary spent on rent and shopping is neither that fast nor
// that complete.

import Columnar
import PropertyGraph

/// Parameters of `RapidPassThrough`.
public struct RapidPassThroughSettings: Sendable, Codable, Equatable {
    /// 24 hours: "within hours".
    public var maxDelayHours = 24.0
    public var minRetention = 0.85
    public var maxRetention = 1.0
    public var minAmount = 1_000.0
    /// Pass-throughs per account (1: the definition is one movement in and out; with both
    /// legs between novel pairs, the everyday coincidences, a recurring bill paid the day a
    /// salary arrived, do not qualify).
    public var minEvents = 1
    /// Payments out examined per receipt.
    public var maxCandidates = 64
    public init() {}
}

/// The rapid pass-through detector.
public enum RapidPassThrough {
    /// Accounts: `pass_through`, then the payers (`source`) and payees (`destination`); score
    /// 0.6 + 0.1 per further event, at most 1.
    /// - Complexity: O(E · maxCandidates); parallel over accounts.
    public static func detect(_ p: TypologyPayments, settings s: RapidPassThroughSettings = .init()) -> [TypologyFinding] {
        let delay = Int64(s.maxDelayHours * 3_600_000_000)
        let chunks = 16
        var parts = [[TypologyFinding]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { out in
            let results = out
            parallelChunks(count: p.vertexCount, chunks: chunks, minimumChunk: 1 << 10) { chunk, range in
                var found: [TypologyFinding] = []
                var used = Set<UInt32>()
                for v in range {
                    let hub = UInt32(v)
                    let outs = p.edges(of: hub, incoming: false)
                    if outs.isEmpty { continue }
                    used.removeAll(keepingCapacity: true)
                    var events = 0, edges: [UInt32] = [], sources: [UInt32] = [], destinations: [UInt32] = []
                    for e in p.edges(of: hub, incoming: true) {
                        let a = p.amount[Int(e)], t = p.time[Int(e)], payer = p.src[Int(e)]
                        if a < s.minAmount || payer == hub || p.recurring[Int(e)] { continue }
                        var k = p.firstIndex(in: outs, atOrAfter: t), looked = 0, sum = 0.0
                        var chosen: [UInt32] = []
                        while k < outs.endIndex && looked < s.maxCandidates {
                            let o = outs[k]; k += 1; looked += 1
                            if p.time[Int(o)] - t > delay { break }
                            if used.contains(o) || p.recurring[Int(o)] || p.dst[Int(o)] == payer || p.dst[Int(o)] == hub { continue }
                            sum += p.amount[Int(o)]; chosen.append(o)
                            if sum >= s.minRetention * a { break }
                        }
                        guard sum >= s.minRetention * a && sum <= s.maxRetention * a else { continue }
                        events += 1
                        for o in chosen { used.insert(o); destinations.append(p.dst[Int(o)]) }
                        edges.append(e); edges += chosen; sources.append(payer)
                    }
                    guard events >= s.minEvents, events > 0 else { continue }
                    let m = TypologyFinding.members([("pass_through", [hub]), ("source", sources), ("destination", destinations)])
                    found.append(TypologyFinding(kind: .rapidPassThrough, variant: events == 1 ? "single" : "repeated", accounts: m.accounts,
                                                 roles: m.roles, edges: TypologyFinding.timeOrdered(edges, p),
                                                 score: min(1, 0.6 + 0.1 * Double(events - 1))))
                }
                results[chunk] = found
            }
        }
        return parts.flatMap { $0 }
    }
}
