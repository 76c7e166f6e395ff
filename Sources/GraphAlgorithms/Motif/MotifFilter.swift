// MotifFilter: turns `--where` text (the shared expression language in Columnar) into
// conjuncts the planner places at binding time.
//
// Each named element is a qualifier: a vertex `a` reads `a.id` and the vertex properties; an
// edge `e1` reads `e1.src`, `e1.dst` (external ids) and the edge properties. The filter is
// split at its top-level `and`s. A conjunct that reads one element is evaluated for every
// vertex or edge at once (vectorised) and checked as a mask lookup when the element is bound;
// a comparison of two plain references is compiled to flat-array reads; anything else runs
// the expression's single-row evaluator on the bound rows.

import Columnar
import PropertyGraph

public enum MotifFilter {
    /// Splits `text` into conjuncts over the pattern's named elements. Parse and type errors
    /// are the expression language's located `ExpressionError`s. Nulls make a conjunct false
    /// (SQL `where`).
    public static func conjuncts(_ text: String, graph: PropertyGraph, query: MotifQuery, endpointColumns: [String]) throws -> [MotifConjunct] {
        let expression = try Expression.parse(text)
        let vertexTable = graph.vertexProperties
        var edgeTable = try Table([("src", graph.ids.column(for: graph.src)), ("dst", graph.ids.column(for: graph.dst))])
        for (f, c) in zip(graph.edgeProperties.schema.fields, graph.edgeProperties.columns) where !endpointColumns.contains(f.name) && f.name != "src" && f.name != "dst" {
            edgeTable = try edgeTable.adding(f.name, c)
        }
        var scope = ExpressionScope()
        var tables: [String: Table] = [:]
        for el in query.elements {
            let t = el.kind == .vertex ? vertexTable : edgeTable
            scope.bind(el.name, t.schema)
            tables[el.name] = t
        }
        scope.plainQualifiers = []
        var out: [MotifConjunct] = []
        for part in expression.conjuncts {
            let source = text
            let evaluator = try ExpressionEvaluator(part, source: source, scope: scope)
            try evaluator.requireBool("a --where condition")
            let order = query.elements.map(\.name)
            let names = order.filter { evaluator.qualifiers.contains($0) }
            let description = describe(part, text)
            if names.count == 1 {
                let name = names[0]
                let mask = try evaluator.mask([name: ExpressionInput(tables[name]!)])
                out.append(MotifConjunct(names: names, description: description) { slots in
                    switch slots[0] {
                    case let .vertex(v): return { b in mask[Int(b.vertices[v])] }
                    case let .edge(e): return { b in mask[Int(b.edges[e])] }
                    }
                })
                continue
            }
            if let fast = FastComparison(part, graph: graph, query: query, tables: tables, names: names) {
                out.append(MotifConjunct(names: names, description: description) { slots in fast.test(slots) })
                continue
            }
            let row = try evaluator.rowEvaluator(tables)
            let qualifierNames = row.qualifiers
            out.append(MotifConjunct(names: names, description: description) { slots in
                let positions = qualifierNames.map { q in slots[names.firstIndex(of: q)!] }
                return { b in
                    let rows = positions.map { s -> Int in
                        switch s {
                        case let .vertex(v): return Int(b.vertices[v])
                        case let .edge(e): return Int(b.edges[e])
                        }
                    }
                    return (try? row.test(rows: rows)) ?? false
                }
            })
        }
        return out
    }

    static func describe(_ e: Expression, _ text: String) -> String {
        let bytes = Array(text.utf8)
        let start = min(max(0, e.offset), bytes.count)
        return String(decoding: bytes[start...], as: UTF8.self).components(separatedBy: " and ").first ?? text
    }

    /// `x op y` where each side is a numeric or time column, an id (`v.id`, `e.src`,
    /// `e.dst`, compared as dense ids, whose order follows the external ids), or a numeric
    /// literal: read from flat arrays with no `Value`s.
    struct FastComparison {
        enum Side {
            case constant(Double)
            case vertexID(String)
            case edgeEnd(String, dst: Bool)
            case vertexNumbers(String, [Double])
            case edgeNumbers(String, [Double])
        }
        let op: BinaryOperator
        let lhs: Side, rhs: Side
        let names: [String]
        let src: [UInt32], dst: [UInt32]

        init?(_ e: Expression, graph: PropertyGraph, query: MotifQuery, tables: [String: Table], names: [String]) {
            guard case let .binary(op, l, r, _) = e, [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op) else { return nil }
            func side(_ x: Expression) -> Side? {
                switch x {
                case let .literal(v, _):
                    guard let d = v.doubleValue ?? v.intValue.map(Double.init) else { return nil }
                    return .constant(d)
                case let .column(q?, n, _):
                    guard let el = query.elements.first(where: { $0.name == q }) else { return nil }
                    if el.kind == .vertex && n == "id" { return .vertexID(q) }
                    if el.kind == .edge && (n == "src" || n == "dst") { return .edgeEnd(q, dst: n == "dst") }
                    guard let c = try? tables[q]!.column(n), c.nullCount == 0 else { return nil }
                    let numbers: [Double]
                    switch c.data {
                    case let .double(a): numbers = a
                    case let .int64(a): numbers = a.map(Double.init)
                    case let .int32(a): numbers = a.map(Double.init)
                    case let .timestamp(a): numbers = a.map(Double.init)
                    default: return nil
                    }
                    return el.kind == .vertex ? .vertexNumbers(q, numbers) : .edgeNumbers(q, numbers)
                default: return nil
                }
            }
            guard let a = side(l), let b = side(r) else { return nil }
            func isID(_ s: Side) -> Bool { if case .vertexID = s { return true }; if case .edgeEnd = s { return true }; return false }
            // Ids compare with ids only; numbers (and constants) with numbers.
            guard isID(a) == isID(b) else { return nil }
            self.op = op
            lhs = a; rhs = b
            self.names = names
            src = graph.src; dst = graph.dst
        }

        func reader(_ s: Side, _ slots: [MotifSlot]) -> (MotifBinding) -> Double {
            func slot(_ q: String) -> MotifSlot { slots[names.firstIndex(of: q)!] }
            switch s {
            case let .constant(d): return { _ in d }
            case let .vertexID(q):
                guard case let .vertex(v) = slot(q) else { return { _ in .nan } }
                return { b in Double(b.vertices[v]) }
            case let .edgeEnd(q, isDst):
                guard case let .edge(e) = slot(q) else { return { _ in .nan } }
                let ends = isDst ? dst : src
                return { b in Double(ends[Int(b.edges[e])]) }
            case let .vertexNumbers(q, a):
                guard case let .vertex(v) = slot(q) else { return { _ in .nan } }
                return { b in a[Int(b.vertices[v])] }
            case let .edgeNumbers(q, a):
                guard case let .edge(e) = slot(q) else { return { _ in .nan } }
                return { b in a[Int(b.edges[e])] }
            }
        }

        func test(_ slots: [MotifSlot]) -> (MotifBinding) -> Bool {
            let l = reader(lhs, slots), r = reader(rhs, slots)
            switch op {
            case .less: return { b in l(b) < r(b) }
            case .lessOrEqual: return { b in l(b) <= r(b) }
            case .greater: return { b in l(b) > r(b) }
            case .greaterOrEqual: return { b in l(b) >= r(b) }
            case .equal: return { b in l(b) == r(b) }
            default: return { b in l(b) != r(b) }
            }
        }
    }
}
