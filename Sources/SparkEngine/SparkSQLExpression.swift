// The shared expression language (Columnar's `Expression`) as Spark SQL text.
import Columnar

/// Translates a parsed `Expression` into a Spark SQL expression with the same meaning, or
/// refuses it naming the construct and its position.
///
/// Covered: literals (null, booleans, integers, doubles, strings), column references (mapped
/// by `column`), `not`, unary minus, `and`/`or`, comparisons (`!=` becomes `<>`), `+ - * %`,
/// `/` (always a double division, as the local engine's type checker makes it), `||`
/// (string concatenation), `is [not] null`, `[not] in`, `[not] between`, `[not] like` /
/// `ilike`, `case when`, casts to the scalar types, and the functions `abs`, `lower`,
/// `upper`, `length`, `coalesce`, `least`, `greatest`, `if`/`iff`, `substr`/`substring`. Refused: date and timestamp literals,
/// arithmetic on a date or timestamp column (Spark's interval arithmetic differs), other
/// functions. Strings are quoted with every quote and backslash escaped, so data never
/// becomes SQL.
/// - Complexity: O(size of the expression tree).
public struct SparkSQLExpression {
    /// Spark SQL for a column reference `qualifier.name` (`nil` qualifier for a plain name),
    /// and its type when known (used to refuse date/time arithmetic); throws when unknown.
    public typealias ColumnMapper = (_ qualifier: String?, _ name: String, _ offset: Int) throws -> (sql: String, type: DataType?)

    let source: String
    let column: ColumnMapper

    public init(source: String, column: @escaping ColumnMapper) {
        self.source = source
        self.column = column
    }

    /// Parses `text` with the expression language and translates it.
    public static func translate(_ text: String, column: @escaping ColumnMapper) throws -> String {
        try SparkSQLExpression(source: text, column: column).sql(Expression.parse(text))
    }

    func refuse(_ what: String, _ offset: Int) -> SparkEngineError {
        SparkEngineError("expression '\(source)', column \(offset + 1): \(what) cannot run on Spark (use --engine local)")
    }

    /// A string literal in Spark SQL.
    public static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    func literal(_ v: Value, _ at: Int) throws -> String {
        switch v {
        case .null: return "NULL"
        case let .bool(b): return b ? "TRUE" : "FALSE"
        case let .int(i): return i == Int64.min ? "CAST('\(i)' AS BIGINT)" : "CAST(\(i) AS BIGINT)"
        case let .double(d):
            guard d.isFinite else { throw refuse("a non-finite number", at) }
            return "CAST('\(d)' AS DOUBLE)"
        case let .string(s): return Self.quote(s)
        default: throw refuse("a \(v) literal", at)
        }
    }

    func isTemporalColumn(_ e: Expression) throws -> Bool {
        guard case let .column(q, n, at) = e, let t = try column(q, n, at).type else { return false }
        return t == .date || t == .timestamp
    }

    /// The Spark SQL text of `e`.
    public func sql(_ e: Expression) throws -> String {
        switch e {
        case let .literal(v, at): return try literal(v, at)
        case let .column(q, n, at): return try column(q, n, at).sql
        case let .unary(op, x, _):
            return op == .not ? "(NOT \(try sql(x)))" : "(- \(try sql(x)))"
        case let .binary(op, a, b, at):
            let l = try sql(a), r = try sql(b)
            switch op {
            case .and: return "(\(l) AND \(r))"
            case .or: return "(\(l) OR \(r))"
            case .equal: return "(\(l) = \(r))"
            case .notEqual: return "(\(l) <> \(r))"
            case .less, .lessOrEqual, .greater, .greaterOrEqual: return "(\(l) \(op.rawValue) \(r))"
            case .concat: return "concat(CAST(\(l) AS STRING), CAST(\(r) AS STRING))"
            case .add, .subtract, .multiply, .modulo, .divide:
                if try isTemporalColumn(a) || isTemporalColumn(b) { throw refuse("arithmetic on a date or timestamp", at) }
                if op == .divide { return "(CAST(\(l) AS DOUBLE) / CAST(\(r) AS DOUBLE))" }
                return "(\(l) \(op.rawValue) \(r))"
            }
        case let .isNull(x, negated, _): return "(\(try sql(x)) IS \(negated ? "NOT " : "")NULL)"
        case let .inList(x, list, negated, _):
            return "(\(try sql(x)) \(negated ? "NOT " : "")IN (\(try list.map(sql).joined(separator: ", "))))"
        case let .between(x, lo, hi, negated, _):
            return "(\(try sql(x)) \(negated ? "NOT " : "")BETWEEN \(try sql(lo)) AND \(try sql(hi)))"
        case let .like(x, p, negated, ci, _):
            return "(\(negated ? "NOT " : "")(\(try sql(x)) \(ci ? "ILIKE" : "LIKE") \(try sql(p))))"
        case let .caseWhen(branches, otherwise, _):
            var s = "CASE"
            for b in branches { s += " WHEN \(try sql(b.condition)) THEN \(try sql(b.value))" }
            if let otherwise { s += " ELSE \(try sql(otherwise))" }
            return s + " END"
        case let .cast(x, type, at):
            let name: String
            switch type {
            case .int: name = "BIGINT"
            case .double: name = "DOUBLE"
            case .string: name = "STRING"
            case .bool: name = "BOOLEAN"
            default: throw refuse("a cast to \(type)", at)
            }
            return "CAST(\(try sql(x)) AS \(name))"
        case let .call(name, args, at):
            if ["substr", "substring"].contains(name.lowercased()), args.count == 2 || args.count == 3 {
                // Start 0 counts the position before the string locally (PostgreSQL and
                // DuckDB: substr('hello', 0, 2) is 'h'); Spark reads it as 1, so one fewer
                // character is asked for there. Other starts and lengths agree.
                let x = try sql(args[0]), start = try sql(args[1])
                guard args.count == 3 else { return "substr(CAST(\(x) AS STRING), \(start))" }
                let length = try sql(args[2])
                return "substr(CAST(\(x) AS STRING), \(start), CASE WHEN \(start) = 0 THEN \(length) - 1 ELSE \(length) END)"
            }
            let allowed = ["abs", "lower", "upper", "length", "coalesce", "least", "greatest", "if", "iff"]
            guard allowed.contains(name.lowercased()) else { throw refuse("function \(name)", at) }
            let spark = name.lowercased() == "iff" ? "if" : name.lowercased()
            return "\(spark)(\(try args.map(sql).joined(separator: ", ")))"
        }
    }
}
