/// A comparison `column op value`: the predicate that skips data by statistics (Parquet row
/// groups by their column-chunk min/max, Delta files by `add.stats` and partition values)
/// and, where rows must be filtered exactly, tests one value.
///
/// SQL semantics: a null on either side never matches. Storage layers extract these from a
/// `RowFilter` (the expression language), so skipping and exact filtering agree.
public struct ColumnComparison: Hashable, Sendable {
    public enum Op: String, Hashable, Sendable, CaseIterable { case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=" }
    public var column: String
    public var op: Op
    public var value: Value

    public init(_ column: String, _ op: Op, _ value: Value) {
        self.column = column
        self.op = op
        self.value = value
    }

    /// Whether the non-null value `v` satisfies the comparison (false for nulls). O(1).
    public func matches(_ v: Value) -> Bool {
        guard !v.isNull, !value.isNull, let c = compareValues(v, value) else { return false }
        switch op {
        case .eq: return c == 0
        case .ne: return c != 0
        case .lt: return c < 0
        case .le: return c <= 0
        case .gt: return c > 0
        case .ge: return c >= 0
        }
    }

    /// False only when the bounds prove that no row of a file or row group can match: `min`
    /// and `max` of its non-null values (nil when unknown), `allNull` when every value is
    /// null. Timestamp maxima are widened by 1 ms because Spark truncates them to
    /// milliseconds in Delta stats. O(1).
    public func mayMatch(min lo: Value?, max hi: Value?, allNull: Bool) -> Bool {
        if value.isNull { return true }
        if allNull { return false }
        guard let lo, let hi, let cLo = compareValues(value, lo), var cHi = compareValues(value, hi) else { return true }
        if case let .timestamp(h) = hi, case let .timestamp(x) = value, x > h, x < h + 1000 { cHi = -1 }
        switch op {
        case .eq: return cLo >= 0 && cHi <= 0
        case .ne: return !(cLo == 0 && cHi == 0)
        case .lt: return cLo > 0
        case .le: return cLo >= 0
        case .gt: return cHi < 0
        case .ge: return cHi <= 0
        }
    }
}

/// `v * 10^k`, or nil on overflow.
private func scaledUp(_ v: Int128, by k: Int) -> Int128? {
    var r = v
    for _ in 0..<k {
        let (m, o) = r.multipliedReportingOverflow(by: 10)
        if o { return nil }
        r = m
    }
    return r
}

/// Three-way comparison of two values of compatible kinds (numbers across int/double/decimal,
/// strings and binary by bytes, dates, timestamps, bools); nil when incomparable.
public func compareValues(_ a: Value, _ b: Value) -> Int? {
    func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
    switch (a, b) {
    case let (.int(x), .int(y)): return cmp(x, y)
    case let (.string(x), .string(y)):
        return x == y ? 0 : (x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1)
    case let (.binary(x), .binary(y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
    case let (.bool(x), .bool(y)): return cmp(x ? 1 : 0, y ? 1 : 0)
    case let (.date(x), .date(y)): return cmp(x, y)
    case let (.timestamp(x), .timestamp(y)): return cmp(x, y)
    case let (.date(x), .timestamp(y)): return cmp(Int64(x) * 86_400_000_000, y)
    case let (.timestamp(x), .date(y)): return cmp(x, Int64(y) * 86_400_000_000)
    case let (.decimal(x, s), .decimal(y, t)) where s == t: return cmp(x, y)
    case (.decimal, .decimal128), (.decimal128, .decimal), (.decimal128, .decimal128),
         (.int, .decimal), (.int, .decimal128), (.decimal, .int), (.decimal128, .int), (.decimal, .decimal):
        // Exact: both sides as 128-bit unscaled values at the larger scale.
        let (x, s) = a.decimalParts ?? (Int128(a.intValue!), 0), (y, t) = b.decimalParts ?? (Int128(b.intValue!), 0)
        if let sx = scaledUp(x, by: max(s, t) - s), let sy = scaledUp(y, by: max(s, t) - t) { return cmp(sx, sy) }
        guard let dx = a.doubleValue, let dy = b.doubleValue else { return nil }
        return cmp(dx, dy)
    default:
        guard let x = a.doubleValue, let y = b.doubleValue, !x.isNaN, !y.isNaN else { return nil }
        return cmp(x, y)
    }
}
