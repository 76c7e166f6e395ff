import Foundation

/// Fellegi–Sunter match weights and EM steps on one-hot comparison vectors, for entity resolution.
///
/// A batch of P candidate pairs compared on C comparisons gives a P×C table of level indices
/// (level `-1` = null: the comparison could not be made and contributes nothing, as in Splink).
/// One-hot encoding turns it into a P×L 0/1 matrix X (L = total levels over all comparisons,
/// comparison c owning columns `offsets[c] ..< offsets[c] + levelCounts[c]`). Then:
/// - match weights: w = X · log2(m/u), one gemv, O(P·L);
/// - E step: posterior pᵢ = λ·2^wᵢ / (λ·2^wᵢ + 1 − λ), elementwise on w;
/// - M step: [Σ pᵢ xᵢ, Σ (1−pᵢ) xᵢ] = Xᵀ · [p, 1−p], one gemm (L×2 result), then each
///   comparison's m (u) levels are normalised over its non-null observations; λ = mean p.
/// The scalar path (`scalar…`) indexes weights directly, O(P·C), and gives the same numbers
/// up to rounding of the sums (tests hold them within 1e-12).
public struct OneHotScorer: Sendable {
    /// Number of levels of each comparison.
    public let levelCounts: [Int]
    /// First column of each comparison in the one-hot matrix.
    public let offsets: [Int]
    /// L, the number of one-hot columns.
    public let totalLevels: Int

    /// Below this many pairs the scalar path is used by `matchWeights(levels:pairs:weights:)`.
    /// The bench (README, "Matrix layer") found no crossover: the one-hot gemv does L
    /// multiply-adds per pair where the lookup does C reads, and building X costs more than
    /// either (1M pairs, C = 6, L = 21: scalar 15 ms, gemv 27 ms, build + gemv 338 ms), so the
    /// scalar path is always taken. The gemm M step wins up to ~100k pairs once X exists.
    public static let vectorisedMinimumPairs = Int.max

    public init(levelCounts: [Int]) {
        precondition(levelCounts.allSatisfy { $0 >= 1 }, "every comparison needs at least one level")
        self.levelCounts = levelCounts
        var o: [Int] = [], t = 0
        for c in levelCounts { o.append(t); t += c }
        offsets = o
        totalLevels = t
    }

    /// Number of comparisons C.
    public var comparisons: Int { levelCounts.count }

    /// Checks a P×C level table (row-major): every level is −1 or in 0..<levelCounts[c].
    public func validate(_ levels: [Int32], pairs: Int) throws {
        guard levels.count == pairs * comparisons else {
            throw MatrixError.dimensionMismatch("one-hot: \(levels.count) levels for \(pairs) pairs x \(comparisons) comparisons")
        }
        for i in 0..<pairs {
            for c in 0..<comparisons {
                let l = Int(levels[i * comparisons + c])
                guard l >= -1, l < levelCounts[c] else {
                    throw MatrixError.dimensionMismatch("one-hot: pair \(i) comparison \(c) has level \(l); expected -1..<\(levelCounts[c])")
                }
            }
        }
    }

    /// The P×L one-hot matrix of a validated level table. O(P·L) memory.
    public func encode(_ levels: [Int32], pairs: Int) -> Matrix<Double> {
        var x = Matrix<Double>(rows: pairs, columns: totalLevels)
        let c = comparisons, l = totalLevels
        x.withUnsafeMutableBufferPointer { p in
            for i in 0..<pairs {
                for k in 0..<c {
                    let level = Int(levels[i * c + k])
                    if level >= 0 { p[i * l + offsets[k] + level] = 1 }
                }
            }
        }
        return x
    }

    /// log2(m/u) per level, the Fellegi–Sunter weight vector (length L).
    public static func logBayesFactors(m: [Double], u: [Double]) -> [Double] {
        precondition(m.count == u.count, "m and u differ in length")
        return zip(m, u).map { log2($0 / $1) }
    }

