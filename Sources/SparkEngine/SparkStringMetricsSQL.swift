// The entity-resolution string metrics as Spark SQL expressions (higher-order functions).

/// Spark SQL expressions that compute the string metrics of `EntityResolution` with the same
/// results: Jaro, Jaro-Winkler, Levenshtein, optimal-string-alignment (Damerau-Levenshtein)
/// and q-gram Jaccard.
///
/// The local engine compares the UTF-8 bytes of a text, as DuckDB (and so Splink) does:
/// `levenshtein('héllo', 'hello')` is 2. Spark's string functions count characters, so a
/// text is first turned into its bytes: `bytes(_:)` gives an `array<string>` of two-digit
/// hex tokens (one per UTF-8 byte), on which the array metrics below work, and
/// `latin1(_:)` a string with one character per byte (the bytes read as ISO-8859-1), on
/// which Spark's builtin `levenshtein` is the byte-level distance.
///
/// Each expression follows the local algorithm step for step (the same greedy Jaro
/// matching in the same order, the same dynamic programme) and does its floating-point
/// arithmetic in the same order, so the doubles are bit-identical to the local ones and a
/// threshold test decides the same way. Array indices always stay in bounds (Spark's ANSI
/// mode fails on an out-of-bounds subscript); a `CASE` guards each one that could not.
/// - Complexity: Jaro O(|a|·|b|) per pair (each scalar of `a` scans `b`), the DP metrics
///   O(|a|·|b|²) (a row is rebuilt by appending); Spark evaluates lambdas without code
///   generation, so these are the slow part of a Spark resolution.
public enum SparkStringMetricsSQL {
    /// The UTF-8 bytes of the string expression `s` as two-digit hex tokens (empty for '').
    public static func bytes(_ s: String) -> String {
        "regexp_extract_all(hex(encode(\(s), 'UTF-8')), '([0-9A-F]{2})', 1)"
    }

    /// The string expression `s` with one character per UTF-8 byte (bytes read as Latin-1).
    public static func latin1(_ s: String) -> String {
        "decode(encode(\(s), 'UTF-8'), 'ISO-8859-1')"
    }

    /// Levenshtein distance (INT) of two `latin1` strings: Spark's builtin on single-byte
    /// characters is the byte-level distance.
    public static func levenshtein(_ a: String, _ b: String) -> String {
        "levenshtein(\(a), \(b))"
    }

    /// Jaro similarity (DOUBLE) of two byte-token arrays, as `jaroSimilarity`: two empty
    /// texts score 1, one empty text 0; each byte of `a` in order takes the first unmatched
    /// equal byte of `b` within the window `max(|a|,|b|)/2 − 1`; t is half the matched
    /// bytes out of order; the score is `(m/|a| + m/|b| + (m − t)/m) / 3`.
    public static func jaro(_ a: String, _ b: String) -> String {
        let la = "size(\(a))", lb = "size(\(b))"
        let window = "greatest(0, greatest(\(la), \(lb)) div 2 - 1)"
        // acc.bm: which bytes of b are matched; acc.am: the matched positions of a, in order.
        let start = "named_struct('bm', array_repeat(false, \(lb)), 'am', CAST(array() AS ARRAY<INT>))"
        let candidate = """
            array_min(filter(sequence(0, \(lb) - 1), j -> j >= i - \(window) AND j <= i + \(window) \
            AND NOT acc.bm[j] AND \(b)[j] = \(a)[i]))
            """
        let step = """
            (acc, i) -> aggregate(array(coalesce(\(candidate), -1)), acc, (s, j) -> CASE WHEN j < 0 THEN s \
            ELSE named_struct('bm', transform(s.bm, (x, k) -> x OR k = j), 'am', concat(s.am, array(i))) END)
            """
        let m = "size(acc.am)"
        let outOfOrder = """
            size(filter(zip_with(transform(acc.am, i -> \(a)[i]), \
            transform(filter(sequence(0, \(lb) - 1), j -> acc.bm[j]), j -> \(b)[j]), (x, y) -> x <> y), t -> t))
            """
        let finish = """
            acc -> CASE WHEN \(m) = 0 THEN CAST(0 AS DOUBLE) ELSE (CAST(\(m) AS DOUBLE) / CAST(\(la) AS DOUBLE) \
            + CAST(\(m) AS DOUBLE) / CAST(\(lb) AS DOUBLE) \
            + CAST(\(m) - (\(outOfOrder) div 2) AS DOUBLE) / CAST(\(m) AS DOUBLE)) / CAST(3 AS DOUBLE) END
            """
        return """
            CASE WHEN \(la) = 0 AND \(lb) = 0 THEN CAST(1 AS DOUBLE) WHEN \(la) = 0 OR \(lb) = 0 THEN CAST(0 AS DOUBLE) \
            ELSE aggregate(sequence(0, \(la) - 1), \(start), \(step), \(finish)) END
            """
    }

