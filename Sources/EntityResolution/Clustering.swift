/// Clusters records by connected components over pairs with match probability ≥ threshold
/// (Splink's `cluster_pairwise_predictions_at_threshold`). Cluster ids are the smallest
/// record index in each component, so results do not depend on pair order. O(pairs · α).
public func clusterPairs(recordCount n: Int, pairs: CandidatePairs, probability: [Double], threshold: Double) -> [Int] {
    var parent = Array(0..<n)
    func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }
    for p in 0..<pairs.count where probability[p] >= threshold {
        let a = find(Int(pairs.left[p])), b = find(Int(pairs.right[p]))
        if a != b { if a < b { parent[b] = a } else { parent[a] = b } }
    }
    return (0..<n).map { find($0) }
}
