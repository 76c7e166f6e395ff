/// Recursive-descent parser for the expression language.
///
/// Grammar (keywords are case-insensitive; loosest binding first):
///
///     expr       := or
///     or         := and ('or' and)*
///     and        := not ('and' not)*
///     not        := 'not' not | predicate
///     predicate  := additive ( compare additive
///                            | 'is' ['not'] 'null'
///                            | ['not'] 'in' '(' expr (',' expr)* ')'
///                            | ['not'] 'between' additive 'and' additive
///                            | ['not'] ('like' | 'ilike') additive )*
///     compare    := '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='
///     additive   := multiply (('+' | '-' | '||') multiply)*
///     multiply   := unary (('*' | '/' | '%') unary)*
///     unary      := ('-' | '+') unary | primary
///     primary    := integer | decimal | duration | string | 'true' | 'false' | 'null'
///                 | '(' expr ')'
///                 | 'case' ('when' expr 'then' expr)+ ['else' expr] 'end'
///                 | 'cast' '(' expr 'as' type ')'
///                 | name '(' [expr (',' expr)*] ')'
///                 | name ['.' name]
///
/// This is SQL's precedence (PostgreSQL, DuckDB). O(length) time.
///
/// Every later pass (type checking, evaluation, printing) recurses over the tree, so the
/// parser bounds the tree's height, not just its nesting: hostile input cannot exhaust the
/// stack. `and`/`or` chains are built as balanced trees (both are associative in SQL's
/// three-valued logic), so a filter of 100,000 conjuncts is fine. Left-associative chains
/// whose grouping changes results (`+`, `-`, `*`, `/`, `||`, comparisons) keep SQL's
/// left-deep shape, and a chain that would make the tree taller than `maxDepth` is refused
/// with a clean error.
public struct ExpressionParser {
    /// Tallest expression tree accepted: nesting plus the length of left-deep operator chains.
    public static let maxDepth = 200

    private let source: String
    private let tokens: [ExpressionToken]
    private var position = 0
    private var depth = 0
    /// Operators of left-deep chains still open on the call stack; each adds one level to the tree.
    private var openChain = 0

    private static let reserved: Set<String> = [
        "and", "or", "not", "is", "null", "true", "false", "in", "between", "like", "ilike",
        "case", "when", "then", "else", "end", "as",
    ]

    /// Parses a whole expression; trailing tokens are an error.
    public static func parse(_ text: String) throws -> Expression {
        var parser = try ExpressionParser(text)
        guard parser.current.kind != .end else { throw parser.error("expected an expression but the text is empty") }
        let e = try parser.parseExpression()
        guard parser.current.kind == .end else {
            throw parser.error("expected an operator or the end of the expression but found \(parser.current.display)")
        }
        return e
    }

    /// Parses a comma-separated list of `expr [as name]` items (for projections such as
    /// `--columns 'a, b * 2 as doubled'`). Items without `as` are named by their text.
    public static func parseProjection(_ text: String) throws -> [(name: String, expression: Expression)] {
        var parser = try ExpressionParser(text)
        var items: [(name: String, expression: Expression)] = []
        let scalars = Array(text.unicodeScalars)
        repeat {
            if !items.isEmpty { parser.position += 1 }
            let start = parser.current.offset
            let e = try parser.parseExpression()
            let end = parser.current.offset
            var name = String(String.UnicodeScalarView(scalars[start..<end])).trimmingSpaces()
            if case let .column(_, column, _) = e { name = column }
            if parser.current.isKeyword("as") {
                parser.position += 1
                guard case let .identifier(alias, _) = parser.current.kind else {
                    throw parser.error("expected a column name after 'as' but found \(parser.current.display)")
                }
                name = alias
                parser.position += 1
            }
            items.append((name, e))
        } while parser.current.kind == .symbol(",")
        guard parser.current.kind == .end else {
            throw parser.error("expected ',' or the end of the column list but found \(parser.current.display)")
        }
        return items
    }

    private init(_ text: String) throws {
        source = text
        tokens = try ExpressionLexer.tokenize(text)
    }

    private var current: ExpressionToken { tokens[position] }

    private func error(_ message: String, at offset: Int? = nil) -> ExpressionError {
        ExpressionError(.syntax, message, source: source, offset: offset ?? current.offset)
    }

    private mutating func advance() -> ExpressionToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    private mutating func acceptKeyword(_ k: String) -> Bool {
        if current.isKeyword(k) { position += 1; return true }
        return false
    }

