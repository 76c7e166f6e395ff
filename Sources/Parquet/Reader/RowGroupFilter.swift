import Columnar

/// Statistics of one column chunk, decoded to Columnar values.
public struct ColumnStatistics: Hashable, Sendable {
    /// Smallest non-null value, when the writer recorded one.
    public var min: Value?
    /// Largest non-null value, when the writer recorded one.
    public var max: Value?
    /// Number of null slots, when recorded.
    public var nullCount: Int64?
    /// Number of level entries (rows for flat columns).
    public var valueCount: Int64

    public init(min: Value?, max: Value?, nullCount: Int64?, valueCount: Int64) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
        self.valueCount = valueCount
    }

    /// Statistics of both chunks together: the smaller min, the larger max, summed counts.
    /// A side without min/max leaves the result's unknown (nil): it cannot be bounded.
    public func merged(with other: ColumnStatistics) -> ColumnStatistics {
        func pick(_ x: Value?, _ y: Value?, _ wantLess: Bool, _ xCount: Int64, _ yCount: Int64, _ xNulls: Int64?, _ yNulls: Int64?) -> Value? {
            // A chunk of only nulls has no min/max and does not widen the range.
            let xEmpty = xNulls == xCount, yEmpty = yNulls == yCount
            if xEmpty { return y }
            if yEmpty { return x }
            guard let x, let y, let c = compareValues(y, x) else { return nil }
            return (wantLess ? c < 0 : c > 0) ? y : x
        }
        let nulls: Int64? = nullCount.flatMap { a in other.nullCount.map { a + $0 } }
        return ColumnStatistics(
            min: pick(min, other.min, true, valueCount, other.valueCount, nullCount, other.nullCount),
            max: pick(max, other.max, false, valueCount, other.valueCount, nullCount, other.nullCount),
            nullCount: nulls, valueCount: valueCount + other.valueCount)
    }
}

/// The predicate row groups are skipped by (shared with Delta file skipping).
public typealias ParquetPredicate = ColumnComparison

extension ColumnComparison {
    /// False only when `stats` prove no non-null value satisfies the comparison. O(1).
    public func mayMatch(_ stats: ColumnStatistics) -> Bool {
        let allNull = stats.nullCount != nil && stats.nullCount == stats.valueCount
        return mayMatch(min: stats.min, max: stats.max, allNull: allNull)
    }
}
