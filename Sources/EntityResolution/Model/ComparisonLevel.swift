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

    public init(_ condition: LevelCondition, label: String = "", m: Double? = nil, u: Double? = nil, tfColumn: String? = nil) {
        self.condition = condition; self.label = label; self.m = m; self.u = u; self.tfColumn = tfColumn
    }

    public var isNull: Bool { condition == .null }
    public var isElse: Bool { condition == .otherwise }
}

/// Splink's "log2(m/u) with both clamped at 1e-300".
@inlinable public func levelWeight(m: Double, u: Double) -> Double {
    log2(max(m, 1e-300) / max(u, 1e-300))
}

import Foundation
