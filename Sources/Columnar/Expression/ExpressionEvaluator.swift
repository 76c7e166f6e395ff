import Foundation

/// A parsed, type-checked expression ready to evaluate over columns.
///
/// Evaluation is vectorised: `evaluate` computes all N rows of a node before its parent, on
/// flat typed arrays for columns, literals, arithmetic, comparisons, `and`/`or`/`not`,
/// `is null`, `coalesce` and int-to-double casts. Other nodes (`case`, `like`, `in`, string
/// functions) run row by row with the same semantics (`ExpressionScalar`), which also keeps
/// `case` lazy: a branch that is not taken is never evaluated, so it cannot raise an error.
/// Cost: O(N · nodes); results do not depend on thread count or chunking.
///
/// For searches that test one candidate at a time, `rowEvaluator` binds the tables once and
/// evaluates a single row without building vectors.
public final class ExpressionEvaluator: @unchecked Sendable {
    /// The parsed expression.
    public let expression: Expression
    /// The expression text (for error messages).
    public let source: String
    /// The type of the result.
    public let resultType: ExpressionType
    /// The columns read, deduplicated.
    public let references: [ExpressionColumnReference]
    let root: TypedNode

    /// Parses and type-checks `text` against `scope`.
    public convenience init(_ text: String, scope: ExpressionScope) throws {
        try self.init(try Expression.parse(text), source: text, scope: scope)
    }

    /// Type-checks an already parsed expression; `source` is its text, for error messages.
    public init(_ expression: Expression, source: String, scope: ExpressionScope) throws {
        var checker = ExpressionTypeChecker(source: source, scope: scope)
        root = try checker.check(expression)
        references = checker.references
        self.expression = expression
        self.source = source
        resultType = root.type
    }

    /// The qualifiers whose tables this expression reads.
    public var qualifiers: Set<String> { Set(references.map(\.qualifier)) }

    /// Throws a type error unless the result is a bool (for filters).
    public func requireBool(_ what: String = "a filter") throws {
        guard resultType == .bool || resultType == .null else {
            throw ExpressionError(.typeMismatch, "\(what) must be true or false but this expression is \(resultType)", source: source, offset: root.offset)
        }
    }

    // MARK: Vectorised evaluation

    /// Evaluates every row. `inputs` maps each qualifier the expression reads to its table
    /// and row positions; all must describe the same number of rows (`rowCount`, needed only
    /// when the expression reads no columns and no inputs are given). Returns a nullable column of
    /// `resultType.dataType`.
    public func evaluate(_ inputs: [String: ExpressionInput], rowCount: Int? = nil) throws -> Column {
        let frame = try Frame(self, inputs, rowCount)
        return try column(try eval(root, frame), root.type)
    }

    /// `true` where the expression is true; false where it is false or null (SQL `where`).
    public func mask(_ inputs: [String: ExpressionInput], rowCount: Int? = nil) throws -> [Bool] {
        try requireBool()
        let frame = try Frame(self, inputs, rowCount)
        switch try eval(root, frame) {
        case let .bool(v, m):
            guard let m else { return v }
            return zip(v, m).map { $0 && $1 }
        case .int:
            return [Bool](repeating: false, count: frame.count)
        case let .values(v):
            return v.map { if case .bool(true) = $0 { return true } else { return false } }
        case .double:
            return [Bool](repeating: false, count: frame.count)
        }
    }

    /// The positions (ascending) where the expression is true.
    public func selection(_ inputs: [String: ExpressionInput], rowCount: Int? = nil) throws -> [Int] {
        try mask(inputs, rowCount: rowCount).enumerated().compactMap { $0.element ? $0.offset : nil }
    }

    /// Binds `tables` (qualifier -> table) for single-row evaluation.
    public func rowEvaluator(_ tables: [String: Table]) throws -> ExpressionRowEvaluator {
        try ExpressionRowEvaluator(self, tables)
    }

    func located(_ node: TypedNode, _ body: () throws -> Vec) throws -> Vec {
        do { return try body() } catch let f as ScalarFailure {
            throw ExpressionError(.evaluation, f.message, source: source, offset: node.offset)
        }
    }

