/// Ready-made comparisons mirroring Splink's `comparison_library` level lists.
public enum ComparisonLibrary {
    static func make(_ c: String, _ middle: [ComparisonLevel], _ desc: String, tf: Bool) -> Comparison {
        var exact = ComparisonLevel(.exact, label: "Exact match on \(c)")
        if tf { exact.tfColumn = c }
        return Comparison(column: c, levels: [ComparisonLevel(.null, label: "\(c) is NULL"), exact] + middle
                          + [ComparisonLevel(.otherwise, label: "All other comparisons")], description: desc)
    }
    public static func exact(_ c: String, tf: Bool = false) -> Comparison { make(c, [], "ExactMatch", tf: tf) }
    public static func levenshtein(_ c: String, _ t: [Int] = [1, 2], tf: Bool = false) -> Comparison {
        make(c, t.map { ComparisonLevel(.levenshtein($0), label: "Levenshtein distance of \(c) <= \($0)") }, "LevenshteinAtThresholds", tf: tf)
    }
    public static func damerauLevenshtein(_ c: String, _ t: [Int] = [1, 2], tf: Bool = false) -> Comparison {
        make(c, t.map { ComparisonLevel(.damerauLevenshtein($0), label: "Damerau-Levenshtein distance of \(c) <= \($0)") }, "DamerauLevenshteinAtThresholds", tf: tf)
    }
    public static func jaroWinkler(_ c: String, _ t: [Double] = [0.9, 0.7], tf: Bool = false) -> Comparison {
        make(c, t.map { ComparisonLevel(.jaroWinkler($0), label: "Jaro-Winkler distance of \(c) >= \($0)") }, "JaroWinklerAtThresholds", tf: tf)
    }
    public static func jaro(_ c: String, _ t: [Double] = [0.9, 0.7], tf: Bool = false) -> Comparison {
        make(c, t.map { ComparisonLevel(.jaro($0), label: "Jaro distance of \(c) >= \($0)") }, "JaroAtThresholds", tf: tf)
    }
    public static func jaccard(_ c: String, _ t: [Double] = [0.9, 0.7], q: Int = 1, tf: Bool = false) -> Comparison {
        make(c, t.map { ComparisonLevel(.jaccard($0, q: q), label: "Jaccard distance of \(c) >= \($0)") }, "JaccardAtThresholds", tf: tf)
    }
    public static func absoluteDifference(_ c: String, _ t: [Double]) -> Comparison {
        make(c, t.map { ComparisonLevel(.absoluteDifference($0), label: "Absolute difference of '\(c)' <= \($0)") }, "AbsoluteDifferenceAtThresholds", tf: false)
    }
    /// Splink's PercentageDifferenceAtThresholds-style levels: percentage difference < t for
    /// each threshold (see `percentageDifference`), no exact level.
    public static func percentageDifference(_ c: String, _ t: [Double]) -> Comparison {
        Comparison(column: c, levels: [ComparisonLevel(.null, label: "\(c) is NULL")]
                   + t.map { ComparisonLevel(.percentageDifference($0), label: "Percentage difference of '\(c)' within \($0 * 100)%") }
                   + [ComparisonLevel(.otherwise, label: "All other comparisons")], description: "PercentageDifferenceAtThresholds")
    }
    /// Splink's NameComparison: exact, JW ≥ 0.92, 0.88, 0.70.
    public static func name(_ c: String, tf: Bool = true) -> Comparison { jaroWinkler(c, [0.92, 0.88, 0.7], tf: tf) }
    /// Email: exact, then Jaro-Winkler ≥ 0.88 on the whole address (simplified: Splink also
    /// matches the username part).
    public static func email(_ c: String, tf: Bool = false) -> Comparison { jaroWinkler(c, [0.88], tf: tf) }
    /// Date of birth (as text YYYY-MM-DD): exact, Damerau-Levenshtein ≤ 1, then within 1 month,
    /// 1 year, 10 years.
    public static func dateOfBirth(_ c: String) -> Comparison {
        make(c, [ComparisonLevel(.damerauLevenshtein(1), label: "DamerauLevenshtein distance <= 1")]
             + [(1.0, TimeUnit.month), (1, .year), (10, .year)].map { ComparisonLevel(.timeDifference($0.0 * $0.1.seconds), label: "Abs date difference <= \(Int($0.0)) \($0.1.rawValue)") },
             "DateOfBirthComparison", tf: false)
    }
}
