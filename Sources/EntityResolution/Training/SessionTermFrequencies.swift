import Foundation

extension Scorer {
    /// Per pair, the sum of the term-frequency adjustments of the comparisons not in `skip`,
    /// at the levels `levels[c][p]` already computed for the pairs: the TF part of the match
    /// weight that Splink's EM E-step adds (with u fixed during a session it does not change
    /// between iterations). The adjustment is `FellegiSunterModel.tfAdjustment` with this
    /// scorer's model. O(pairs · comparisons with TF).
    public func tfAdjustments(_ pairs: CandidatePairs, levels: [[UInt8]], excluding skip: Set<Int>) -> [Double] {
        var out = [Double](repeating: 0, count: pairs.count)
        for c in model.comparisons.indices where !skip.contains(c) {
            guard tfColumns[c] != nil else { continue }
            for p in 0..<pairs.count {
                let l = Int(levels[c][p])
                guard let tf = levelTF[c][l] else { continue }
                out[p] += model.tfAdjustment(c, l, tfL: tf.tf[Int(pairs.left[p])], tfR: tf.tf[Int(pairs.right[p])])
            }
        }
        return out
    }
}
