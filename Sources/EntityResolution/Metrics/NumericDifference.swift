/// |a − b|, as Splink's `AbsoluteDifferenceLevel` (`ABS(x_l - x_r) <= t`).
@inlinable public func absoluteDifference(_ a: Double, _ b: Double) -> Double { abs(a - b) }

/// Percentage difference `|a − b| / max(|a|, |b|)`, as Splink's `PercentageDifferenceLevel`;
/// 0 when both are 0.
@inlinable public func percentageDifference(_ a: Double, _ b: Double) -> Double {
    let d = max(abs(a), abs(b))
    return d == 0 ? 0 : abs(a - b) / d
}
