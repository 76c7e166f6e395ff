import Columnar
import Foundation

/// Making data fit a table before it is written: Spark's ANSI store assignment (casts that
/// may lose nothing, with a range check per value), nullability, `delta.invariants` and
/// CHECK constraints (`delta.constraints.*`). A value that does not fit is an error naming
/// the column and the row; nothing is ever silently changed.
extension DeltaTable {
    /// True when a column of `type` may be written into `field` (with a range check where the
    /// field is narrower): integers into any integral or floating type or a decimal, floating
    /// values into double or a decimal (rounded half away from zero to the scale, as Spark
    /// does), and identical types. Strings, booleans and dates never convert.
    /// A column holding only nulls fits any nullable-or-not field (nullability is checked later).
    static func canStore(_ column: Column, in field: DeltaSchema.DeltaField) -> Bool {
        guard field.type != nil else { return false }
        return column.nullCount == column.count || canStore(column.type, in: field)
    }

    static func canStore(_ type: DataType, in field: DeltaSchema.DeltaField) -> Bool {
        guard let target = field.type else { return false }
        if type == target { return true }
        switch (type, target) {
        case (.int32, .int64), (.int64, .int32), (.int32, .double), (.int64, .double), (.int32, .float), (.int64, .float),
             (.float, .double), (.int32, .decimal), (.int64, .decimal), (.double, .decimal), (.float, .decimal):
            return true
        default:
            return false
        }
    }

    /// `table` with exactly the columns of `fields`, in order: each cast to the field's type
    /// with a range check against the Delta type (`byte`, `short`, `integer`, decimal
    /// precision), absent ones null-filled. Throws naming the column and the 1-based data row
    /// for a value that does not fit or a null in a non-nullable column.
    /// - Complexity: O(rows × columns) for columns that need a cast or check; others are shared.
    static func conform(_ table: Table, to fields: [DeltaSchema.DeltaField], root: String) throws -> Table {
        var pairs: [(String, Column)] = []
        for f in fields {
            guard let type = f.type else {
                throw DeltaError.unsupported("\(root): column '\(f.name)' has type \(f.typeName), which amlgraph cannot write")
            }
            guard let i = table.schema.index(of: f.name) else {
                if !f.nullable {
                    throw DeltaError.schemaMismatch("\(root): column '\(f.name)' is not nullable and is missing from the data")
                }
                pairs.append((f.name, try PartitionValues.constantColumn(.null, type: type, count: table.rowCount)))
                continue
            }
            var c = table.columns[i]
            let range = DeltaSchema.integerRange(f.typeName)
            let narrower = range.map { $0 != Int64.min...Int64.max && !(c.type == .int32 && f.typeName == "integer") } ?? false
            if type.isNested {
                if c.type != type {
                    do { c = try c.reshaped(to: type) } catch {
                        throw DeltaError.schemaMismatch("\(root): column '\(f.name)' is \(c.type) in the data but \(type) in the table: \(error)")
                    }
                }
            } else if c.type != type || narrower {
                c = try storeCast(c, to: type, field: f, range: range, root: root)
            }
            if !f.nullable && c.nullCount > 0 {
                let row = (0..<c.count).first { c.value(at: $0).isNull } ?? 0
                throw DeltaError.schemaMismatch("\(root): column '\(f.name)' is not nullable but data row \(row + 1) holds a null")
            }
            pairs.append((f.name, c))
        }
        return try Table(pairs)
    }

    /// One column cast value by value into `type` (see `conform`).
    static func storeCast(_ c: Column, to type: DataType, field f: DeltaSchema.DeltaField, range: ClosedRange<Int64>?, root: String) throws -> Column {
        var b = ColumnBuilder(type: type, capacity: c.count)
        func misfit(_ row: Int, _ v: Value) -> DeltaError {
            .schemaMismatch("\(root): value \(v) in data row \(row + 1) of column '\(f.name)' does not fit the column's type \(f.typeName)")
        }
        for r in 0..<c.count {
            let v = c.value(at: r)
            switch v {
            case .null:
                b.appendNull()
            case let .int(x):
                switch type {
                case .int32, .int64:
                    if let range, !range.contains(x) { throw misfit(r, v) }
                    b.append(int: x)
                case .float, .double:
                    b.append(double: Double(x))
                case let .decimal(p, s):
                    var unscaled = x
                    var overflow = false
                    for _ in 0..<s where !overflow { (unscaled, overflow) = unscaled.multipliedReportingOverflow(by: 10) }
                    if overflow { throw misfit(r, v) }
                    if p < 19, unscaled.magnitude >= (0..<p).reduce(UInt64(1), { acc, _ in acc * 10 }) { throw misfit(r, v) }
                    try b.append(.decimal(unscaled, scale: s))
                default:
                    throw misfit(r, v)
                }
            case let .double(x):
                guard case let .decimal(p, sc) = type else {
                    do { try b.append(v) } catch { throw misfit(r, v) }
                    continue
                }
                let scaled = (x * pow(10, Double(sc))).rounded(.toNearestOrAwayFromZero)
                let limit = pow(10, Double(min(p, 18)))
                guard scaled.isFinite, abs(scaled) < limit else { throw misfit(r, v) }
                try b.append(.decimal(Int64(scaled), scale: sc))
            default:
                do { try b.append(v) } catch { throw misfit(r, v) }
            }
        }
        return b.finish()
    }

    /// Evaluates the table's `delta.invariants` (field metadata) and CHECK constraints
    /// (`delta.constraints.<name>` settings) on every row of `data`, with the expression
    /// language of Columnar. As in Delta, a row violates a constraint when the expression is
    /// false or null. An expression amlgraph cannot evaluate is an error, never skipped.
    /// - Complexity: O(rows × expression size) per constraint.
    static func checkConstraints(_ data: Table, fields: [DeltaSchema.DeltaField], configuration: [String: String], root: String) throws {
        var rules: [(label: String, expression: String)] = []
        for f in fields { if let e = f.invariant { rules.append(("invariant on column '\(f.name)'", e)) } }
        for key in configuration.keys.sorted() where key.lowercased().hasPrefix("delta.constraints.") {
            rules.append(("CHECK constraint \(key.dropFirst("delta.constraints.".count))", configuration[key]!))
        }
        guard !rules.isEmpty, data.rowCount > 0 else { return }
        let scope = ExpressionScope([("", data.schema)])
        for rule in rules {
            let result: Column
            do {
                let evaluator = try ExpressionEvaluator(rule.expression, scope: scope)
                try evaluator.requireBool("a constraint")
                result = try evaluator.evaluate(["": ExpressionInput(data)], rowCount: data.rowCount)
            } catch let e as ExpressionError {
                throw DeltaError.unsupported("\(root): \(rule.label) (\(rule.expression)) cannot be evaluated by amlgraph: \(e); refusing to write rather than skip it")
            }
            for r in 0..<result.count {
                if case .bool(true) = result.value(at: r) { continue }
                let shown = data.columnNames.prefix(8).map { "\($0)=\(data.columns[data.schema.index(of: $0)!].value(at: r))" }.joined(separator: ", ")
                throw DeltaError.invalidArgument("\(root): \(rule.label) (\(rule.expression)) is violated by data row \(r + 1): \(shown)")
            }
        }
    }
}
