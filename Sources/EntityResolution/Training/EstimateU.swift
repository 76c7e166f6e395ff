import Columnar
import Foundation

/// u by random sampling, as Splink 5's `estimate_u_using_random_sampling`: a sample of
/// *records* is drawn and every pair within it (dedupe, link_and_dedupe) or across the two
/// inputs (link_only) is compared; those pairs are taken as non-matches, and u per level is
/// the share of the non-null comparisons at that level.
///
/// Sample size follows Splink: for the dedupe types each record is kept with probability
/// r/n, where r(r−1)/2 = `maxPairs`; for link_only with probability √(maxPairs / (n₁·n₂)).
/// When that probability reaches 1 every record is kept and the estimate is exhaustive, and
/// then identical to Splink's. Otherwise the sample is drawn with `SplitMix64(seed)`, not
/// DuckDB's hash, so it is reproducible for a seed but not the same records Splink picks.
/// All sampled pairs are counted: this is Splink with `min_count_per_level=None` (its
/// default of 100 stops counting a comparison after the first chunk of pairs in which every
/// level reached 100, which depends on DuckDB's hash of the ids).
///
/// A level no sampled pair reached is "not observed" and keeps its current u (Splink's
/// default for its position when untrained), as do levels with a fixed u.
/// Cost: O(n + sampled pairs · comparisons).
public func estimateU(model: inout FellegiSunterModel, scorer: Scorer, recordCount n: Int, source: [UInt8],
                      maxPairs: Int, seed: UInt64) {
    let pairs = uSamplePairs(recordCount: n, source: source, linkType: model.linkType, maxPairs: maxPairs, seed: seed)
    let levels = scorer.levels(pairs)
    for c in model.comparisons.indices {
        var counts = [Int](repeating: 0, count: model.comparisons[c].levels.count)
        for l in levels[c] { counts[Int(l)] += 1 }
        let nonNull = zip(counts, model.comparisons[c].levels).filter { !$0.1.isNull }.map(\.0).reduce(0, +)
        for l in model.comparisons[c].levels.indices where !model.comparisons[c].levels[l].isNull && !model.comparisons[c].levels[l].fixU {
            if counts[l] > 0 { model.comparisons[c].levels[l].u = Double(counts[l]) / Double(nonNull) }
        }
    }
}

/// The record pairs `estimateU` compares: all pairs among (or, for link_only, across the two
/// inputs of) a record sample whose expected pair count is `maxPairs`, in row order.
/// O(n + pairs).
public func uSamplePairs(recordCount n: Int, source: [UInt8], linkType: LinkType, maxPairs: Int, seed: UInt64) -> CandidatePairs {
    let want = Double(max(1, maxPairs))
    let proportion: Double
    switch linkType {
    case .dedupeOnly, .linkAndDedupe:
        let rows = 0.5 * ((8 * want + 1).squareRoot() + 1)
        proportion = n == 0 ? 1 : rows / Double(n)
    case .linkOnly:
        let right = Double(source.filter { $0 == 1 }.count), left = Double(n) - right
        proportion = left * right == 0 ? 1 : (want / (left * right)).squareRoot()
    }
    var rng = SplitMix64(seed: seed)
    let kept: [Int] = proportion >= 1 ? Array(0..<n)
        : (0..<n).filter { _ in Double(rng.next() >> 11) / Double(1 << 53) < proportion }
    var pairs = CandidatePairs()
    for (a, i) in kept.enumerated() {
        for j in kept[(a + 1)...] where linkType != .linkOnly || source[i] != source[j] {
            pairs.left.append(Int32(i)); pairs.right.append(Int32(j)); pairs.matchKey.append(0)
        }
    }
    return pairs
}
