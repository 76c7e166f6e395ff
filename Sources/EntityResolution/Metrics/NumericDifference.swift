/// |a − b|, as Splink's `AbsoluteDifferenceLevel` (`ABS(x_l - x_r) <= t`).
@inlinable public func absoluteDifference(_ a: Double, _ b: Double) -> Double { abs(a - b) }

/// Percentage difference as Splink 5's `PercentageDifferenceLevel` writes it:
/// `ABS(a − b) / (CASE WHEN b > a THEN b ELSE a END)`, i.e. divided by the larger value (not
/// by the larger magnitude). Where that divisor is 0 DuckDB yields NULL and the level does
/// not hold; NaN is returned so that every `< t` test fails likewise.
@inlinable public func percentageDifference(_ a: Double, _ b: Double) -> Double {
    let d = max(a, b)
    return d == 0 ? .nan : abs(a - b) / d
}
