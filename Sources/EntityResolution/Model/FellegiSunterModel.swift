import Columnar
import Foundation

/// The Fellegi-Sunter model as Splink computes it: prior λ, comparisons with m/u per level.
///
/// `match_weight = log2(λ/(1−λ)) + Σ log2(m/u) + Σ TF adjustments`, with m and u clamped at
/// 1e-300, and `match_probability = 2^w/(1+2^w)` computed without overflow.
public struct FellegiSunterModel: Equatable, Sendable {
    public var linkType: LinkType
    public var uniqueIdColumn: String
    public var lambda: Double
    public var comparisons: [Comparison]
    public var blockingRules: [String]
    /// Explicit input column types (settings key `column_types`, e.g. `{"postcode": "string"}`),
    /// applied to every input before their inferred types are unified (`ResolutionInputs`).
    /// Empty by default: inferred types are used.
    public var columnTypes: [String: DataType]

    public init(linkType: LinkType = .dedupeOnly, uniqueIdColumn: String = "unique_id", lambda: Double = 0.0001,
                comparisons: [Comparison], blockingRules: [String] = [], columnTypes: [String: DataType] = [:]) {
        self.linkType = linkType; self.uniqueIdColumn = uniqueIdColumn; self.lambda = lambda
        self.comparisons = comparisons; self.blockingRules = blockingRules; self.columnTypes = columnTypes
    }

    /// The prior's weight log2(λ/(1−λ)).
    public var priorWeight: Double { log2(lambda / (1 - lambda)) }

    /// The weight of level `l` of comparison `c` (0 on the null level).
    public func weight(_ c: Int, _ l: Int) -> Double {
        let cmp = comparisons[c]
        if cmp.levels[l].isNull { return 0 }
        return levelWeight(m: cmp.effectiveM(l), u: cmp.effectiveU(l))
    }

    /// Splink's TF adjustment for a level: `w·(log2(u_exact) − log2(max(tf_l, tf_r, tf_min)))`,
    /// 0 when both term frequencies are null, on null/else levels and levels without TF.
    public func tfAdjustment(_ c: Int, _ l: Int, tfL: Double?, tfR: Double?) -> Double {
        let cmp = comparisons[c], lev = cmp.levels[l]
        guard lev.tfColumn != nil, lev.tfWeight != 0, !lev.isNull, !lev.isElse else { return 0 }
        guard let a = tfL ?? tfR, let b = tfR ?? tfL else { return 0 }
        return lev.tfWeight * (log2(cmp.exactU(for: l)) - log2(max(a, b, lev.tfMinimumU)))
    }
}

/// Splink's `link_type`.
public enum LinkType: String, Sendable, Codable {
    case dedupeOnly = "dedupe_only", linkOnly = "link_only", linkAndDedupe = "link_and_dedupe"
}

/// `2^w / (1 + 2^w)`, stable for large |w|.
@inlinable public func matchProbability(_ w: Double) -> Double {
    w >= 0 ? 1 / (1 + exp2(-w)) : exp2(w) / (1 + exp2(w))
}
