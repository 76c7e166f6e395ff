/// A row filter in the expression language (`--where` everywhere: `select`, `convert`,
/// `delta read`, `motif`'s edges): keeps the rows where the expression is true; false and
/// null drop the row, as SQL's `WHERE` does.
///
/// Storage layers ask it for `comparisons(in:)`, the top-level `column op literal` conjuncts,
/// to skip files and row groups by statistics; the full expression then filters the rows that
/// were read, so a result never depends on what was skipped.
public struct RowFilter: Sendable {
    /// The parsed expression.
    public let expression: Expression
    /// Its text, for error messages.
    public let source: String

    /// Parses `text`; syntax errors point at the offending token.
    public init(_ text: String) throws {
        expression = try Expression.parse(text)
        source = text
    }

    /// The plain column names the expression reads, in source order.
    public var columns: [String] { expression.columnReferences.filter { $0.qualifier == nil }.map(\.name) }

    /// The top-level `and` terms of the form `column op literal` (or `literal op column`,
    /// flipped) whose literal has the column's kind (number, text, bool) in `schema`. A subset
    /// of the filter: every row the filter keeps satisfies each of them. O(expression size).
    public func comparisons(in schema: Schema) -> [ColumnComparison] {
        var out: [ColumnComparison] = []
        for term in expression.conjuncts {
            guard case let .binary(op, a, b, _) = term, let cop = ColumnComparison.Op(op) else { continue }
            var name: String, literal: Value, flipped = false
            if case let .column(nil, n, _) = a, case let .literal(v, _) = b { name = n; literal = v } else if case let .literal(v, _) = a, case let .column(nil, n, _) = b {
                name = n; literal = v; flipped = true
            } else { continue }
            guard let field = schema.fields.first(where: { $0.name == name }), !literal.isNull else { continue }
            let kindsAgree: Bool
            switch (field.type, literal) {
            case (.string, .string), (.bool, .bool): kindsAgree = true
            case (.int64, .int), (.int32, .int), (.double, .int), (.double, .double), (.float, .int), (.float, .double): kindsAgree = true
            case (.int64, .double), (.int32, .double): kindsAgree = true
            case (.decimal, .int), (.decimal, .double):
                // The expression language compares decimals as doubles: skipping compares the
                // same way (rounding is monotone, so no row it would keep is skipped).
                kindsAgree = true
                if let d = literal.doubleValue { literal = .double(d) }
            default: kindsAgree = false
            }
            guard kindsAgree else { continue }
            out.append(ColumnComparison(name, flipped ? cop.flipped : cop, literal))
        }
        return out
    }

    /// The rows of `table` where the expression is true, in order. Type errors (an unknown
    /// column, a non-boolean filter) name the column and point into the text.
    /// O(rows · expression size).
    public func apply(_ table: Table, option: String = "--where") throws -> Table {
        let evaluator = try ExpressionEvaluator(expression, source: source, scope: ExpressionScope([("", table.schema)]))
        try evaluator.requireBool(option)
        let keep = try evaluator.selection(["": ExpressionInput(table)], rowCount: table.rowCount)
        return keep.count == table.rowCount ? table : table.gather(keep)
    }

    /// One Bool per row of `table`: true where the expression is true.
    /// O(rows · expression size).
    public func mask(_ table: Table, option: String = "--where") throws -> [Bool] {
        let evaluator = try ExpressionEvaluator(expression, source: source, scope: ExpressionScope([("", table.schema)]))
        try evaluator.requireBool(option)
        return try evaluator.mask(["": ExpressionInput(table)], rowCount: table.rowCount)
    }

    /// Type-checks the filter against `schema` without reading data.
    public func check(_ schema: Schema, option: String = "--where") throws {
        try ExpressionEvaluator(expression, source: source, scope: ExpressionScope([("", schema)])).requireBool(option)
    }
}

extension ColumnComparison.Op {
    /// The comparison operator of the expression language, nil for other operators.
    public init?(_ op: BinaryOperator) {
        switch op {
        case .equal: self = .eq
        case .notEqual: self = .ne
        case .less: self = .lt
        case .lessOrEqual: self = .le
        case .greater: self = .gt
        case .greaterOrEqual: self = .ge
        default: return nil
        }
    }

    /// The operator with its operands swapped (`a < b` is `b > a`).
    public var flipped: ColumnComparison.Op {
        switch self {
        case .eq, .ne: return self
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        }
    }
}
