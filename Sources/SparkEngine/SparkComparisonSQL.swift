// A trained Fellegi-Sunter model's comparisons, levels and weights as Spark SQL.
import Columnar
import EntityResolution
import Foundation

/// The scoring half of a Spark resolution: for each comparison of a trained model, the
/// columns a pair needs, the metric columns, the level as a `CASE` (Splink's CASE WHEN:
/// the first level whose condition holds), and the match weight and probability.
///
/// The SQL reads a pair as one row with the records' columns under fixed names (see
/// `pairColumns`): `__v{c}_l` / `__v{c}_r` the compared values, `__n…` their numbers (epoch
/// seconds for dates and timestamps, as `PreparedColumn`), `__b…` their UTF-8 bytes and
/// `__t…` their bytes as Latin-1 text (see `SparkStringMetricsSQL`), `__tf{k}_l/_r` the
/// term frequencies of the k-th TF column. Level conditions follow `PreparedColumn.holds`:
/// text compares by bytes, a null text is the empty text, numbers compare as doubles, a
/// numeric level on a text column never holds.
///
/// Weights are the local model's `weight(c, l)` written as double literals (exact), and a TF
/// adjustment is `w·(log2(u_exact) − log2(max(tf_l, tf_r, tf_min)))` with `log2(u_exact)` a
/// literal; the match weight is summed in comparison order (prior, then each comparison's
/// level weight and TF adjustment), as `Scorer.score` sums it. Spark's `log2` and `pow`
/// may differ from the C library's in the last bit, so weights agree to about 1e-15.
///
/// Refused, naming the comparison: levels written as custom SQL (`.custom`), string
/// metrics on a column that is neither text, an integer nor a date (the local engine reads
/// such values through its own text formatting), and column types other than text,
/// integers, floating point, dates and timestamps.
/// - Complexity: O(comparisons · levels) to build; the SQL is evaluated per pair.
public struct SparkComparisonSQL {
    public let model: FellegiSunterModel
    /// Type of each comparison's column (nil for a comparison that reads no column).
    let types: [DataType?]
    /// The TF columns in first-use order; `__tf{k}` is `tfColumns[k]`.
    public let tfColumns: [String]

    /// Checks every comparison of `model` against `schema`; throws naming the comparison
    /// when one cannot run on Spark.
    public init(model: FellegiSunterModel, schema: Schema) throws {
        self.model = model
        var types: [DataType?] = []
        var tf: [String] = []
        for cmp in model.comparisons {
            if let custom = cmp.levels.first(where: { $0.condition == .custom }) {
                throw SparkEngineError("comparison '\(cmp.column)': the level '\(custom.label)' is custom SQL (\(custom.sqlCondition ?? "")), which the Spark engine does not translate; use --engine local")
            }
            guard cmp.readsColumn else { types.append(nil); continue }
            guard let field = schema.fields.first(where: { $0.name == cmp.column }) else {
                throw SparkEngineError("comparison '\(cmp.column)': no such column (columns: \(schema.names.joined(separator: ", ")))")
            }
            switch field.type {
            case .string, .int32, .int64, .float, .double, .date, .timestamp: break
            default: throw SparkEngineError("comparison '\(cmp.column)': a \(field.type) column cannot be compared on Spark; use --engine local")
            }
            if Self.usesText(cmp), ![.string, .int32, .int64, .date].contains(field.type) {
                throw SparkEngineError("comparison '\(cmp.column)': a string metric on a \(field.type) column compares the local engine's text of the number, which Spark formats differently; use --engine local or a text column")
            }
            types.append(field.type)
            for level in cmp.levels {
                if let t = level.tfColumn, !tf.contains(t) {
                    guard schema.fields.contains(where: { $0.name == t }) else {
                        throw SparkEngineError("comparison '\(cmp.column)': term-frequency column '\(t)' is not a column")
                    }
                    tf.append(t)
                }
            }
        }
        self.types = types
        tfColumns = tf
    }

    static func usesText(_ cmp: Comparison) -> Bool {
        cmp.levels.contains { level in
            switch level.condition {
            case .levenshtein, .damerauLevenshtein, .jaro, .jaroWinkler, .jaccard: return true
            default: return false
            }
        }
    }

    static func isNumeric(_ t: DataType?) -> Bool { [.int32, .int64, .float, .double, .date, .timestamp].contains(t) }

    /// A double literal that Spark parses to exactly `d` (shortest round-trip text).
    public static func double(_ d: Double) -> String {
        if d.isNaN { return "CAST('NaN' AS DOUBLE)" }
        if d.isInfinite { return d > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)" }
        return "CAST('\(d)' AS DOUBLE)"
    }

