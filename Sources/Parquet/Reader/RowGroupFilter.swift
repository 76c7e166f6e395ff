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

/// A comparison `column op value` used to skip row groups whose statistics prove that no row
/// can match. Row groups that may match are read whole: rows are not filtered.
public struct ParquetPredicate: Hashable, Sendable {
    public enum Op: String, Sendable, CaseIterable { case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=" }
    public var column: String
    public var op: Op
    public var value: Value

    public init(_ column: String, _ op: Op, _ value: Value) {
        self.column = column
        self.op = op
        self.value = value
    }

    /// False only when `stats` prove no non-null value satisfies the comparison. O(1).
    public func mayMatch(_ stats: ColumnStatistics) -> Bool {
        if value.isNull { return true }
        if stats.nullCount == stats.valueCount && stats.nullCount != nil { return false }
        guard let lo = stats.min, let hi = stats.max,
              let cLo = compareValues(value, lo), let cHi = compareValues(value, hi) else { return true }
        switch op {
        case .eq: return cLo >= 0 && cHi <= 0
        case .ne: return !(cLo == 0 && cHi == 0)
        case .lt: return compareValues(lo, value).map { $0 < 0 } ?? true
        case .le: return cLo >= 0
        case .gt: return compareValues(hi, value).map { $0 > 0 } ?? true
        case .ge: return cHi <= 0
        }
    }
}

/// Three-way comparison of two values of compatible kinds (numbers across int/double/decimal,
/// strings and binary by bytes, dates, timestamps, bools); nil when incomparable.
public func compareValues(_ a: Value, _ b: Value) -> Int? {
    func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
    switch (a, b) {
    case let (.int(x), .int(y)): return cmp(x, y)
    case let (.string(x), .string(y)):
        let ax = Array(x.utf8), ay = Array(y.utf8)
        return ax == ay ? 0 : (ax.lexicographicallyPrecedes(ay) ? -1 : 1)
    case let (.binary(x), .binary(y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
    case let (.bool(x), .bool(y)): return cmp(x ? 1 : 0, y ? 1 : 0)
    case let (.date(x), .date(y)): return cmp(x, y)
    case let (.timestamp(x), .timestamp(y)): return cmp(x, y)
    case let (.date(x), .timestamp(y)): return cmp(Int64(x) * 86_400_000_000, y)
    case let (.timestamp(x), .date(y)): return cmp(x, Int64(y) * 86_400_000_000)
    case let (.decimal(x, s), .decimal(y, t)) where s == t: return cmp(x, y)
    default:
        guard let x = a.doubleValue, let y = b.doubleValue, !x.isNaN, !y.isNaN else { return nil }
        return cmp(x, y)
    }
}
