/// Public constructors for a prediction computed elsewhere (the Spark engine scores pairs
/// on a cluster and hands back the same parts), so `EntityResolver.pairsTable`,
/// `explainTable` and the clustering read it as they read a local prediction.
extension ScoredPairs {
    /// `levelIndices[c][p]` is the level index of comparison c on pair p.
    public init(levelIndices: [[UInt8]], weights: [Double], probabilities: [Double]) {
        levels = levelIndices; matchWeight = weights; matchProbability = probabilities
    }
}

extension Prediction {
    public init(candidates: CandidatePairs, counts: [(String, Int)], scored: ScoredPairs) {
        pairs = candidates; ruleCounts = counts; self.scored = scored
    }
}
