// MotifFilter: turns `--where` text into conjuncts the planner places at binding time.
//
// Interim grammar until the shared expression language (Columnar/Expression) lands:
// conjuncts joined by `and`, each `operand op operand` with op in < <= > >= = == != <>,
// operands `name.field`, numbers, or 'quoted strings'.

import Columnar
import PropertyGraph

public enum MotifFilter {
    /// Splits `text` into conjuncts over the pattern's named elements.
    /// Fields: for a vertex `id` or a vertex property; for an edge `src`, `dst` or an edge
    /// property. Comparisons with a null are false (SQL semantics).
    public static func conjuncts(_ text: String, graph: PropertyGraph, query: MotifQuery, endpointColumns: [String]) throws -> [MotifConjunct] {
        func fail(_ m: String) -> MotifError { MotifError(offset: 0, message: "--where: \(m)", pattern: "") }
        let parts = splitAnd(text)
        var out: [MotifConjunct] = []
        for part in parts {
            guard let (l, op, r) = splitComparison(part) else {
                throw fail("expected a comparison such as 'e1.amount < 10000' in '\(part)'")
            }
            let lhs = try operand(l, graph: graph, query: query, endpoints: endpointColumns, fail: fail)
            let rhs = try operand(r, graph: graph, query: query, endpoints: endpointColumns, fail: fail)
            let names = [lhs.name, rhs.name].compactMap { $0 }
            var unique: [String] = []
            for n in names where !unique.contains(n) { unique.append(n) }
            let l2 = lhs, r2 = rhs
            out.append(MotifConjunct(names: unique, description: part) { slots in
                let ls = l2.name.map { slots[unique.firstIndex(of: $0)!] }
                let rs = r2.name.map { slots[unique.firstIndex(of: $0)!] }
                // Fast paths: ids compare as dense ids (their order follows the external
                // order), numbers and times as doubles from flat arrays.
                if l2.kindIsID == r2.kindIsID, let lf = l2.fast(ls), let rf = r2.fast(rs) {
                    switch op {
                    case "<": return { b in lf(b) < rf(b) }
                    case "<=": return { b in lf(b) <= rf(b) }
                    case ">": return { b in lf(b) > rf(b) }
                    case ">=": return { b in lf(b) >= rf(b) }
                    case "=", "==": return { b in lf(b) == rf(b) }
                    default: return { b in lf(b) != rf(b) }
                    }
                }
                return { b in
                    let x = l2.value(b, ls), y = r2.value(b, rs)
                    guard let c = compare(x, y) else { return false }
                    switch op {
                    case "<": return c < 0
                    case "<=": return c <= 0
                    case ">": return c > 0
                    case ">=": return c >= 0
                    case "=", "==": return c == 0
                    default: return c != 0
                    }
                }
            })
        }
        return out
    }

    struct Operand {
        var name: String?
        var constant: Value = .null
        var column: Column?
        /// For edge endpoints: 0 src, 1 dst; for vertex ids: 2.
        var endpoint: Int?
        var graph: PropertyGraph?

        /// A numeric accessor when this operand can be read without `Value`s: a numeric
        /// constant, an id compared with another id (dense ids), or a non-null numeric or time
        /// column. Ids and numbers never mix here (both sides must be ids or both numbers),
        /// which `kindIsID` tells.
        var numbers: [Double]?
        var kindIsID: Bool { endpoint != nil }

        func fast(_ slot: MotifSlot?) -> ((MotifBinding) -> Double)? {
            if slot == nil {
                guard let d = constant.doubleValue ?? constant.intValue.map(Double.init) else { return nil }
                return { _ in d }
            }
            guard let slot, let graph else { return nil }
            if let endpoint {
                let src = graph.src, dst = graph.dst
                switch (slot, endpoint) {
                case let (.vertex(v), _): return { b in Double(b.vertices[v]) }
                case let (.edge(e), 0): return { b in Double(src[Int(b.edges[e])]) }
                case let (.edge(e), _): return { b in Double(dst[Int(b.edges[e])]) }
                }
            }
            guard let numbers else { return nil }
            switch slot {
            case let .vertex(v): return { b in numbers[Int(b.vertices[v])] }
            case let .edge(e): return { b in numbers[Int(b.edges[e])] }
            }
        }

