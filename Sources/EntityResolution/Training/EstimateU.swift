import Foundation

/// u by random sampling, as Splink's `estimate_u_using_random_sampling`: about `maxPairs`
/// random record pairs (nearly all non-matches) are compared and u per level is the share
/// of non-null comparisons at that level. Levels never seen get Splink's "not observed"
/// value 1e-6. Reproducible for a seed. O(maxPairs · comparisons).
public func estimateU(model: inout FellegiSunterModel, scorer: Scorer, recordCount n: Int, source: [UInt8],
                      maxPairs: Int, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var pairs = CandidatePairs()
    let want = max(1, maxPairs)
    var tries = 0
    if n * (n - 1) / 2 <= want {
        // Small inputs: every pair, as Splink's sample then covers all records.
        for i in 0..<n { for j in (i + 1)..<n where model.linkType != .linkOnly || source[i] != source[j] {
            pairs.left.append(Int32(i)); pairs.right.append(Int32(j)); pairs.matchKey.append(0) } }
        tries = want * 4
    }
    while pairs.count < want && tries < want * 4 && n > 1 {
        tries += 1
        let i = Int(rng.next() % UInt64(n)), j = Int(rng.next() % UInt64(n))
        if i == j { continue }
        if model.linkType == .linkOnly && source[i] == source[j] { continue }
        pairs.left.append(Int32(i)); pairs.right.append(Int32(j)); pairs.matchKey.append(0)
    }
    let levels = scorer.levels(pairs)
    for c in model.comparisons.indices {
        var counts = [Int](repeating: 0, count: model.comparisons[c].levels.count)
        for l in levels[c] { counts[Int(l)] += 1 }
        let nonNull = zip(counts, model.comparisons[c].levels).filter { !$0.1.isNull }.map(\.0).reduce(0, +)
        for l in model.comparisons[c].levels.indices where !model.comparisons[c].levels[l].isNull && !model.comparisons[c].levels[l].fixU {
            model.comparisons[c].levels[l].u = counts[l] == 0 || nonNull == 0 ? 1e-6 : Double(counts[l]) / Double(nonNull)
        }
    }
}
