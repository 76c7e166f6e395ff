import Columnar

/// λ from deterministic rules, as Splink's `estimate_probability_two_random_records_match`:
/// pairs the rules produce (OR-ed, no duplicates) / recall / all possible pairs.
public func estimateLambda(pairCount: Int, recall: Double, recordCount n: Int, rightCount: Int? = nil, linkType: LinkType) -> Double {
    let total: Double
    switch linkType {
    case .dedupeOnly, .linkAndDedupe: total = Double(n) * Double(n - 1) / 2
    case .linkOnly: let r = Double(rightCount ?? 0); total = (Double(n) - r) * r
    }
    return min(1, Double(pairCount) / recall / max(total, 1))
}
