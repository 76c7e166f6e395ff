import Columnar

/// Reads a Splink `sql_condition` (DuckDB dialect) as an expression of the expression
/// language over a record pair: `"name_l"` is `l.name` and `"name_r"` is `r.name`.
///
/// The translation is textual and keeps SQL's meaning: double-quoted identifiers become
/// backtick-quoted names (string literals in single quotes are left alone), and
/// `cast(x as float)` becomes `float32(x)` because DuckDB's FLOAT is single precision (the
/// expression language's `float` is a double). Column references are then rewritten on the
/// parsed tree. The parser itself is the expression language's (see `ExpressionParser`).
public enum SplinkSQL {
    /// Parses `sql` as a pair condition; `columns` are the input's column names (a name
    /// `x_l` whose `x` is a column reads `x` of the left record).
    public static func parse(_ sql: String, columns: Set<String>) throws -> Expression {
        pairColumns(try Expression.parse(translate(sql)), columns: columns)
    }

    /// The SQL text in the expression language's lexical conventions (see the type docs).
    public static func translate(_ sql: String) -> String {
        rewriteFloatCasts(requote(sql))
    }

    /// `"a""b"` → `` `a"b` ``; single-quoted strings are copied as they are.
    static func requote(_ sql: String) -> String {
        var out = "", chars = Array(sql), i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                out.append(c); i += 1
                while i < chars.count {
                    out.append(chars[i])
                    if chars[i] == "'" { if i + 1 < chars.count, chars[i + 1] == "'" { out.append("'"); i += 2; continue }; i += 1; break }
                    i += 1
                }
            } else if c == "\"" {
                var name = ""
                i += 1
                while i < chars.count {
                    if chars[i] == "\"" { if i + 1 < chars.count, chars[i + 1] == "\"" { name.append("\""); i += 2; continue }; i += 1; break }
                    name.append(chars[i] == "`" ? "``" : String(chars[i])); i += 1
                }
                out += "`" + name + "`"
            } else {
                out.append(c); i += 1
            }
        }
        return out
    }

    /// `cast(x as float)` → `float32(x)`, at any depth; other casts are kept.
    static func rewriteFloatCasts(_ text: String) -> String {
        var chars = Array(text)
        var from = 0
        while let start = nextCast(chars, from: from) {
            guard let (open, close) = parenthesised(chars, after: start + 4) else { break }
            let inner = String(chars[(open + 1)..<close])
            if let body = floatCastBody(inner) {
                chars.replaceSubrange(start...close, with: Array("float32(" + body + ")"))
            }
            from = start + 4
        }
        return String(chars)
    }

    /// The operand of `x as float` (case-insensitive), or nil for any other target type.
    static func floatCastBody(_ inner: String) -> String? {
        let trimmed = inner.trimmingTrailingSpaces()
        let lower = trimmed.lowercased()
        guard lower.hasSuffix("float") else { return nil }
        var body = Array(trimmed.dropLast(5))
        guard body.last.map({ $0.isWhitespace }) == true else { return nil }
        while body.last?.isWhitespace == true { body.removeLast() }
        guard body.count >= 2, String(body.suffix(2)).lowercased() == "as" else { return nil }
        body.removeLast(2)
        guard body.last?.isWhitespace == true else { return nil }
        while body.last?.isWhitespace == true { body.removeLast() }
        return String(body)
    }

    /// Position of the next `cast` keyword followed by `(`, outside quotes, from `from`.
    static func nextCast(_ c: [Character], from: Int) -> Int? {
        var i = 0, quote: Character?
        while i < c.count {
            let ch = c[i]
            if let q = quote { if ch == q { quote = nil }; i += 1; continue }
            if ch == "'" || ch == "`" { quote = ch; i += 1; continue }
            if i >= from, i + 4 <= c.count, String(c[i..<(i + 4)]).lowercased() == "cast",
               i == 0 || !(c[i - 1].isLetter || c[i - 1].isNumber || c[i - 1] == "_") {
                var j = i + 4
                while j < c.count, c[j].isWhitespace { j += 1 }
                if j < c.count, c[j] == "(" { return i }
            }
            i += 1
        }
        return nil
    }

    /// The `(` at or after `after` (skipping spaces) and its matching `)`, outside quotes.
    static func parenthesised(_ c: [Character], after: Int) -> (Int, Int)? {
        var open = after
        while open < c.count, c[open].isWhitespace { open += 1 }
        guard open < c.count, c[open] == "(" else { return nil }
        var depth = 0, i = open, quote: Character?
        while i < c.count {
            let ch = c[i]
            if let q = quote { if ch == q { quote = nil } } else if ch == "'" || ch == "`" { quote = ch } else if ch == "(" { depth += 1 } else if ch == ")" {
                depth -= 1
                if depth == 0 { return (open, i) }
            }
            i += 1
        }
        return nil
    }

    /// The tree with `x_l` / `x_r` read as `l.x` / `r.x` where `x` is a column.
    static func pairColumns(_ e: Expression, columns: Set<String>) -> Expression {
        func walk(_ e: Expression) -> Expression {
            switch e {
            case .literal: return e
            case let .column(q, name, at):
                guard q == nil, name.count > 2 else { return e }
                let base = String(name.dropLast(2))
                if name.hasSuffix("_l"), columns.contains(base) { return .column(qualifier: "l", name: base, at: at) }
                if name.hasSuffix("_r"), columns.contains(base) { return .column(qualifier: "r", name: base, at: at) }
                return e
            case let .unary(op, x, at): return .unary(op, walk(x), at: at)
            case let .binary(op, a, b, at): return .binary(op, walk(a), walk(b), at: at)
            case let .isNull(x, negated, at): return .isNull(walk(x), negated: negated, at: at)
            case let .inList(x, list, negated, at): return .inList(walk(x), list.map(walk), negated: negated, at: at)
            case let .between(x, lo, hi, negated, at): return .between(walk(x), low: walk(lo), high: walk(hi), negated: negated, at: at)
            case let .like(x, p, negated, ci, at): return .like(walk(x), pattern: walk(p), negated: negated, caseInsensitive: ci, at: at)
            case let .caseWhen(branches, otherwise, at):
                return .caseWhen(branches.map { CaseBranch(condition: walk($0.condition), value: walk($0.value)) }, otherwise: otherwise.map(walk), at: at)
            case let .call(name, args, at): return .call(name, args.map(walk), at: at)
            case let .cast(x, type, at): return .cast(walk(x), type, at: at)
            }
        }
        return walk(e)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
