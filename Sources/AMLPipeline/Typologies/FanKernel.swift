// The fan kernel behind `FanIn` and `FanOut`: per hub, greedy windows of novel payments from
// (or to) many distinct counterparties, with the lump on the other side of the hub.
//
// Look-alike separators: only payments of novel pairs count (`TypologyPayments.recurring`:
// payroll to the same employees, rent, supplier invoices recur monthly); payments under
// `minAmount` are ignored (a merchant's many small sales); a window with more than
// `maxCounterparties` distinct counterparties is a busy hub's ordinary traffic; and the fan
// must be a burst that the hub's own rate of novel payments makes improbable
// (`BurstSignificance`): a person who is paid by a few new people a month is not a fan-in.

import Columnar
import PropertyGraph

enum FanKernel {
    /// Fans into (`incoming`) or out of each account. Parallel over account chunks; the result
    /// is in account order whatever the thread count.
    /// - Complexity: O(E) windows plus O(maxCandidates) per fan for the lump.
    static func detect(_ p: TypologyPayments, incoming: Bool, settings s: FanSettings) -> [TypologyFinding] {
        let chunks = 16
        var parts = [[TypologyFinding]](repeating: [], count: chunks)
        let window = s.window
        parts.withUnsafeMutableBufferPointer { out in
            let results = out
            parallelChunks(count: p.vertexCount, chunks: chunks, minimumChunk: 1 << 10) { chunk, range in
                var counts = [Int32](repeating: 0, count: p.vertexCount)
                var found: [TypologyFinding] = []
                var candidates: [UInt32] = []
                for v in range {
                    let hub = UInt32(v)
                    candidates.removeAll(keepingCapacity: true)
                    for e in p.edges(of: hub, incoming: incoming) {
                        let c = p.counterparty(e, incoming: incoming)
                        if c != hub && !p.recurring[Int(e)] && p.amount[Int(e)] >= s.minAmount { candidates.append(e) }
                    }
                    if candidates.count < s.minCounterparties { continue }
                    let cp: (UInt32) -> UInt32 = { p.counterparty($0, incoming: incoming) }
                    for w in TypologyWindows.bursts(candidates, times: p.time, counterparty: cp, window: window, distinct: true,
                                                    minCount: s.minCounterparties, maxCount: s.maxCounterparties, counts: &counts,
                                                    qualifies: significance(p, candidates, cp, distinct: true, minCount: s.minCounterparties,
                                                                            maxProbability: s.maxBurstProbability, maxLook: s.maxCandidates)) {
                        let edges = Array(candidates[w])
                        let parties = TypologyWindows.distinctCounterparties(candidates, w, counterparty: cp)
                        let total = edges.reduce(0.0) { $0 + p.amount[Int($1)] }
                        let lump = findLump(p, hub: hub, incoming: incoming, edges: edges, total: total, settings: s)
                        var groups: [(String, [UInt32])] = [("hub", [hub]), (incoming ? "originator" : "beneficiary", parties)]
                        var evidence = edges
                        if let lump {
                            groups.append((incoming ? "destination" : "source", [p.counterparty(lump, incoming: !incoming)]))
                            evidence.append(lump)
                        }
                        let m = TypologyFinding.members(groups)
                        let span = Double(max(1, (s.maxCounterparties > 0 ? s.maxCounterparties : 20) - s.minCounterparties + 1))
                        let strength = min(1, Double(parties.count - s.minCounterparties + 1) / span)
                        let variant = lump == nil ? "plain" : (incoming ? "split_then_lump" : "lump_then_split")
                        found.append(TypologyFinding(kind: incoming ? .fanIn : .fanOut, variant: variant, accounts: m.accounts, roles: m.roles,
                                                     edges: TypologyFinding.timeOrdered(evidence, p),
                                                     score: 0.5 + 0.25 * strength + (lump == nil ? 0 : 0.25)))
                    }
                }
                results[chunk] = found
            }
        }
        return parts.flatMap { $0 }
    }

    /// The `qualifies` step of `TypologyWindows.bursts` that keeps the longest significant
    /// prefix of a window (`BurstSignificance.significantEnd`); the whole window when the
    /// test is off (`maxProbability` ≥ 1).
    static func significance(_ p: TypologyPayments, _ candidates: [UInt32], _ cp: @escaping (UInt32) -> UInt32, distinct: Bool, minCount: Int,
                             maxProbability: Double, maxLook: Int) -> (Range<Int>) -> Int? {
        if maxProbability >= 1 { return { $0.upperBound } }
        return { w in
            BurstSignificance.significantEnd(w, time: { p.time[Int(candidates[$0])] }, key: { cp(candidates[$0]) }, distinct: distinct,
                                             minCount: minCount, n: candidates.count, period: p.period, resolution: p.resolution,
                                             maxProbability: maxProbability,
                                             maxLook: maxLook)
        }
    }

    /// The lump: for a fan-in, the first payment out of the hub at or after the fan's last
    /// payment (within the window) carrying `lumpMinRetention...lumpMaxRetention` of the total;
    /// for a fan-out, the latest payment into the hub at or before the fan's first payment
    /// (within the window) of which the fan's total is that share. Not to a fan member.
    static func findLump(_ p: TypologyPayments, hub: UInt32, incoming: Bool, edges: [UInt32], total: Double, settings s: FanSettings) -> UInt32? {
        let members = Set(edges.map { p.counterparty($0, incoming: incoming) })
        if incoming {
            let last = edges.map { p.time[Int($0)] }.max()!
            let outs = p.edges(of: hub, incoming: false)
            var k = p.firstIndex(in: outs, atOrAfter: last), looked = 0
            while k < outs.endIndex && looked < s.maxCandidates {
                let e = outs[k]
                if p.time[Int(e)] - last > s.window { break }
                let a = p.amount[Int(e)]
                if !members.contains(p.dst[Int(e)]) && p.dst[Int(e)] != hub && a >= s.lumpMinRetention * total && a <= s.lumpMaxRetention * total { return e }
                k += 1; looked += 1
            }
        } else {
            let first = edges.map { p.time[Int($0)] }.min()!
            let ins = p.edges(of: hub, incoming: true)
            var k = p.firstIndex(in: ins, atOrAfter: first + 1) - 1, looked = 0
            while k >= ins.startIndex && looked < s.maxCandidates {
                let e = ins[k]
                if first - p.time[Int(e)] > s.window { break }
                let a = p.amount[Int(e)]
                if !members.contains(p.src[Int(e)]) && p.src[Int(e)] != hub && total >= s.lumpMinRetention * a && total <= s.lumpMaxRetention * a { return e }
                k -= 1; looked += 1
            }
        }
        return nil
    }
}