    /// The common prefix length (INT, at most 4) of two byte-token arrays.
    public static func prefixLength(_ a: String, _ b: String) -> String {
        let stop = "transform(sequence(0, 3), k -> CASE WHEN k >= least(size(\(a)), size(\(b))) THEN true ELSE \(a)[k] <> \(b)[k] END)"
        return "(CASE WHEN array_position(\(stop), true) = 0 THEN 4 ELSE CAST(array_position(\(stop), true) AS INT) - 1 END)"
    }

    /// Jaro-Winkler (DOUBLE) from a Jaro value `j` and a prefix length `l` (see `winklerBoost`):
    /// `j + l·0.1·(1 − j)` when `j` exceeds 0.7, else `j`.
    public static func winkler(jaro j: String, prefix l: String) -> String {
        "CASE WHEN \(j) <= CAST(0.7 AS DOUBLE) THEN \(j) ELSE \(j) + CAST(\(l) AS DOUBLE) * CAST(0.1 AS DOUBLE) * (CAST(1 AS DOUBLE) - \(j)) END"
    }

    /// Optimal-string-alignment distance (INT) of two byte-token arrays, as
    /// `damerauLevenshteinDistance`: rows of the dynamic programme built left to right, a
    /// transposition of adjacent bytes at cost 1.
    public static func damerauLevenshtein(_ a: String, _ b: String) -> String {
        let la = "size(\(a))", lb = "size(\(b))"
        let cell = """
            least(acc.p[j] + 1, cur[j - 1] + 1, acc.p[j - 1] + CASE WHEN \(a)[i - 1] = \(b)[j - 1] THEN 0 ELSE 1 END, \
            CASE WHEN i > 1 AND j > 1 THEN CASE WHEN \(a)[i - 1] = \(b)[j - 2] AND \(a)[i - 2] = \(b)[j - 1] \
            THEN acc.p2[j - 2] + 1 ELSE 2147483647 END ELSE 2147483647 END)
            """
        let row = "aggregate(sequence(1, \(lb)), array(i), (cur, j) -> concat(cur, array(\(cell))))"
        let rows = """
            aggregate(sequence(1, \(la)), named_struct('p2', array_repeat(0, \(lb) + 1), 'p', sequence(0, \(lb))), \
            (acc, i) -> named_struct('p2', acc.p, 'p', \(row)), acc -> acc.p[\(lb)])
            """
        return "(CASE WHEN \(la) = 0 THEN \(lb) WHEN \(lb) = 0 THEN \(la) ELSE \(rows) END)"
    }

    /// Jaccard similarity (DOUBLE) of the q-gram sets of two byte-token arrays, as
    /// `jaccardSimilarity`: a text of at most q bytes is one gram, two empty sets score 1.
    public static func jaccard(_ a: String, _ b: String, q: Int) -> String {
        func grams(_ x: String) -> String {
            """
            (CASE WHEN size(\(x)) = 0 THEN CAST(array() AS ARRAY<STRING>) WHEN size(\(x)) <= \(q) THEN array(concat_ws('', \(x))) \
            ELSE array_distinct(transform(sequence(0, size(\(x)) - \(q)), k -> concat_ws('', slice(\(x), k + 1, \(q))))) END)
            """
        }
        let ga = grams(a), gb = grams(b)
        let inter = "size(array_intersect(\(ga), \(gb)))"
        return """
            (CASE WHEN size(\(a)) = 0 AND size(\(b)) = 0 THEN CAST(1 AS DOUBLE) \
            ELSE CAST(\(inter) AS DOUBLE) / CAST(size(\(ga)) + size(\(gb)) - \(inter) AS DOUBLE) END)
            """
    }
}
