import Foundation
/// The test a comparison level applies to one column of a record pair. Levels are tried in
/// order and the first whose condition holds is taken (Splink's CASE WHEN semantics).
public enum LevelCondition: Equatable, Sendable {
    /// Either side null (Splink's null level, gamma −1, weight 0).
    case null
    case exact
    case levenshtein(Int)
    case damerauLevenshtein(Int)
    case jaro(Double)
    case jaroWinkler(Double)
    /// Jaccard over character q-gram sets ≥ threshold (q = 1 is DuckDB's `jaccard`).
    case jaccard(Double, q: Int)
    case absoluteDifference(Double)
    case percentageDifference(Double)
    /// |Δt| ≤ threshold seconds.
    case timeDifference(Double)
    /// Any other Splink `sql_condition` (the level's `sqlCondition`): evaluated per pair by
    /// `CustomLevels` with the expression language, on a slower path than the kinds above.
    case custom
    case otherwise

    /// The condition as Splink writes it in `sql_condition` (DuckDB dialect).
    public func sql(_ c: String) -> String {
        let l = "\"\(c)_l\"", r = "\"\(c)_r\""
        switch self {
        case .null: return "\(l) IS NULL OR \(r) IS NULL"
        case .exact: return "\(l) = \(r)"
        case let .levenshtein(k): return "levenshtein(\(l), \(r)) <= \(k)"
        case let .damerauLevenshtein(k): return "damerau_levenshtein(\(l), \(r)) <= \(k)"
        case let .jaro(t): return "jaro_similarity(\(l), \(r)) >= \(t)"
        case let .jaroWinkler(t): return "jaro_winkler_similarity(\(l), \(r)) >= \(t)"
        case let .jaccard(t, _): return "jaccard(\(l), \(r)) >= \(t)"
        case let .absoluteDifference(t): return "ABS(\(l) - \(r)) <= \(t)"
        case let .percentageDifference(t): return "(ABS(\(l) - \(r)) / (CASE WHEN \(r) > \(l) THEN \(r) ELSE \(l) END)) < \(t)"
        case let .timeDifference(t): return "ABS(EPOCH(\(l)) - EPOCH(\(r))) <= \(t)"
        case .otherwise: return "ELSE"
        case .custom: return ""
        }
    }

    /// `parse(sql:)`, accepted only when the condition written back (`sql(column)`) is the
    /// given SQL up to quotes, spaces, case and a trailing `.0` on numbers, so a condition that
    /// merely starts like a library shape is never mistaken for one (it is then `.custom`).
    public static func recognise(sql: String) -> (LevelCondition, column: String?)? {
        guard let (cond, column) = parse(sql: sql) else { return nil }
        if cond == .otherwise { return (cond, nil) }
        guard let column else { return nil }
        func normal(_ s: String) -> String {
            let compact = s.filter { !$0.isWhitespace && $0 != "\"" && $0 != "`" }.lowercased()
            return compact.replacingOccurrences(of: "([0-9])\\.0+(?![0-9])", with: "$1", options: .regularExpression)
        }
        return normal(cond.sql(column)) == normal(sql) ? (cond, column) : nil
    }

    /// Parses one of the `sql_condition` shapes Splink's library writes for a plain column;
    /// nil for anything else (custom SQL is not supported). Returns the column name too.
    public static func parse(sql: String) -> (LevelCondition, column: String?)? {
        let s = sql.trimmingCharacters(in: .whitespaces)
        if s.uppercased() == "ELSE" { return (.otherwise, nil) }
        func col(_ t: String) -> String? {
            var t = t.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = String(t.dropFirst().dropLast()) }
            if t.hasSuffix("_l") || t.hasSuffix("_r") { return String(t.dropLast(2)) }
            return nil
        }
        let upper = s.uppercased()
        if upper.hasSuffix(" IS NULL"), let orRange = upper.range(of: " IS NULL OR ") {
            let left = String(s[s.startIndex..<orRange.lowerBound])
            return col(left).map { (.null, $0) }
        }
        // fn(a, b) OP t
        for (fn, make) in [("levenshtein", { (t: Double) in LevelCondition.levenshtein(Int(t)) }),
                           ("damerau_levenshtein", { LevelCondition.damerauLevenshtein(Int($0)) }),
                           ("jaro_winkler_similarity", { LevelCondition.jaroWinkler($0) }),
                           ("jaro_similarity", { LevelCondition.jaro($0) }),
                           ("jaccard", { LevelCondition.jaccard($0, q: 1) })] {
            if s.lowercased().hasPrefix(fn + "("), let close = s.firstIndex(of: ")") {
                let args = s[s.index(s.startIndex, offsetBy: fn.count + 1)..<close].split(separator: ",")
                let rest = s[s.index(after: close)...].trimmingCharacters(in: .whitespaces)
                guard args.count == 2, let c = col(String(args[0])) else { return nil }
                let op = rest.hasPrefix("<=") || rest.hasPrefix(">=") ? 2 : 1
                guard let t = Double(rest.dropFirst(op).trimmingCharacters(in: .whitespaces)) else { return nil }
                return (make(t), c)
            }
        }
        // Splink's PercentageDifferenceLevel: (ABS(a_l - a_r) / (CASE WHEN ... END)) < t
        if upper.hasPrefix("(ABS("), upper.contains("CASE WHEN"), let minus = s.range(of: " - "), let lt = s.range(of: "<", options: .backwards) {
            guard let c = col(String(s[s.index(s.startIndex, offsetBy: 5)..<minus.lowerBound])),
                  let t = Double(s[lt.upperBound...].trimmingCharacters(in: .whitespaces)) else { return nil }
            return (.percentageDifference(t), c)
        }
        if upper.hasPrefix("ABS(EPOCH("), let le = s.range(of: "<=") {
            let inner = s[s.index(s.startIndex, offsetBy: 10)...]
            guard let c = col(String(inner.prefix { $0 != ")" })), let t = Double(s[le.upperBound...].trimmingCharacters(in: .whitespaces)) else { return nil }
            return (.timeDifference(t), c)
        }
        if upper.hasPrefix("ABS("), let le = s.range(of: "<="), let minus = s.range(of: " - ") {
            guard let c = col(String(s[s.index(s.startIndex, offsetBy: 4)..<minus.lowerBound])),
                  let t = Double(s[le.upperBound...].trimmingCharacters(in: .whitespaces)) else { return nil }
            return (.absoluteDifference(t), c)
        }
        let eq = s.components(separatedBy: " = ")
        if eq.count == 2, let a = col(eq[0]), let b = col(eq[1]), a == b { return (.exact, a) }
        return nil
    }
}