    /// Where each reference's values come from.
    struct Frame {
        let count: Int
        let columns: [Column]
        /// Table row per evaluated row, per reference (nil = identity).
        let rows: [[Int]?]

        init(_ e: ExpressionEvaluator, _ inputs: [String: ExpressionInput], _ rowCount: Int?) throws {
            var n = rowCount
            var indexCache: [String: [Int]?] = [:]
            var columns: [Column] = [], rows: [[Int]?] = []
            for ref in e.references {
                guard let input = inputs[ref.qualifier] else {
                    throw ColumnarError.invalidArgument("expression \"\(e.source)\" reads '\(ref.qualifier.isEmpty ? ref.name : ref.qualifier + "." + ref.name)' but no table was given for \(ref.qualifier.isEmpty ? "plain names" : "'\(ref.qualifier)'")")
                }
                if let n, input.count != n {
                    throw ColumnarError.invalidArgument("'\(ref.qualifier)' supplies \(input.count) rows but \(n) are being evaluated")
                }
                n = input.count
                let col = try input.table.column(ref.name)
                guard col.type == ref.dataType else { throw ColumnarError.typeMismatch(column: ref.name, expected: ref.dataType.description, found: col.type) }
                columns.append(col)
                if let cached = indexCache[ref.qualifier] { rows.append(cached) } else {
                    let idx = try input.rows.map { try $0.checkedInts(rowCount: input.table.rowCount, qualifier: ref.qualifier) }
                    indexCache[ref.qualifier] = idx
                    rows.append(idx)
                }
            }
            if n == nil, let any = inputs.values.first, inputs.values.allSatisfy({ $0.count == any.count }) { n = any.count }
            guard let n else { throw ColumnarError.invalidArgument("expression \"\(e.source)\" reads no columns; give the row count") }
            count = n
            self.columns = columns
            self.rows = rows
        }

        @inline(__always) func value(_ ref: Int, _ p: Int) -> Value {
            normalise(columns[ref].value(at: rows[ref].map { $0[p] } ?? p))
        }
    }
}

/// Column cells as the expression language's values (decimals and floats become doubles).
@inline(__always) func normalise(_ v: Value) -> Value {
    if case let .decimal(u, s) = v { return .double(Double(u) / pow10(s)) }
    if case let .decimal128(u, s) = v { return .double(Double(u) / pow10(s)) }
    return v
}

/// A vector of N results. `mask` is nil when nothing is null, else true = valid.
/// Ints, timestamps and dates share `.int`; strings and row-wise results use `.values`.
enum Vec {
    case int([Int64], [Bool]?)
    case double([Double], [Bool]?)
    case bool([Bool], [Bool]?)
    case values([Value])

    var count: Int {
        switch self {
        case let .int(a, _): return a.count
        case let .double(a, _): return a.count
        case let .bool(a, _): return a.count
        case let .values(a): return a.count
        }
    }

    var mask: [Bool]? {
        switch self {
        case let .int(_, m), let .double(_, m), let .bool(_, m): return m
        case let .values(v): return v.contains(where: \.isNull) ? v.map { !$0.isNull } : nil
        }
    }

    func value(_ p: Int, _ type: ExpressionType) -> Value {
        switch self {
        case let .int(a, m):
            if let m, !m[p] { return .null }
            switch type {
            case .timestamp: return .timestamp(a[p])
            case .date: return .date(Int32(truncatingIfNeeded: a[p]))
            default: return .int(a[p])
            }
        case let .double(a, m): return m.map { $0[p] } ?? true ? .double(a[p]) : .null
        case let .bool(a, m): return m.map { $0[p] } ?? true ? .bool(a[p]) : .null
        case let .values(a): return a[p]
        }
    }
}

@inline(__always) func combineMasks(_ a: [Bool]?, _ b: [Bool]?) -> [Bool]? {
    guard let a else { return b }
    guard let b else { return a }
    return zip(a, b).map { $0 && $1 }
}