    /// Match weights w = X·weights (one gemv).
    public func matchWeights(onehot x: Matrix<Double>, weights: [Double]) -> [Double] {
        precondition(x.columns == totalLevels && weights.count == totalLevels, "weights need \(totalLevels) entries")
        return BLAS.gemv(x.view, VectorView(weights))
    }

    /// Match weights by direct lookup: wᵢ = Σ_c weights[offset_c + level_ic], nulls skipped.
    public func scalarMatchWeights(levels: [Int32], pairs: Int, weights: [Double]) -> [Double] {
        precondition(weights.count == totalLevels, "weights need \(totalLevels) entries")
        let c = comparisons
        var w = [Double](repeating: 0, count: pairs)
        for i in 0..<pairs {
            var s = 0.0
            for k in 0..<c {
                let level = Int(levels[i * c + k])
                if level >= 0 { s += weights[offsets[k] + level] }
            }
            w[i] = s
        }
        return w
    }

    /// Match weights by the faster path for the batch size (see `vectorisedMinimumPairs`).
    public func matchWeights(levels: [Int32], pairs: Int, weights: [Double]) -> [Double] {
        pairs >= Self.vectorisedMinimumPairs
            ? matchWeights(onehot: encode(levels, pairs: pairs), weights: weights)
            : scalarMatchWeights(levels: levels, pairs: pairs, weights: weights)
    }

    /// E step: the posterior match probability of each pair from its weight and the prior λ.
    public static func posteriors(weights w: [Double], lambda: Double) -> [Double] {
        w.map { wi in
            let a = lambda * exp2(wi)
            return a / (a + (1 - lambda))
        }
    }

    /// The result of an M step: new m and u per level (length L) and the new λ.
    public struct Parameters: Sendable, Equatable {
        public var m: [Double]
        public var u: [Double]
        public var lambda: Double
        public init(m: [Double], u: [Double], lambda: Double) {
            self.m = m
            self.u = u
            self.lambda = lambda
        }
    }

    /// M step on the one-hot matrix: S = Xᵀ·[p, 1−p] (one gemm), normalised per comparison.
    public func maximisation(onehot x: Matrix<Double>, posteriors p: [Double]) -> Parameters {
        precondition(x.rows == p.count && x.columns == totalLevels, "shape mismatch")
        var pq = Matrix<Double>(rows: p.count, columns: 2)
        pq.withUnsafeMutableBufferPointer { b in
            for i in p.indices { b[2 * i] = p[i]; b[2 * i + 1] = 1 - p[i] }
        }
        let s = BLAS.gemm(x.view, pq.view, transposeA: true)
        let matchSums = (0..<totalLevels).map { s[$0, 0] }
        let nonMatchSums = (0..<totalLevels).map { s[$0, 1] }
        return finish(matchSums, nonMatchSums, p)
    }

    /// M step by direct accumulation over the level table.
    public func scalarMaximisation(levels: [Int32], pairs: Int, posteriors p: [Double]) -> Parameters {
        var ms = [Double](repeating: 0, count: totalLevels), us = ms
        let c = comparisons
        for i in 0..<pairs {
            for k in 0..<c {
                let level = Int(levels[i * c + k])
                if level >= 0 {
                    ms[offsets[k] + level] += p[i]
                    us[offsets[k] + level] += 1 - p[i]
                }
            }
        }
        return finish(ms, us, p)
    }

    private func finish(_ ms: [Double], _ us: [Double], _ p: [Double]) -> Parameters {
        var m = ms, u = us
        for (k, count) in levelCounts.enumerated() {
            let r = offsets[k]..<(offsets[k] + count)
            let tm = r.reduce(0.0) { $0 + ms[$1] }, tu = r.reduce(0.0) { $0 + us[$1] }
            for j in r {
                m[j] = tm > 0 ? ms[j] / tm : 0
                u[j] = tu > 0 ? us[j] / tu : 0
            }
        }
        let lambda = p.isEmpty ? 0 : p.reduce(0, +) / Double(p.count)
        return Parameters(m: m, u: u, lambda: lambda)
    }
}