        func value(_ b: MotifBinding, _ slot: MotifSlot?) -> Value {
            guard let slot, let graph else { return constant }
            let row: Int
            switch slot {
            case let .vertex(v): row = Int(b.vertices[v])
            case let .edge(e): row = Int(b.edges[e])
            }
            if let endpoint {
                switch endpoint {
                case 0: return graph.ids.column.value(at: Int(graph.src[row]))
                case 1: return graph.ids.column.value(at: Int(graph.dst[row]))
                default: return graph.ids.column.value(at: row)
                }
            }
            return column!.value(at: row)
        }
    }

    static func operand(_ s: String, graph: PropertyGraph, query: MotifQuery, endpoints: [String], fail: (String) -> MotifError) throws -> Operand {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("'"), t.hasSuffix("'"), t.count >= 2 { return Operand(constant: .string(String(t.dropFirst().dropLast()))) }
        if let i = Int64(t) { return Operand(constant: .int(i)) }
        if let d = Double(t) { return Operand(constant: .double(d)) }
        let pieces = t.split(separator: ".", maxSplits: 1).map(String.init)
        guard pieces.count == 2, let el = query.elements.first(where: { $0.name == pieces[0] }) else {
            throw fail("'\(t)' is not a number, a 'string' or name.field over the pattern's names (\(query.elements.map(\.name).joined(separator: ", ")))")
        }
        var o = Operand(name: el.name, graph: graph)
        switch el.kind {
        case .vertex:
            if pieces[1] == "id" { o.endpoint = 2 } else {
                guard let c = try? graph.vertexProperties.column(pieces[1]) else {
                    throw fail("vertex '\(el.name)' has no field '\(pieces[1])' (fields: \(graph.vertexProperties.columnNames.joined(separator: ", ")))")
                }
                o.column = c
            }
        case .edge:
            if pieces[1] == "src" { o.endpoint = 0 } else if pieces[1] == "dst" { o.endpoint = 1 } else {
                guard let c = try? graph.edgeProperties.column(pieces[1]) else {
                    throw fail("edge '\(el.name)' has no field '\(pieces[1])' (fields: src, dst, \(graph.edgeProperties.columnNames.filter { !endpoints.contains($0) }.joined(separator: ", ")))")
                }
                o.column = c
            }
        }
        if let c = o.column, c.nullCount == 0 {
            switch c.data {
            case let .double(a): o.numbers = a
            case let .int64(a): o.numbers = a.map(Double.init)
            case let .int32(a): o.numbers = a.map(Double.init)
            case let .timestamp(a): o.numbers = a.map(Double.init)
            default: break
            }
        }
        return o
    }

    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.null, _), (_, .null): return nil
        case let (.string(x), .string(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.timestamp(x), .timestamp(y)), let (.int(x), .int(y)): return x < y ? -1 : (x == y ? 0 : 1)
        default:
            guard let x = a.doubleValue ?? a.intValue.map(Double.init), let y = b.doubleValue ?? b.intValue.map(Double.init) else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    static func splitAnd(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuote = false
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        for w in words {
            if !inQuote && w.lowercased() == "and" { parts.append(current); current = ""; continue }
            for ch in w where ch == "'" { inQuote.toggle() }
            current += (current.isEmpty ? "" : " ") + w
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func splitComparison(_ s: String) -> (String, String, String)? {
        for op in ["<=", ">=", "!=", "<>", "==", "<", ">", "="] {
            if let r = s.range(of: op) {
                return (String(s[..<r.lowerBound]), op, String(s[r.upperBound...]))
            }
        }
        return nil
    }
}

import Foundation