    func needs(_ c: Int, _ test: (LevelCondition) -> Bool) -> Bool { model.comparisons[c].levels.contains { test($0.condition) } }
    func usesJaro(_ c: Int) -> Bool { needs(c) { if case .jaro = $0 { return true }; if case .jaroWinkler = $0 { return true }; return false } }
    func usesJaroWinkler(_ c: Int) -> Bool { needs(c) { if case .jaroWinkler = $0 { return true }; return false } }
    func usesLevenshtein(_ c: Int) -> Bool { needs(c) { if case .levenshtein = $0 { return true }; return false } }
    func usesDamerau(_ c: Int) -> Bool { needs(c) { if case .damerauLevenshtein = $0 { return true }; return false } }
    func jaccardQs(_ c: Int) -> [Int] {
        var qs: [Int] = []
        for l in model.comparisons[c].levels { if case let .jaccard(_, q) = l.condition, !qs.contains(q) { qs.append(q) } }
        return qs
    }

    /// The first layer's columns for a pair of records aliased `l` and `r` (each with the
    /// records view's `__tf{k}` columns): `expression AS name`.
    public func pairColumns() -> [String] {
        var out: [String] = []
        let q = SparkWorkspace.quoted
        for (c, cmp) in model.comparisons.enumerated() {
            guard let type = types[c] else { continue }
            for side in ["l", "r"] {
                let v = "\(side).\(q(cmp.column))"
                out.append("\(v) AS __v\(c)_\(side)")
                if Self.isNumeric(type) {
                    let number: String
                    switch type {
                    case .date: number = "CAST(unix_date(\(v)) AS DOUBLE) * CAST(86400 AS DOUBLE)"
                    case .timestamp: number = "CAST(unix_micros(\(v)) AS DOUBLE) / CAST(1000000 AS DOUBLE)"
                    default: number = "CAST(\(v) AS DOUBLE)"
                    }
                    out.append("coalesce(\(number), CAST(0 AS DOUBLE)) AS __n\(c)_\(side)")
                }
                let text = "coalesce(CAST(\(v) AS STRING), '')"
                if usesJaro(c) || usesDamerau(c) || !jaccardQs(c).isEmpty {
                    out.append("\(SparkStringMetricsSQL.bytes(text)) AS __b\(c)_\(side)")
                }
                if usesLevenshtein(c) { out.append("\(SparkStringMetricsSQL.latin1(text)) AS __t\(c)_\(side)") }
            }
        }
        for k in tfColumns.indices { for side in ["l", "r"] { out.append("\(side).__tf\(k) AS __tf\(k)_\(side)") } }
        return out
    }

    /// The condition of a level that needs no metric (null, exact, numeric, else); nil for
    /// the metric levels.
    func plainCondition(_ c: Int, _ condition: LevelCondition) -> String? {
        let numeric = Self.isNumeric(types[c])
        let nl = "__n\(c)_l", nr = "__n\(c)_r"
        switch condition {
        case .null: return types[c] == nil ? "false" : "(__v\(c)_l IS NULL OR __v\(c)_r IS NULL)"
        case .otherwise: return "true"
        case .exact:
            guard types[c] != nil else { return "true" }
            return numeric ? "(\(nl) = \(nr))" : "(coalesce(__v\(c)_l, '') = coalesce(__v\(c)_r, ''))"
        case let .absoluteDifference(t), let .timeDifference(t):
            return numeric ? "(abs(\(nl) - \(nr)) <= \(Self.double(t)))" : "false"
        case let .percentageDifference(t):
            return numeric ? "(CASE WHEN greatest(\(nl), \(nr)) = CAST(0 AS DOUBLE) THEN false ELSE abs(\(nl) - \(nr)) / greatest(\(nl), \(nr)) < \(Self.double(t)) END)" : "false"
        default: return nil
        }
    }

    /// Whether one of the null/exact levels before `first` holds (then no later level's
    /// metric is needed): the guard that spares computing a metric for such pairs.
    func earlierPlain(_ c: Int, before first: Int) -> String {
        let conditions = model.comparisons[c].levels[..<first].compactMap { level -> String? in
            switch level.condition {
            case .null, .exact: return plainCondition(c, level.condition)
            default: return nil
            }
        }
        return conditions.isEmpty ? "false" : conditions.joined(separator: " OR ")
    }

