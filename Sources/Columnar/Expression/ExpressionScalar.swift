import Foundation

/// A failure inside an operator; the evaluator adds the location.
struct ScalarFailure: Error {
    let message: String
}

/// The value semantics of every operator and function, one row at a time. The vectorised
/// kernels in `ExpressionEvaluator` are specialisations that must agree with these.
///
/// Nulls: operators and functions return null when an operand is null, except `and`/`or`
/// (three-valued), `is null`, `coalesce`, `greatest`/`least` (which skip nulls, as DuckDB
/// and PostgreSQL do) and `case`.
enum ExpressionScalar {
    @inline(__always) static func integral(_ v: Value) -> Int64? {
        switch v {
        case let .int(x), let .timestamp(x): return x
        case let .date(x): return Int64(x)
        default: return nil
        }
    }

    /// An Int64 payload wrapped as `type`.
    static func wrap(_ x: Int64, _ type: ExpressionType) throws -> Value {
        switch type {
        case .timestamp: return .timestamp(x)
        case .date:
            guard let d = Int32(exactly: x) else { throw ScalarFailure(message: "date out of range") }
            return .date(d)
        default: return .int(x)
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, _ type: ExpressionType) throws -> Value {
        if a.isNull || b.isNull { return .null }
        if op == .concat, case let .string(x) = a, case let .string(y) = b { return .string(x + y) }
        if case let .double(x) = a, case let .double(y) = b {
            return doubleOp(op, x, y).map(Value.double) ?? .null
        }
        guard let x = integral(a), let y = integral(b) else { throw ScalarFailure(message: "bad operands") }
        return try intOp(op, x, y).map { try wrap($0, type) } ?? .null
    }

    /// nil = SQL null (modulo by zero).
    @inline(__always) static func doubleOp(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Double? {
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return x / y
        case .modulo: return y == 0 ? nil : fmod(x, y)
        default: return nil
        }
    }

    /// Checked integer arithmetic; nil = SQL null (modulo by zero).
    @inline(__always) static func intOp(_ op: BinaryOperator, _ x: Int64, _ y: Int64) throws -> Int64? {
        let r: (partialValue: Int64, overflow: Bool)
        switch op {
        case .add: r = x.addingReportingOverflow(y)
        case .subtract: r = x.subtractingReportingOverflow(y)
        case .multiply: r = x.multipliedReportingOverflow(by: y)
        case .modulo:
            if y == 0 { return nil }
            if y == -1 { return 0 }
            return x % y
        default: return nil
        }
        if r.overflow { throw ScalarFailure(message: "integer overflow in \(x) \(op.rawValue) \(y)") }
        return r.partialValue
    }

    /// Three-way comparison of two non-null values of the same type; strings by UTF-8 bytes
    /// (DuckDB's and Arrow's order).
    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case let (.double(x), .double(y)): return x < y ? -1 : (x > y ? 1 : (x == y ? 0 : (x.isNaN ? (y.isNaN ? 0 : 1) : -1)))
        case let (.string(x), .string(y)):
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        case let (.bool(x), .bool(y)): return x == y ? 0 : (!x ? -1 : 1)
        default:
            let x = integral(a) ?? 0, y = integral(b) ?? 0
            return x < y ? -1 : (x > y ? 1 : 0)
        }
    }

    static func comparison(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        if a.isNull || b.isNull { return .null }
        return .bool(holds(op, compare(a, b)))
    }

    @inline(__always) static func holds(_ op: BinaryOperator, _ c: Int) -> Bool {
        switch op {
        case .equal: return c == 0
        case .notEqual: return c != 0
        case .less: return c < 0
        case .lessOrEqual: return c <= 0
        case .greater: return c > 0
        case .greaterOrEqual: return c >= 0
        default: return false
        }
    }

    /// SQL's `x between lo and hi`: `x >= lo and x <= hi` in three-valued logic.
    static func between(_ x: Value, _ lo: Value, _ hi: Value) -> Value {
        and(comparison(.greaterOrEqual, x, lo), comparison(.lessOrEqual, x, hi))
    }

    static func and(_ a: Value, _ b: Value) -> Value {
        if case .bool(false) = a { return .bool(false) }
        if case .bool(false) = b { return .bool(false) }
        if a.isNull || b.isNull { return .null }
        return .bool(true)
    }

    static func or(_ a: Value, _ b: Value) -> Value {
        if case .bool(true) = a { return .bool(true) }
        if case .bool(true) = b { return .bool(true) }
        if a.isNull || b.isNull { return .null }
        return .bool(false)
    }

    static func not(_ a: Value) -> Value {
        if case let .bool(x) = a { return .bool(!x) }
        return .null
    }

    static func negate(_ a: Value) throws -> Value {
        switch a {
        case let .int(x):
            guard x != .min else { throw ScalarFailure(message: "integer overflow negating \(x)") }
            return .int(-x)
        case let .double(x): return .double(-x)
        default: return .null
        }
    }

    /// SQL `in`: true if some element equals x; otherwise null if x or an element is null.
    static func inList(_ x: Value, _ list: [Value]) -> Value {
        if x.isNull { return .null }
        var sawNull = false
        for v in list {
            if v.isNull { sawNull = true; continue }
            if compare(x, v) == 0 { return .bool(true) }
        }
        return sawNull ? .null : .bool(false)
    }

    /// SQL `like`: `%` matches any run of characters, `_` exactly one; no escape character.
    /// O(|s|·|p|) worst case (greedy with backtracking to the last `%`).
    static func like(_ s: String, _ p: String, caseInsensitive: Bool) -> Bool {
        let text = Array(caseInsensitive ? s.lowercased() : s), pattern = Array(caseInsensitive ? p.lowercased() : p)
        var i = 0, j = 0, star = -1, mark = 0
        while i < text.count {
            if j < pattern.count, pattern[j] != "%", pattern[j] == "_" || pattern[j] == text[i] {
                i += 1; j += 1
            } else if j < pattern.count, pattern[j] == "%" {
                star = j; mark = i; j += 1
            } else if star >= 0 {
                j = star + 1; mark += 1; i = mark
            } else {
                return false
            }
        }
        while j < pattern.count, pattern[j] == "%" { j += 1 }
        return j == pattern.count
    }

    static func cast(_ v: Value, to type: ExpressionType) throws -> Value {
        if v.isNull { return .null }
        switch (v, type) {
        case let (.int(x), .double): return .double(Double(x))
        case let (.int(x), .bool): return .bool(x != 0)
        case let (.int(x), .timestamp): return .timestamp(x)
        case let (.int(x), .date): return try wrap(x, .date)
        case let (.double(x), .int): return .int(try doubleToInt(x.rounded(.toNearestOrEven)))
        case let (.double(x), .bool): return .bool(x != 0)
        case let (.bool(x), .int): return .int(x ? 1 : 0)
        case let (.date(d), .timestamp): return .timestamp(Int64(d) * 86_400_000_000)
        case let (.timestamp(t), .date):
            let days = t >= 0 ? t / 86_400_000_000 : -((-t + 86_399_999_999) / 86_400_000_000)
            return try wrap(days, .date)
        case (_, .string):
            switch v {
            case let .int(x): return .string(String(x))
            case let .double(x): return .string(formatDouble(x))
            default: return .string(v.description)
            }
        case let (.string(s), _):
            let t = s.trimmingCharacters(in: .whitespaces)
            switch type {
            case .int:
                if let x = Int64(t) { return .int(x) }
                if let d = Double(t) { return .int(try doubleToInt(d.rounded(.toNearestOrEven))) }
            case .double:
                if let d = Double(t) { return .double(d) }
            case .bool:
                switch t.lowercased() {
                case "true", "t", "1", "yes": return .bool(true)
                case "false", "f", "0", "no": return .bool(false)
                default: break
                }
            case .timestamp: if let x = CivilTime.parseTimestamp(t) { return .timestamp(x) }
            case .date: if let x = CivilTime.parseDate(t) { return .date(x) }
            default: break
            }
            throw ScalarFailure(message: "cannot cast '\(s)' to \(type)")
        default:
            return v
        }
    }

    static func doubleToInt(_ d: Double) throws -> Int64 {
        guard d.isFinite, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else {
            throw ScalarFailure(message: "\(formatDouble(d)) does not fit in a 64-bit integer")
        }
        return Int64(d)
    }

    static func call(_ f: ExpressionFunction, _ args: [Value]) throws -> Value {
        switch f {
        case .coalesce: return args.first { !$0.isNull } ?? .null
        case .greatest, .least:
            var best: Value = .null
            for a in args where !a.isNull {
                if best.isNull || (f == .greatest ? compare(a, best) > 0 : compare(a, best) < 0) { best = a }
            }
            return best
        default: break
        }
        if args.contains(where: \.isNull) { return .null }
        switch f {
        case .abs:
            if case let .int(x) = args[0] {
                guard x != .min else { throw ScalarFailure(message: "integer overflow in abs(\(x))") }
                return .int(Swift.abs(x))
            }
            return .double(Swift.abs(args[0].doubleValue ?? 0))
        case .lower: return .string(args[0].stringValue!.lowercased())
        case .upper: return .string(args[0].stringValue!.uppercased())
        case .trim:
            var s = Substring(args[0].stringValue!)
            while s.first == " " { s.removeFirst() }
            while s.last == " " { s.removeLast() }
            return .string(String(s))
        case .length: return .int(Int64(args[0].stringValue!.count))
        case .substr:
            return .string(substring(args[0].stringValue!, integral(args[1])!, args.count > 2 ? integral(args[2])! : nil))
        case .round:
            let digits = args.count > 1 ? integral(args[1])! : 0
            if case .int = args[0] { return args[0] }
            let x = args[0].doubleValue!
            if digits == 0 { return .double(x.rounded()) }
            let scale = Foundation.pow(10.0, Double(digits))
            let r = (x * scale).rounded() / scale
            return .double(r.isFinite ? r : x)
        case .floor: return .double(Foundation.floor(args[0].doubleValue!))
        case .ceil: return .double(Foundation.ceil(args[0].doubleValue!))
        case .sqrt:
            let x = args[0].doubleValue!
            guard x >= 0 else { throw ScalarFailure(message: "cannot take the square root of a negative number (\(formatDouble(x)))") }
            return .double(x.squareRoot())
        case .ln:
            let x = args[0].doubleValue!
            guard x > 0 else { throw ScalarFailure(message: "cannot take the logarithm of \(x == 0 ? "zero" : "a negative number")") }
            return .double(Foundation.log(x))
        case .exp: return .double(Foundation.exp(args[0].doubleValue!))
        case .pow: return .double(Foundation.pow(args[0].doubleValue!, args[1].doubleValue!))
        case .coalesce, .greatest, .least: return .null
        }
    }

    /// SQL `substr(s, start, len)` with 1-based positions, counting characters. A start of 0
    /// or below 1 still counts the positions before the string (so `substr('hello', 0, 2)`
    /// is `h`, as in PostgreSQL and DuckDB); a negative start counts from the end (DuckDB:
    /// `substr('hello', -2, 2)` is `lo`). A negative length gives the empty string.
    static func substring(_ s: String, _ start: Int64, _ length: Int64?) -> String {
        let chars = Array(s)
        let n = Int64(chars.count)
        var first = start < 0 ? n + start + 1 : start
        var last = length.map { $0 < 0 ? first - 1 : first.addingReportingOverflow($0).partialValue - 1 } ?? n
        if let length, length > 0, first.addingReportingOverflow(length).overflow { last = n }
        first = Swift.max(first, 1)
        last = Swift.min(last, n)
        guard first <= last else { return "" }
        return String(chars[Int(first - 1)..<Int(last)])
    }
}
