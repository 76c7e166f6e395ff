import GraphAlgorithms

/// Clusters records by connected components over pairs with match probability ≥ threshold
/// (Splink's `cluster_pairwise_predictions_at_threshold`), with the graph module's weakly
/// connected components on records as vertices and kept pairs as edges. Each record's
/// cluster is the smallest record index in its component, whatever the pair order or
/// thread count. O((records + pairs) α).
public func clusterPairs(recordCount n: Int, pairs: CandidatePairs, probability: [Double], threshold: Double) -> [Int] {
    var src: [UInt32] = [], dst: [UInt32] = []
    for p in 0..<pairs.count where probability[p] >= threshold {
        src.append(UInt32(pairs.left[p])); dst.append(UInt32(pairs.right[p]))
    }
    return WeaklyConnectedComponents.labels(vertexCount: n, src: src, dst: dst).map(Int.init)
}
