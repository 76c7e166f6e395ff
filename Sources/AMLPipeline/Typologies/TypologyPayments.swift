// The compact payment view every typology detector reads: flat per-edge arrays and, per
// account, its incoming and outgoing payments sorted by time. Built once per run.
//
// Counterparty novelty lives here too, because every detector's look-alike separator uses
// it: a (payer, payee) pair is *recurring* when its payments span at least
// `recurringSpan` (25 days by default: two payments a month apart, the cadence of payroll,
// rent, subscriptions and supplier invoices). Payments of a recurring pair are an
// established relationship; laundering typologies (AMLSim, AMLworld) move money between
// accounts that have no such history, so the fan, bipartite, structuring and pass-through
// detectors count only payments of non-recurring ("novel") pairs.

import Columnar
import Foundation
import GraphAlgorithms
import PropertyGraph

/// Per-edge payments and time-sorted per-account payment lists, on dense vertex ids.
///
/// - `outEdges[outOffsets[v]..<outOffsets[v+1]]`: edges paid by `v`, by (time, edge id);
/// - `inEdges[inOffsets[v]..<inOffsets[v+1]]`: edges received by `v`, by (time, edge id);
/// - `recurring[e]`: the pair (src, dst) of `e` has payments at least `recurringSpan` apart.
///
/// - Complexity: O(E log d) to build (a sort per account), 29 bytes per edge.
public struct TypologyPayments: Sendable {
    public let vertexCount: Int
    public let src: [UInt32]
    public let dst: [UInt32]
    public let amount: [Double]
    public let time: [Int64]
    public let outOffsets: [Int]
    public let outEdges: [UInt32]
    public let inOffsets: [Int]
    public let inEdges: [UInt32]
    public let recurring: [Bool]
    /// The data's period: last payment time minus first (microseconds), at least one day.
    public let period: Int64
    /// The finest time step the data records: the largest of one day, hour, minute or second
    /// that divides every payment time (one microsecond otherwise). Bursts shorter than this
    /// cannot be told apart (`BurstSignificance`): a bank extract with booking dates puts a
    /// day's payments at the same instant.
    public let resolution: Int64

    /// Builds the view from a payment graph's amount and time columns.
    public init(graph: PropertyGraph, amountColumn: String = "txn_amount", timeColumn: String = "txn_ts",
                recurringSpan: Int64 = 25 * 86_400_000_000) throws {
        let amounts = try Structuring.amounts(graph, amountColumn)
        if let bad = amounts.firstIndex(where: { !$0.isFinite }) {
            throw StructuringError.badColumn("amount column '\(amountColumn)' has a non-finite value (\(amounts[bad])) at row \(bad + 1); expected a finite number")
        }
        self.init(vertexCount: graph.vertexCount, src: graph.src, dst: graph.dst, amount: amounts,
                  time: try Structuring.times(graph, timeColumn), recurringSpan: recurringSpan)
    }

    /// Builds the view from flat arrays (tests, callers with their own graph).
    public init(vertexCount: Int, src: [UInt32], dst: [UInt32], amount: [Double], time: [Int64],
                recurringSpan: Int64 = 25 * 86_400_000_000) {
        precondition(src.count == dst.count && src.count == amount.count && src.count == time.count)
        self.vertexCount = vertexCount
        self.src = src
        self.dst = dst
        self.amount = amount
        self.time = time
        period = max(86_400_000_000, (time.max() ?? 0) - (time.min() ?? 0))
        let origin = time.min() ?? 0
        resolution = [86_400_000_000, 3_600_000_000, 60_000_000, 1_000_000].first { step in
            time.allSatisfy { ($0 - origin) % step == 0 }
        } ?? 1
        let out = CSRAdjacency(vertexCount: vertexCount, keys: src, others: dst)
        let inn = CSRAdjacency(vertexCount: vertexCount, keys: dst, others: src)
        func sorted(_ a: CSRAdjacency) -> [UInt32] {
            var edges = a.edgeIDs
            edges.withUnsafeMutableBufferPointer { buf in
                let b = buf
                parallelChunks(count: vertexCount, chunks: 64, minimumChunk: 1 << 12) { _, range in
                    for v in range {
                        let r = a.range(UInt32(v))
                        if r.count < 2 { continue }
                        var slice = Array(b[r])
                        slice.sort { (time[Int($0)], $0) < (time[Int($1)], $1) }
                        for (k, e) in slice.enumerated() { b[r.lowerBound + k] = e }
                    }
                }
            }
            return edges
        }
        outOffsets = out.offsets
        inOffsets = inn.offsets
        outEdges = sorted(out)
        inEdges = sorted(inn)
        // A pair's span: over each payer's out-edges grouped by payee. Sorting a copy of the
        // payer's (time-sorted) list by payee keeps time order within a payee.
        var rec = [Bool](repeating: false, count: src.count)
        let offs = outOffsets, oe = outEdges
        rec.withUnsafeMutableBufferPointer { buf in
            let r = buf
            parallelChunks(count: vertexCount, chunks: 64, minimumChunk: 1 << 12) { _, range in
                var scratch: [UInt32] = []
                for v in range {
                    let lo = offs[v], hi = offs[v + 1]
                    if hi - lo < 2 { continue }
                    scratch.removeAll(keepingCapacity: true)
                    scratch.append(contentsOf: oe[lo..<hi])
                    scratch.sort { (dst[Int($0)], time[Int($0)], $0) < (dst[Int($1)], time[Int($1)], $1) }
                    var i = 0
                    while i < scratch.count {
                        var j = i
                        while j < scratch.count && dst[Int(scratch[j])] == dst[Int(scratch[i])] { j += 1 }
                        if time[Int(scratch[j - 1])] - time[Int(scratch[i])] >= recurringSpan {
                            for k in i..<j { r[Int(scratch[k])] = true }
                        }
                        i = j
                    }
                }
            }
        }
        recurring = rec
    }

    public var edgeCount: Int { src.count }

    /// `v`'s outgoing (`incoming == false`) or incoming payments, time-sorted.
    @inlinable public func edges(of v: UInt32, incoming: Bool) -> ArraySlice<UInt32> {
        incoming ? inEdges[inOffsets[Int(v)]..<inOffsets[Int(v) + 1]] : outEdges[outOffsets[Int(v)]..<outOffsets[Int(v) + 1]]
    }

    /// The other party of edge `e` seen from the hub (`incoming`: the payer, else the payee).
    @inlinable public func counterparty(_ e: UInt32, incoming: Bool) -> UInt32 { incoming ? src[Int(e)] : dst[Int(e)] }

    /// The first position in a time-sorted edge slice whose time is at least `t`. O(log d).
    @inlinable public func firstIndex(in slice: ArraySlice<UInt32>, atOrAfter t: Int64) -> Int {
        var lo = slice.startIndex, hi = slice.endIndex
        while lo < hi { let m = (lo + hi) / 2; if time[Int(slice[m])] < t { lo = m + 1 } else { hi = m } }
        return lo
    }
}
