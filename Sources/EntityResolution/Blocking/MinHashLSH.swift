import Columnar
import Foundation

/// MinHash LSH blocking over q-gram shingles of chosen columns (concatenated with a space).
///
/// Each record gets `numPerm` min-hashes; records sharing all `rows` hashes of any of the
/// `bands` bands become candidates. A pair with Jaccard similarity s is a candidate with
/// probability 1 − (1 − s^rows)^bands. Without bands/rows, (b, r) are chosen for
/// `threshold` as datasketch does: minimising the weighted false-positive and
/// false-negative areas under that S-curve with b·r ≤ numPerm.
/// Cost: O(n · shingles · numPerm) to sign, O(n · bands + candidates) to bucket.
public struct MinHashLSH: Sendable {
    public let columns: [String]
    public let q: Int
    public let numPerm: Int
    public let bands: Int
    public let rows: Int
    public let seed: UInt64

    public init(columns: [String], q: Int = 3, numPerm: Int = 128, bands: Int? = nil, rows: Int? = nil, threshold: Double = 0.5, seed: UInt64 = 1) {
        self.columns = columns; self.q = max(1, q); self.numPerm = max(1, numPerm); self.seed = seed
        if let bands, let rows { self.bands = bands; self.rows = rows } else {
            let (b, r) = MinHashLSH.optimalBands(threshold: threshold, numPerm: max(1, numPerm))
            self.bands = b; self.rows = r
        }
    }

    public var name: String { "minhash(\(columns.joined(separator: ",")); q=\(q), bands=\(bands), rows=\(rows))" }

    /// P(candidate) for Jaccard similarity s.
    public func candidateProbability(_ s: Double) -> Double { 1 - pow(1 - pow(s, Double(rows)), Double(bands)) }

    /// (bands, rows) minimising the false-positive area below the threshold plus the
    /// false-negative area above it (equal weights), integrated numerically.
    public static func optimalBands(threshold t: Double, numPerm: Int) -> (Int, Int) {
        func integrate(_ f: (Double) -> Double, _ a: Double, _ b: Double) -> Double {
            let n = 200; let h = (b - a) / Double(n); var s = 0.0
            for i in 0..<n { s += f(a + (Double(i) + 0.5) * h) * h }
            return s
        }
        var best = (1, 1), bestErr = Double.infinity
        for b in 1...numPerm {
            for r in 1...(numPerm / b) {
                let p = { (s: Double) in 1 - pow(1 - pow(s, Double(r)), Double(b)) }
                let err = integrate(p, 0, t) + integrate({ 1 - p($0) }, t, 1)
                if err < bestErr { bestErr = err; best = (b, r) }
            }
        }
        return best
    }

    /// Candidate pairs (unordered; the blocker orients them). Deterministic for a seed.
    public func candidates(_ table: Table) throws -> [(Int32, Int32)] {
        let cols = try columns.map { try table.column($0) }
        let n = table.rowCount
        var rng = SplitMix64(seed: seed)
        let a = (0..<numPerm).map { _ in rng.next() | 1 }, b = (0..<numPerm).map { _ in rng.next() }
        var sigs = [UInt64](repeating: .max, count: n * numPerm)
        var empty = [Bool](repeating: true, count: n)
        sigs.withUnsafeMutableBufferPointer { sb in
            let buf = sb
            DispatchQueue.concurrentPerform(iterations: max(1, (n + 1023) / 1024)) { k in
                for i in (k * 1024)..<min(n, (k + 1) * 1024) {
                    let text = cols.map { $0.isNull(i) ? "" : ($0.value(at: i).stringValue ?? "") }.joined(separator: " ")
                    let s = Scalars.of(text.lowercased())
                    if s.isEmpty { continue }
                    for g in qgrams(s, q) {
                        var h: UInt64 = 1469598103934665603
                        for x in g { h = (h ^ UInt64(x)) &* 1099511628211 }
                        for p in 0..<numPerm {
                            let v = a[p] &* h &+ b[p]
                            if v < buf[i * numPerm + p] { buf[i * numPerm + p] = v }
                        }
                    }
                }
            }
        }
        for i in 0..<n { empty[i] = sigs[i * numPerm] == .max }
        var out: [(Int32, Int32)] = []
        for band in 0..<bands {
            var buckets: [[UInt64]: [Int32]] = [:]
            for i in 0..<n where !empty[i] {
                let key = Array(sigs[(i * numPerm + band * rows)..<(i * numPerm + band * rows + rows)])
                buckets[key, default: []].append(Int32(i))
            }
            for (_, members) in buckets where members.count > 1 {
                for x in 0..<members.count { for y in (x + 1)..<members.count { out.append((members[x], members[y])) } }
            }
        }
        return out
    }
}
