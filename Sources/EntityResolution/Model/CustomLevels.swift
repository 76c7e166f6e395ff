import Columnar
import Foundation

/// The `.custom` levels of one comparison, ready to test record pairs: each level's
/// `sqlCondition` read by `SplinkSQL` and type-checked against the input's schema with
/// `SplinkSQLFunctions`, or, for `array_length(list_intersect(x_l, x_r)) >= k`
/// (Splink's ArrayIntersectLevel), the records' arrays as sorted sets of element ids.
///
/// A level holds where its condition is true (SQL's CASE WHEN: null is false). Arrays are
/// read from text: a JSON array (`["a", "b"]`, as the Parquet reader gives nested columns)
/// or DuckDB's list text (`[a, b]`); like DuckDB's `list_intersect`, elements are compared
/// as distinct values and null elements are dropped.
///
/// This is the slower path: a pair's expression reads its cells as values (strings are
/// copied). An evaluation error (a failed cast, `strptime` on text that does not match) is
/// kept and reported by `firstError`; DuckDB would stop the query there too.
///
/// - Complexity: building O(records · array length) for array levels; a test O(expression
///   nodes + cell sizes) or O(|array_l| + |array_r|).
final class CustomLevels: @unchecked Sendable {
    enum Test {
        case expression(ExpressionRowEvaluator, leftFirst: Bool, arity: Int)
        case arrayIntersect(sets: [[UInt32]?], atLeast: Int)
    }
    /// By level index (nil for levels that are not `.custom`).
    let tests: [Test?]
    private let lock = NSLock()
    private var error: Error?

    /// Compiles the custom levels of `comparison` against `table`; throws, naming the
    /// comparison and the SQL, when a condition does not parse or type-check.
    init(_ comparison: Comparison, table: Table) throws {
        let columns = Set(table.columnNames)
        let scope = SplinkSQLFunctions.pairScope(table.schema)
        var arrays: [String: [[UInt32]?]] = [:]
        tests = try comparison.levels.map { level -> Test? in
            guard level.condition == .custom, let sql = level.sqlCondition else { return nil }
            if let (column, k) = CustomLevels.arrayIntersectShape(sql), columns.contains(column) {
                if arrays[column] == nil { arrays[column] = try CustomLevels.arraySets(table.column(column)) }
                return .arrayIntersect(sets: arrays[column]!, atLeast: k)
            }
            do {
                let e = try SplinkSQL.parse(sql, columns: columns)
                let evaluator = try ExpressionEvaluator(e, source: sql, scope: scope)
                try evaluator.requireBool("a comparison level's sql_condition")
                let rows = try evaluator.rowEvaluator(["l": table, "r": table])
                return .expression(rows, leftFirst: rows.qualifiers.first != "r", arity: rows.qualifiers.count)
            } catch {
                throw EntityResolutionError.unsupportedLevel("comparison '\(comparison.column)'", comparison: comparison.column,
                                                             sql: "\(sql): \(error)")
            }
        }
    }

    /// The first evaluation error met while testing pairs, if any.
    var firstError: Error? { lock.lock(); defer { lock.unlock() }; return error }

    /// Whether level `k`'s condition holds for records i and j.
    func holds(_ k: Int, _ i: Int, _ j: Int) -> Bool {
        guard let test = tests[k] else { return false }
        switch test {
        case let .expression(rows, leftFirst, arity):
            do {
                switch arity {
                case 0: return try rows.test(rows: [])
                case 1: return try rows.test(rows: [leftFirst ? i : j])
                default: return try rows.test(rows: leftFirst ? [i, j] : [j, i])
                }
            } catch {
                lock.lock(); if self.error == nil { self.error = error }; lock.unlock()
                return false
            }
        case let .arrayIntersect(sets, atLeast):
            guard let a = sets[i], let b = sets[j] else { return false }
            var x = 0, y = 0, common = 0
            while x < a.count, y < b.count {
                if a[x] == b[y] { common += 1; x += 1; y += 1 } else if a[x] < b[y] { x += 1 } else { y += 1 }
            }
            return common >= atLeast
        }
    }

    /// `(column, k)` for `array_length(list_intersect("x_l", "x_r")) >= k`, ignoring quotes,
    /// spaces and case.
    static func arrayIntersectShape(_ sql: String) -> (String, Int)? {
        let s = sql.filter { !$0.isWhitespace && $0 != "\"" && $0 != "`" }
        let lower = s.lowercased()
        for prefix in ["array_length(list_intersect(", "len(list_intersect(", "length(list_intersect("] where lower.hasPrefix(prefix) {
            guard let close = s.range(of: "))>=") else { return nil }
            let args = s[s.index(s.startIndex, offsetBy: prefix.count)..<close.lowerBound].split(separator: ",").map(String.init)
            guard args.count == 2, args[0].hasSuffix("_l"), args[1].hasSuffix("_r"), args[0].dropLast(2) == args[1].dropLast(2),
                  let k = Int(s[close.upperBound...]) else { return nil }
            return (String(args[0].dropLast(2)), k)
        }
        return nil
    }

    /// Each record's array as a sorted set of element ids (nil when the cell is null).
    static func arraySets(_ column: Column) throws -> [[UInt32]?] {
        var ids: [String: UInt32] = [:]
        return (0..<column.count).map { row -> [UInt32]? in
            let v = column.value(at: row)
            if v.isNull { return nil }
            let elements = arrayElements(v.description)
            return Set(elements.map { e -> UInt32 in
                if let id = ids[e] { return id }
                let id = UInt32(ids.count); ids[e] = id; return id
            }).sorted()
        }
    }

    /// The non-null elements of an array's text: JSON (strings unquoted, other values as
    /// their JSON text) or DuckDB's `[a, b]`.
    static func arrayElements(_ text: String) -> [String] {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let data = t.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) is [Any],
           let array = try? ExactJSON.parse(data) as? [Any] {
            return array.compactMap { e -> String? in
                if e is NSNull { return nil }
                if let s = e as? String { return s }
                if let n = e as? NSNumber { return n.stringValue }
                return (try? JSONSerialization.data(withJSONObject: e)).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        guard t.hasPrefix("["), t.hasSuffix("]") else { return [t] }
        let inner = t.dropFirst().dropLast()
        if inner.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
        return inner.components(separatedBy: ", ").filter { $0 != "NULL" }
    }
}
