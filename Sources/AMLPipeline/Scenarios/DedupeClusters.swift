// What both dedupe gold tables share: train a model, predict, cluster at a threshold, and
// describe each record's cluster.
import Columnar
import EntityResolution

/// A trained, scored and clustered dedupe of one table.
struct DedupeClusters {
    /// Row index of each record's cluster representative (its first record in input order).
    var representative: [Int]
    /// Records in each record's cluster.
    var size: [Int]
    /// The best match probability of each record's pairs at or above the threshold (nil for
    /// singletons).
    var bestProbability: [Double?]
    /// The trained model, for the run's log and the explanation of a pair.
    var model: FellegiSunterModel
    var candidatePairs: Int

    /// Trains `model` on `table` as `plan` says (uses it as given when `plan` is nil), predicts with the model's blocking rules and
    /// clusters pairs at or above `threshold` (Splink's semantics throughout; see
    /// `EntityResolver`). O(n + candidate pairs + plan's sampled pairs).
    static func resolve(_ table: Table, model: FellegiSunterModel, plan: TrainingPlan?, threshold: Double) throws -> DedupeClusters {
        var resolver = try EntityResolver(model: model, table: table)
        if let plan { try resolver.train(plan) }
        // Only the pairs at or above the threshold are kept (scored slice by slice): the
        // clusters and best probabilities read no other pair.
        let prediction = try resolver.predict(atLeast: threshold)
        let n = table.rowCount
        let labels = clusterPairs(recordCount: n, pairs: prediction.pairs,
                                  probability: prediction.probability, threshold: threshold)
        var counts = [Int](repeating: 0, count: n)
        for l in labels { counts[l] += 1 }
        var best = [Double?](repeating: nil, count: n)
        let probability = prediction.probability
        for p in 0..<prediction.pairs.count where probability[p] >= threshold {
            for r in [Int(prediction.pairs.left[p]), Int(prediction.pairs.right[p])] { best[r] = max(best[r] ?? 0, probability[p]) }
        }
        return DedupeClusters(representative: labels, size: labels.map { counts[$0] }, bestProbability: best,
                              model: resolver.model, candidatePairs: prediction.candidates)
    }
}
