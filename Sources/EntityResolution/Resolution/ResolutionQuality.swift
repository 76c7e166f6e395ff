import Foundation

/// Pairwise quality of an entity resolution against ground truth: a record pair is a true
/// match when both records carry the same truth label. Precision = TP / predicted pairs,
/// recall = TP / true pairs, F1 their harmonic mean (the usual pairwise measures of record
/// linkage, as in Splink's truth-space tables). Records whose label is nil (unknown) take
/// part in no pair on either side. Vacuous cases: precision is 1 when nothing is predicted,
/// recall is 1 when there are no true pairs, and F1 is 0 when both are 0.
public struct ResolutionQuality: Sendable, Equatable {
    public var truePositives: Int
    /// Predicted pairs (distinct, both records labelled).
    public var predictedPairs: Int
    /// Pairs of labelled records that share a label.
    public var truePairs: Int

    public init(truePositives: Int, predictedPairs: Int, truePairs: Int) {
        self.truePositives = truePositives; self.predictedPairs = predictedPairs; self.truePairs = truePairs
    }

    public var precision: Double { predictedPairs == 0 ? 1 : Double(truePositives) / Double(predictedPairs) }
    public var recall: Double { truePairs == 0 ? 1 : Double(truePositives) / Double(truePairs) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Quality of predicted record pairs (indices into `truth`, either orientation;
    /// duplicates and self-pairs are ignored). O(records + pairs).
    public static func pairwise<Label: Hashable>(predicted: [(Int, Int)], truth: [Label?]) -> ResolutionQuality {
        var seen = Set<Int64>()
        var predictedPairs = 0, tp = 0
        for (a, b) in predicted where a != b {
            guard let la = truth[a], let lb = truth[b] else { continue }
            let key = Int64(min(a, b)) << 32 | Int64(max(a, b))
            guard seen.insert(key).inserted else { continue }
            predictedPairs += 1
            if la == lb { tp += 1 }
        }
        return ResolutionQuality(truePositives: tp, predictedPairs: predictedPairs, truePairs: truePairCount(truth))
    }

    /// Quality of the pairs implied by a clustering: every two labelled records in the same
    /// cluster count as a predicted pair (so transitive closure is measured, not only the
    /// scored pairs). `cluster[i]` is record i's cluster id. O(records).
    public static func clusters<Cluster: Hashable, Label: Hashable>(_ cluster: [Cluster], truth: [Label?]) -> ResolutionQuality {
        var perCluster: [Cluster: Int] = [:]
        var perCell: [Pair<Cluster, Label>: Int] = [:]
        for (i, c) in cluster.enumerated() {
            guard let l = truth[i] else { continue }
            perCluster[c, default: 0] += 1
            perCell[Pair(a: c, b: l), default: 0] += 1
        }
        return ResolutionQuality(truePositives: perCell.values.map(choose2).reduce(0, +),
                                 predictedPairs: perCluster.values.map(choose2).reduce(0, +),
                                 truePairs: truePairCount(truth))
    }

    static func truePairCount<Label: Hashable>(_ truth: [Label?]) -> Int {
        var sizes: [Label: Int] = [:]
        for l in truth { if let l { sizes[l, default: 0] += 1 } }
        return sizes.values.map(choose2).reduce(0, +)
    }
}

private struct Pair<A: Hashable, B: Hashable>: Hashable { var a: A; var b: B }
private func choose2(_ k: Int) -> Int { k * (k - 1) / 2 }
