import Columnar
import Foundation

/// Record pairs to score: row indices into the (concatenated) input table, and the blocking
/// rule that produced each pair (Splink's `match_key`).
public struct CandidatePairs: Sendable {
    public var left: [Int32] = []
    public var right: [Int32] = []
    public var matchKey: [UInt8] = []
    public init() {}
    public var count: Int { left.count }
}

/// Comparison levels and weights computed for pairs.
public struct ScoredPairs: Sendable {
    /// levels[c][p] = index of the level taken by comparison c on pair p.
    public var levels: [[UInt8]]
    public var matchWeight: [Double]
    public var matchProbability: [Double]
}

/// Computes comparison levels and weights for candidate pairs.
public struct Scorer: Sendable {
    public let model: FellegiSunterModel
    public let columns: [PreparedColumn]
    /// TF columns by comparison (nil when the comparison has no TF level).
    let tfColumns: [PreparedColumn?]

    /// Prepares every compared column of `table`. O(n · comparisons).
    public init(model: FellegiSunterModel, table: Table) throws {
        self.model = model
        let cols = try model.comparisons.map { try PreparedColumn(table, $0.column) }
        columns = cols
        tfColumns = try model.comparisons.enumerated().map { ci, c in
            guard let t = c.levels.compactMap(\.tfColumn).first else { return nil }
            return t == c.column ? cols[ci] : try PreparedColumn(table, t)
        }
    }

    /// Level index for comparison c on (i, j): the first level whose condition holds.
    @inlinable public func level(_ c: Int, _ i: Int, _ j: Int) -> Int {
        let levels = model.comparisons[c].levels
        for (k, lev) in levels.enumerated() where columns[c].holds(lev.condition, i, j) { return k }
        return levels.count - 1
    }

    /// Levels only (for training). Parallel over chunks; deterministic.
    public func levels(_ pairs: CandidatePairs) -> [[UInt8]] {
        let n = pairs.count, nc = model.comparisons.count
        var out = [[UInt8]](repeating: [UInt8](repeating: 0, count: n), count: nc)
        let chunk = 4096, chunks = (n + chunk - 1) / chunk
        for c in 0..<nc {
            out[c].withUnsafeMutableBufferPointer { buf in
                let b = buf
                DispatchQueue.concurrentPerform(iterations: chunks) { k in
                    for p in (k * chunk)..<min(n, (k + 1) * chunk) {
                        b[p] = UInt8(level(c, Int(pairs.left[p]), Int(pairs.right[p])))
                    }
                }
            }
        }
        return out
    }

    /// Scores pairs: levels, match weights (prior + Σ level weights + Σ TF adjustments, summed in
    /// comparison order as Splink does) and probabilities.
    public func score(_ pairs: CandidatePairs) -> ScoredPairs {
        let lv = levels(pairs)
        let n = pairs.count
        let weights = model.comparisons.indices.map { c in model.comparisons[c].levels.indices.map { model.weight(c, $0) } }
        var w = [Double](repeating: model.priorWeight, count: n)
        for c in model.comparisons.indices {
            let tf = tfColumns[c]
            for p in 0..<n {
                let l = Int(lv[c][p])
                w[p] += weights[c][l]
                if let tf { w[p] += model.tfAdjustment(c, l, tfL: tf.tf[Int(pairs.left[p])], tfR: tf.tf[Int(pairs.right[p])]) }
            }
        }
        return ScoredPairs(levels: lv, matchWeight: w, matchProbability: w.map(matchProbability))
    }

    /// The per-term waterfall of one pair: (term, level label, m, u, weight, tf adjustment).
    public func explain(_ i: Int, _ j: Int) -> [(term: String, level: String, m: Double?, u: Double?, weight: Double, tf: Double)] {
        var out: [(String, String, Double?, Double?, Double, Double)] = [("prior", "λ = \(model.lambda)", nil, nil, model.priorWeight, 0)]
        for (c, cmp) in model.comparisons.enumerated() {
            let l = level(c, i, j)
            let tf = tfColumns[c].map { model.tfAdjustment(c, l, tfL: $0.tf[i], tfR: $0.tf[j]) } ?? 0
            let null = cmp.levels[l].isNull
            out.append((cmp.column, cmp.levels[l].label, null ? nil : cmp.effectiveM(l), null ? nil : cmp.effectiveU(l), model.weight(c, l), tf))
        }
        return out.map { (term: $0.0, level: $0.1, m: $0.2, u: $0.3, weight: $0.4, tf: $0.5) }
    }
}
