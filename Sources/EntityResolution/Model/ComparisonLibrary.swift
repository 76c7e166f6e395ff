/// Ready-made comparisons mirroring Splink's `comparison_library` level lists.
public enum ComparisonLibrary {
    static func make(_ c: String, _ middle: [ComparisonLevel], _ desc: String, tf: Bool) -> Comparison {
        var exact = ComparisonLevel(.exact, label: "Exact match on \(c)")
        exact.exactColumn = c
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
    /// A level tested by its SQL (see `CustomLevels`); `isNull` marks Splink's null level.
    static func sql(_ sql: String, label: String, isNull: Bool = false) -> ComparisonLevel {
        var level = ComparisonLevel(.custom, label: label)
        level.sqlCondition = sql
        level.isNullLevel = isNull
        return level
    }

    /// Splink 5's EmailComparison, level for level and with its SQL: exact (TF when `tf`),
    /// exact username (the part before '@'), Jaro-Winkler ≥ 0.88 on the address, then on the
    /// username.
    public static func email(_ c: String, tf: Bool = false) -> Comparison {
        let user = { (side: String) in "NULLIF(regexp_extract(\"\(c)_\(side)\", '^[^@]+', 0), '')" }
        return make(c, [sql("\(user("l")) = \(user("r"))", label: "Exact match on username"),
                        ComparisonLevel(.jaroWinkler(0.88), label: "Jaro-Winkler distance of \(c) >= 0.88"),
                        sql("jaro_winkler_similarity(\(user("l")), \(user("r"))) >= 0.88", label: "Jaro-Winkler >0.88 on username")],
                    "EmailComparison", tf: tf)
    }

    /// Splink 5's DateOfBirthComparison on text dates (`input_is_string`, its default):
    /// null when either side is not a `%Y-%m-%d` date, exact, Levenshtein ≤ 1 on the text,
    /// then within 1 month, 1 year and 10 years (Splink's 2629800, 31557600 and 315576000
    /// seconds). A column read as dates needs `column_types` `{"dob": "string"}`.
    public static func dateOfBirth(_ c: String) -> Comparison {
        let parsed = { (side: String) in "try_strptime(\"\(c)_\(side)\", '%Y-%m-%d')" }
        var comparison = make(c, [ComparisonLevel(.levenshtein(1), label: "Levenshtein distance of \(c) <= 1")]
                              + [(2629800.0, "1 month"), (31557600.0, "1 year"), (315576000.0, "10 years")].map { seconds, span in
                                  sql("ABS(EPOCH(\(parsed("l"))) - EPOCH(\(parsed("r")))) <= \(seconds)", label: "Abs date difference <= \(span)")
                              }, "DateOfBirthComparison", tf: false)
        comparison.levels[0] = sql("\(parsed("l")) IS NULL OR \(parsed("r")) IS NULL", label: "transformed \(c) is NULL", isNull: true)
        return comparison
    }

    /// Splink 5's PostcodeComparison (UK postcodes, without coordinates): exact, then the same
    /// sector, district and area, each taken with `regexp_extract` as Splink does.
    public static func postcode(_ c: String, tf: Bool = false) -> Comparison {
        let parts = [("sector", "^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? [0-9]"), ("district", "^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?"),
                     ("area", "^[A-Za-z]{1,2}")]
        return make(c, parts.map { name, pattern in
            let part = { (side: String) in "NULLIF(regexp_extract(\"\(c)_\(side)\", '\(pattern)', 0), '')" }
            return sql("\(part("l")) = \(part("r"))", label: "Postcode \(name) matches")
        }, "PostcodeComparison", tf: tf)
    }
}
