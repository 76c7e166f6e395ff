/// The syntax tree of the expression language (see `ExpressionParser` for the grammar).
///
/// Every node keeps the offset of its first token in the source text so that type errors
/// can point at it. Expressions are data: they are type-checked against a scope and
/// evaluated by `ExpressionEvaluator`, never compiled to or run as code.
public indirect enum Expression: Hashable, Sendable {
    /// A constant: `.int`, `.double`, `.string`, `.bool` or `.null`. Durations are `.int`
    /// microseconds.
    case literal(Value, at: Int)
    /// `name`, `q.name` or a backtick-quoted name. `qualifier` is nil for plain names.
    case column(qualifier: String?, name: String, at: Int)
    case unary(UnaryOperator, Expression, at: Int)
    case binary(BinaryOperator, Expression, Expression, at: Int)
    /// `x is null` / `x is not null`.
    case isNull(Expression, negated: Bool, at: Int)
    /// `x [not] in (a, b, ...)`.
    case inList(Expression, [Expression], negated: Bool, at: Int)
    /// `x [not] between low and high` (inclusive).
    case between(Expression, low: Expression, high: Expression, negated: Bool, at: Int)
    /// `x [not] like pattern` (`%` any run, `_` one character); `ilike` ignores case.
    case like(Expression, pattern: Expression, negated: Bool, caseInsensitive: Bool, at: Int)
    /// `case when c1 then v1 ... [else e] end`.
    case caseWhen([CaseBranch], otherwise: Expression?, at: Int)
    /// `name(args...)`; the name is lowercased.
    case call(String, [Expression], at: Int)
    /// `cast(x as type)`.
    case cast(Expression, ExpressionType, at: Int)

    /// Offset of the node's first token in the source text.
    public var offset: Int {
        switch self {
        case let .literal(_, at), let .column(_, _, at), let .unary(_, _, at), let .binary(_, _, _, at),
             let .isNull(_, _, at), let .inList(_, _, _, at), let .between(_, _, _, _, at), let .like(_, _, _, _, at),
             let .caseWhen(_, _, at), let .call(_, _, at), let .cast(_, _, at):
            return at
        }
    }

    /// The direct children, in source order.
    public var children: [Expression] {
        switch self {
        case .literal, .column: return []
        case let .unary(_, x, _), let .isNull(x, _, _), let .cast(x, _, _): return [x]
        case let .binary(_, a, b, _): return [a, b]
        case let .inList(x, list, _, _): return [x] + list
        case let .between(x, lo, hi, _, _): return [x, lo, hi]
        case let .like(x, p, _, _, _): return [x, p]
        case let .caseWhen(branches, otherwise, _): return branches.flatMap { [$0.condition, $0.value] } + (otherwise.map { [$0] } ?? [])
        case let .call(_, args, _): return args
        }
    }

    /// The top-level `and` operands, left to right (the expression itself if it is not an
    /// `and`). A filter holds for a row exactly when every conjunct is true, so a search can
    /// test each conjunct as soon as the qualifiers it references are bound.
    public var conjuncts: [Expression] {
        if case let .binary(.and, a, b, _) = self { return a.conjuncts + b.conjuncts }
        return [self]
    }

    /// Every column reference as (qualifier, name), in source order, without duplicates.
    public var columnReferences: [(qualifier: String?, name: String)] {
        var seen = Set<String>()
        var out: [(qualifier: String?, name: String)] = []
        func walk(_ e: Expression) {
            if case let .column(q, n, _) = e {
                let key = (q ?? "") + "\u{0}" + n
                if seen.insert(key).inserted { out.append((q, n)) }
            }
            e.children.forEach(walk)
        }
        walk(self)
        return out
    }

    /// The qualifiers referenced (`e1` in `e1.amount`). Plain names contribute nothing; see
    /// `referencesPlainColumns`.
    public var qualifiers: Set<String> { Set(columnReferences.compactMap(\.qualifier)) }

    /// True when some column is referenced without a qualifier.
    public var referencesPlainColumns: Bool { columnReferences.contains { $0.qualifier == nil } }

    /// Joins expressions with `and` (nil for an empty list).
    public static func conjunction(_ parts: [Expression]) -> Expression? {
        guard var result = parts.first else { return nil }
        for p in parts.dropFirst() { result = .binary(.and, result, p, at: result.offset) }
        return result
    }

    /// Parses `text` (see `ExpressionParser`). Throws `ExpressionError` with the location.
    public static func parse(_ text: String) throws -> Expression { try ExpressionParser.parse(text) }
}

/// One `when condition then value` arm of a `case`.
public struct CaseBranch: Hashable, Sendable {
    public var condition: Expression
    public var value: Expression
    public init(condition: Expression, value: Expression) {
        self.condition = condition
        self.value = value
    }
}

/// Prefix operators.
public enum UnaryOperator: String, Hashable, Sendable {
    case negate = "-"
    case not = "not"
}

/// Infix operators, from loosest to tightest binding: `or`; `and`; comparisons;
/// `+ - ||`; `* / %`.
public enum BinaryOperator: String, Hashable, Sendable {
    case or, and
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", concat = "||"
    case multiply = "*", divide = "/", modulo = "%"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
        default: return false
        }
    }
}

/// The value types of the expression language.
///
/// Column types map onto them: int32/int64 -> `int`, float/double/decimal -> `double`,
/// string -> `string`, bool, date, timestamp. Promotion follows SQL (DuckDB): an `int`
/// meets a `double` as a `double`; `/` always yields a `double` (so `5 / 2` is 2.5, as in
/// DuckDB); `%` on ints yields an int with the sign of the dividend; a `date` meets a
/// `timestamp` as a timestamp. Timestamps minus timestamps are `int` microseconds, and
/// timestamps plus or minus ints (durations such as `30d`) stay timestamps; dates plus or
/// minus ints are days.
public enum ExpressionType: String, Hashable, Sendable, CustomStringConvertible {
    /// The type of a bare `null` before context gives it one.
    case null
    case bool, int, double, string, date, timestamp

    public var description: String { rawValue }

    /// The expression type of a column type, or nil for types expressions cannot read (binary).
    public init?(_ type: DataType) {
        switch type {
        case .bool: self = .bool
        case .int32, .int64: self = .int
        case .float, .double, .decimal: self = .double
        case .string: self = .string
        case .date: self = .date
        case .timestamp: self = .timestamp
        case .binary, .list, .structure, .map: return nil
        }
    }

    /// The column type results of this type are stored in (a bare null becomes int64).
    public var dataType: DataType {
        switch self {
        case .null, .int: return .int64
        case .bool: return .bool
        case .double: return .double
        case .string: return .string
        case .date: return .date
        case .timestamp: return .timestamp
        }
    }

    var isNumeric: Bool { self == .int || self == .double }

    /// Names accepted by `cast(x as name)`.
    static func named(_ name: String) -> ExpressionType? {
        switch name.lowercased() {
        case "int", "integer", "bigint", "int64", "int32", "long", "smallint", "tinyint": return .int
        case "double", "float", "real", "float64", "decimal", "numeric": return .double
        case "string", "varchar", "text": return .string
        case "bool", "boolean": return .bool
        case "date": return .date
        case "timestamp", "datetime": return .timestamp
        default: return nil
        }
    }
}
