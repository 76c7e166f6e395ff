/// One level of a comparison: its condition, m = P(level | match), u = P(level | non-match),
/// and an optional term-frequency adjustment (Splink's `tf_adjustment_column`).
public struct ComparisonLevel: Equatable, Sendable {
    public var condition: LevelCondition
    public var label: String
    /// nil = not trained; scoring then uses Splink's default for the level position.
    public var m: Double?
    public var u: Double?
    public var tfColumn: String?
    public var tfWeight: Double = 1
    public var tfMinimumU: Double = 0
    public var fixM = false
    public var fixU = false
    /// The level's SQL as given, for `.custom` levels (nil for the recognised kinds, whose SQL
    /// is `condition.sql(column)`).
    public var sqlCondition: String?
    /// Splink's `is_null_level` on a level whose condition is not the plain null test (for
    /// example `try_strptime(dob_l, ...) IS NULL OR ...`): weight 0, gamma −1.
    public var isNullLevel = false
    /// The column this level is an exact match on (`x_l = x_r`), when it is one: Splink takes
    /// the u of such a level on the TF column as the base of a TF adjustment.
    public var exactColumn: String?
    /// Splink's `disable_tf_exact_match_detection`: the TF adjustment's base is this level's
    /// own u instead of the exact-match level's.
    public var tfUsesOwnU = false

    public init(_ condition: LevelCondition, label: String = "", m: Double? = nil, u: Double? = nil, tfColumn: String? = nil) {
        self.condition = condition; self.label = label; self.m = m; self.u = u; self.tfColumn = tfColumn
    }

    public var isNull: Bool { condition == .null || isNullLevel }
    public var isElse: Bool { condition == .otherwise }
}

/// Splink's "log2(m/u) with both clamped at 1e-300".
@inlinable public func levelWeight(m: Double, u: Double) -> Double {
    log2(max(m, 1e-300) / max(u, 1e-300))
}

import Foundation