    private mutating func acceptSymbol(_ s: String) -> Bool {
        if current.kind == .symbol(s) { position += 1; return true }
        return false
    }

    private mutating func expectSymbol(_ s: String, _ context: String) throws {
        guard acceptSymbol(s) else { throw error("expected '\(s)' \(context) but found \(current.display)") }
    }

    private mutating func expectKeyword(_ k: String, _ context: String) throws {
        guard acceptKeyword(k) else { throw error("expected '\(k)' \(context) but found \(current.display)") }
    }

    private mutating func nested<T>(_ body: (inout ExpressionParser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth + openChain <= Self.maxDepth else { throw error("expression nests deeper than \(Self.maxDepth) levels") }
        return try body(&self)
    }

    /// Counts one more operator in a left-deep chain; `links` is the caller's running count,
    /// released by `closeChain` when its loop ends.
    private mutating func extendChain(_ links: inout Int, _ op: String) throws {
        links += 1
        openChain += 1
        guard depth + openChain <= Self.maxDepth else {
            throw error("expression is too long: more than \(Self.maxDepth) chained '\(op)' operations; split it into parts or use fewer terms")
        }
    }

    private mutating func closeChain(_ links: Int) { openChain -= links }

    /// Joins operands of an associative operator into a balanced tree (height log₂ n).
    private static func balanced(_ op: BinaryOperator, _ operands: ArraySlice<Expression>) -> Expression {
        if operands.count == 1 { return operands[operands.startIndex] }
        let mid = operands.startIndex + operands.count / 2
        let left = balanced(op, operands[..<mid])
        return .binary(op, left, balanced(op, operands[mid...]), at: left.offset)
    }

    mutating func parseExpression() throws -> Expression { try nested { try $0.parseOr() } }

    private mutating func parseOr() throws -> Expression {
        var operands = [try parseAnd()]
        while acceptKeyword("or") { operands.append(try parseAnd()) }
        return Self.balanced(.or, operands[...])
    }

    private mutating func parseAnd() throws -> Expression {
        var operands = [try parseNot()]
        while acceptKeyword("and") { operands.append(try parseNot()) }
        return Self.balanced(.and, operands[...])
    }

    private mutating func parseNot() throws -> Expression {
        if current.isKeyword("not") {
            let at = advance().offset
            return .unary(.not, try nested { try $0.parseNot() }, at: at)
        }
        return try parsePredicate()
    }

    private mutating func parsePredicate() throws -> Expression {
        var left = try parseAdditive()
        var links = 0
        defer { closeChain(links) }
        while true {
            try extendChain(&links, "comparison")
            if case let .symbol(s) = current.kind, let op = Self.comparison(s) {
                position += 1
                left = .binary(op, left, try parseAdditive(), at: left.offset)
                continue
            }
            if acceptKeyword("is") {
                let negated = acceptKeyword("not")
                try expectKeyword("null", negated ? "after 'is not'" : "after 'is'")
                left = .isNull(left, negated: negated, at: left.offset)
                continue
            }
            let save = position
            let negated = acceptKeyword("not")
            if acceptKeyword("in") {
                try expectSymbol("(", "after 'in'")
                var list = [try parseExpression()]
                while acceptSymbol(",") { list.append(try parseExpression()) }
                try expectSymbol(")", "to close the 'in' list")
                left = .inList(left, list, negated: negated, at: left.offset)
            } else if acceptKeyword("between") {
                let low = try parseAdditive()
                try expectKeyword("and", "between the bounds of 'between'")
                let high = try parseAdditive()
                left = .between(left, low: low, high: high, negated: negated, at: left.offset)
            } else if current.isKeyword("like") || current.isKeyword("ilike") {
                let insensitive = advance().isKeyword("ilike")
                left = .like(left, pattern: try parseAdditive(), negated: negated, caseInsensitive: insensitive, at: left.offset)
            } else {
                if negated {
                    position = save
                    throw error("expected 'in', 'between' or 'like' after 'not' but found \(tokens[save + 1].display)", at: tokens[save + 1].offset)
                }
                return left
            }
        }
    }

    private static func comparison(_ s: String) -> BinaryOperator? {
        switch s {
        case "=", "==": return .equal
        case "!=", "<>": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        case ">=": return .greaterOrEqual
        default: return nil
        }
    }

    private mutating func parseAdditive() throws -> Expression {
        var left = try parseMultiplicative()
        var links = 0
        defer { closeChain(links) }
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .symbol("+"): op = .add
            case .symbol("-"): op = .subtract
            case .symbol("||"): op = .concat
            default: return left
            }
            position += 1
            try extendChain(&links, op.rawValue)
            left = .binary(op, left, try parseMultiplicative(), at: left.offset)
        }
    }

    private mutating func parseMultiplicative() throws -> Expression {
        var left = try parseUnary()
        var links = 0
        defer { closeChain(links) }
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .symbol("*"): op = .multiply
            case .symbol("/"): op = .divide
            case .symbol("%"): op = .modulo
            default: return left
            }
            position += 1
            try extendChain(&links, op.rawValue)
            left = .binary(op, left, try parseUnary(), at: left.offset)
        }
    }

    private mutating func parseUnary() throws -> Expression {
        if current.kind == .symbol("-") {
            let at = advance().offset
            let operand = try nested { try $0.parseUnary() }
            // Fold literals so that `-9223372036854775808`-style extremes and `-1.5` stay constants.
            if case let .literal(.int(v), _) = operand { return .literal(.int(0 &- v), at: at) }
            if case let .literal(.double(v), _) = operand { return .literal(.double(-v), at: at) }
            return .unary(.negate, operand, at: at)
        }
        if acceptSymbol("+") { return try nested { try $0.parseUnary() } }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> Expression {
        let token = current
        switch token.kind {
        case let .integer(v): position += 1; return .literal(.int(v), at: token.offset)
        case let .decimal(v): position += 1; return .literal(.double(v), at: token.offset)
        case let .duration(v): position += 1; return .literal(.int(v), at: token.offset)
        case let .string(s): position += 1; return .literal(.string(s), at: token.offset)
        case .symbol("("):
            position += 1
            let e = try parseExpression()
            try expectSymbol(")", "to close the '(' at column \(token.offset + 1)")
            return e
        case let .identifier(name, quoted):
            position += 1
            let lower = name.lowercased()
            if !quoted {
                switch lower {
                case "true": return .literal(.bool(true), at: token.offset)
                case "false": return .literal(.bool(false), at: token.offset)
                case "null": return .literal(.null, at: token.offset)
                case "case": return try parseCase(at: token.offset)
                case "cast" where current.kind == .symbol("("): return try parseCast(at: token.offset)
                default:
                    if Self.reserved.contains(lower) {
                        throw error("expected a value or a column name but found the keyword '\(name)'", at: token.offset)
                    }
                }
            }
            if !quoted, acceptSymbol("(") {
                var args: [Expression] = []
                if !acceptSymbol(")") {
                    repeat { args.append(try parseExpression()) } while acceptSymbol(",")
                    try expectSymbol(")", "to close the arguments of \(lower)()")
                }
                return .call(lower, args, at: token.offset)
            }
            if acceptSymbol(".") {
                guard case let .identifier(column, _) = current.kind else {
                    throw error("expected a column name after '\(name).' but found \(current.display)")
                }
                position += 1
                return .column(qualifier: name, name: column, at: token.offset)
            }
            return .column(qualifier: nil, name: name, at: token.offset)
        case .end:
            throw error("expected a value, a column name or '(' but the expression ended")
        default:
            throw error("expected a value, a column name or '(' but found \(token.display)")
        }
    }

    private mutating func parseCase(at offset: Int) throws -> Expression {
        var branches: [CaseBranch] = []
        while acceptKeyword("when") {
            let condition = try parseExpression()
            try expectKeyword("then", "after the 'when' condition")
            branches.append(CaseBranch(condition: condition, value: try parseExpression()))
        }
        guard !branches.isEmpty else { throw error("expected 'when' after 'case' but found \(current.display)") }
        var otherwise: Expression?
        if acceptKeyword("else") { otherwise = try parseExpression() }
        try expectKeyword("end", "to close the 'case' at column \(offset + 1)")
        return .caseWhen(branches, otherwise: otherwise, at: offset)
    }

    private mutating func parseCast(at offset: Int) throws -> Expression {
        try expectSymbol("(", "after 'cast'")
        let value = try parseExpression()
        try expectKeyword("as", "in cast(value as type)")
        guard case let .identifier(name, _) = current.kind, let type = ExpressionType.named(name) else {
            throw error("expected a type (int, double, string, bool, date, timestamp) but found \(current.display)")
        }
        position += 1
        try expectSymbol(")", "to close cast(...)")
        return .cast(value, type, at: offset)
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
