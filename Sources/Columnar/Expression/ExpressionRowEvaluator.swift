/// Single-row evaluation for search loops (motif matching, pairwise comparison).
///
/// The tables are bound once; each call reads only the cells the expression references, at
/// the row given for each qualifier, and walks the typed tree. No vectors are built.
/// Cost per call: O(nodes). It holds only immutable state, so one instance may be shared by
/// many threads.
public struct ExpressionRowEvaluator: @unchecked Sendable {
    /// The qualifiers, in the order `value(rows:)` expects their row numbers.
    public let qualifiers: [String]
    private let evaluator: ExpressionEvaluator
    private let columns: [Column]
    /// For each reference, its position in `qualifiers`.
    private let slotOfReference: [Int]

    init(_ evaluator: ExpressionEvaluator, _ tables: [String: Table]) throws {
        self.evaluator = evaluator
        var qualifiers: [String] = []
        var columns: [Column] = [], slots: [Int] = []
        for ref in evaluator.references {
            guard let table = tables[ref.qualifier] else {
                throw ColumnarError.invalidArgument("expression \"\(evaluator.source)\" reads '\(ref.qualifier)' but no table was bound to it")
            }
            let c = try table.column(ref.name)
            guard c.type == ref.dataType else { throw ColumnarError.typeMismatch(column: ref.name, expected: ref.dataType.description, found: c.type) }
            columns.append(c)
            if let s = qualifiers.firstIndex(of: ref.qualifier) { slots.append(s) } else { qualifiers.append(ref.qualifier); slots.append(qualifiers.count - 1) }
        }
        self.qualifiers = qualifiers
        self.columns = columns
        slotOfReference = slots
    }

    /// The value for one combination of rows: `rows[i]` is the row of `qualifiers[i]`.
    public func value(rows: [Int]) throws -> Value {
        do {
            return try scalar(evaluator.root) { ref in normalise(columns[ref].value(at: rows[slotOfReference[ref]])) }
        } catch let e as ScalarFailureAt {
            throw ExpressionError(.evaluation, e.message, source: evaluator.source, offset: e.offset)
        }
    }

    /// The value with rows given by qualifier (convenience; slower than `value(rows:)`).
    public func value(_ rows: [String: Int]) throws -> Value {
        try value(rows: qualifiers.map { rows[$0] ?? 0 })
    }

    /// SQL `where` semantics for one row: true only when the value is `true` (null is false).
    public func test(rows: [Int]) throws -> Bool {
        if case .bool(true) = try value(rows: rows) { return true }
        return false
    }
}