    /// The second layer's metric columns, each NULL where an earlier null/exact level holds.
    public func metricColumns() -> [String] {
        var out: [String] = []
        for (c, cmp) in model.comparisons.enumerated() where types[c] != nil {
            func guarded(_ first: (LevelCondition) -> Bool, _ expression: String, _ name: String) {
                let k = cmp.levels.firstIndex { first($0.condition) } ?? 0
                out.append("CASE WHEN \(earlierPlain(c, before: k)) THEN NULL ELSE \(expression) END AS \(name)")
            }
            let a = "__b\(c)_l", b = "__b\(c)_r"
            if usesJaro(c) {
                guarded({ if case .jaro = $0 { return true }; if case .jaroWinkler = $0 { return true }; return false },
                        SparkStringMetricsSQL.jaro(a, b), "__jaro\(c)")
            }
            if usesJaroWinkler(c) {
                guarded({ if case .jaroWinkler = $0 { return true }; return false }, SparkStringMetricsSQL.prefixLength(a, b), "__pre\(c)")
            }
            if usesLevenshtein(c) {
                guarded({ if case .levenshtein = $0 { return true }; return false },
                        SparkStringMetricsSQL.levenshtein("__t\(c)_l", "__t\(c)_r"), "__lev\(c)")
            }
            if usesDamerau(c) {
                guarded({ if case .damerauLevenshtein = $0 { return true }; return false }, SparkStringMetricsSQL.damerauLevenshtein(a, b), "__osa\(c)")
            }
            for q in jaccardQs(c) {
                guarded({ if case let .jaccard(_, x) = $0 { return x == q }; return false }, SparkStringMetricsSQL.jaccard(a, b, q: q), "__jac\(c)_\(q)")
            }
        }
        return out
    }

    /// The level index (INT) of comparison `c`: the first level whose condition holds.
    public func levelCase(_ c: Int) -> String {
        let levels = model.comparisons[c].levels
        var s = "CASE"
        for (k, level) in levels.enumerated() {
            let condition: String
            if let plain = plainCondition(c, level.condition) {
                condition = plain
            } else {
                switch level.condition {
                case let .levenshtein(t): condition = "__lev\(c) <= \(t)"
                case let .damerauLevenshtein(t): condition = "__osa\(c) <= \(t)"
                case let .jaro(t): condition = "__jaro\(c) >= \(Self.double(t))"
                case let .jaroWinkler(t):
                    condition = "\(SparkStringMetricsSQL.winkler(jaro: "__jaro\(c)", prefix: "__pre\(c)")) >= \(Self.double(t))"
                case let .jaccard(t, q): condition = "__jac\(c)_\(q) >= \(Self.double(t))"
                default: condition = "false"
                }
            }
            s += " WHEN coalesce(\(condition), false) THEN \(k)"
        }
        return s + " ELSE \(max(0, levels.count - 1)) END"
    }

    /// The match weight (DOUBLE) from the level columns `__lvl{c}`: the prior, then per
    /// comparison its level's weight and TF adjustment, in comparison order.
    public func matchWeight() -> String {
        var terms = [Self.double(model.priorWeight)]
        for (c, cmp) in model.comparisons.enumerated() {
            let weights = cmp.levels.indices.map { "WHEN \($0) THEN \(Self.double(model.weight(c, $0)))" }.joined(separator: " ")
            terms.append("(CASE __lvl\(c) \(weights) END)")
            let hasTF = cmp.levels.contains { $0.tfColumn != nil }
            var adjustments: [String] = []
            for (l, level) in cmp.levels.enumerated() {
                guard hasTF, let column = level.tfColumn, level.tfWeight != 0, !level.isNull, !level.isElse,
                      let k = tfColumns.firstIndex(of: column) else { continue }
                let tl = "__tf\(k)_l", tr = "__tf\(k)_r"
                let largest = "greatest(coalesce(\(tl), \(tr)), coalesce(\(tr), \(tl)), \(Self.double(level.tfMinimumU)))"
                let log2ExactU = Self.double(log2(cmp.exactU(for: l)))
                adjustments.append("WHEN \(l) THEN CASE WHEN coalesce(\(tl), \(tr)) IS NULL THEN CAST(0 AS DOUBLE) ELSE \(Self.double(level.tfWeight)) * (\(log2ExactU) - log2(\(largest))) END")
            }
            if !adjustments.isEmpty { terms.append("(CASE __lvl\(c) \(adjustments.joined(separator: " ")) ELSE CAST(0 AS DOUBLE) END)") }
        }
        return terms.joined(separator: " + ")
    }

    /// The match probability (DOUBLE) of a weight column `w`, as `matchProbability`.
    public static func probability(_ w: String) -> String {
        "CASE WHEN \(w) >= CAST(0 AS DOUBLE) THEN CAST(1 AS DOUBLE) / (CAST(1 AS DOUBLE) + pow(CAST(2 AS DOUBLE), - \(w))) ELSE pow(CAST(2 AS DOUBLE), \(w)) / (CAST(1 AS DOUBLE) + pow(CAST(2 AS DOUBLE), \(w))) END"
    }
}
