/// Range checks for 128-bit decimals: a decimal of precision p holds unscaled values of
/// magnitude below 10^p (Spark's and Arrow's decimal128 rule).
public enum Decimal128Bounds {
    /// 10^p for p in 0...38. - Complexity: O(p).
    public static func limit(_ precision: Int) -> UInt128 {
        var r: UInt128 = 1
        for _ in 0..<max(0, min(precision, 38)) { r *= 10 }
        return r
    }

    /// True when `v` fits `decimal(precision, _)`. O(precision).
    public static func fits(_ v: Int128, precision: Int) -> Bool { v.magnitude < limit(precision) }
}
