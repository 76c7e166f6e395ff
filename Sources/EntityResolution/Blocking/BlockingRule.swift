import Columnar
import Foundation

/// A blocking rule in the shared expression language over `l` and `r`, split into the
/// equality conjuncts that drive a hash join and the residual conjuncts evaluated on the
/// joined pairs. Splink's double-quoted names (`l."amount"`) are accepted.
public struct BlockingRule: Sendable {
    public let text: String
    public let expression: Columnar.Expression
    /// (left-side expression over `l`, right-side expression over `r`) per equality conjunct.
    public let keys: [(left: Columnar.Expression, right: Columnar.Expression)]
    public let residual: Columnar.Expression?

    public init(_ text: String) throws {
        self.text = text
        // Splink writes l."name"; the expression language quotes names with backticks.
        var t = text
        if let re = try? NSRegularExpression(pattern: "\\b([lr])\\.\"([^\"]+)\"") {
            t = re.stringByReplacingMatches(in: t, range: NSRange(t.startIndex..., in: t), withTemplate: "$1.`$2`")
        }
        do { expression = try Columnar.Expression.parse(t) } catch { throw EntityResolutionError.blocking("blocking rule '\(text)': \(error)") }
        var keys: [(Columnar.Expression, Columnar.Expression)] = []
        var rest: [Columnar.Expression] = []
        for c in expression.conjuncts {
            if case let .binary(.equal, a, b, _) = c, !a.referencesPlainColumns, !b.referencesPlainColumns {
                if a.qualifiers == ["l"] && b.qualifiers == ["r"] { keys.append((a, b)); continue }
                if a.qualifiers == ["r"] && b.qualifiers == ["l"] { keys.append((b, a)); continue }
            }
            rest.append(c)
        }
        guard !keys.isEmpty else {
            throw EntityResolutionError.blocking("blocking rule '\(text)' has no equality between an l-expression and an r-expression; it would compare every pair (add one, e.g. l.surname = r.surname)")
        }
        self.keys = keys
        residual = Columnar.Expression.conjunction(rest)
    }

    /// Join keys of every row for one side (`l` or `r`); nil where any key part is null.
    func keyStrings(_ table: Table, side: String) throws -> [String?] {
        let scope = ExpressionScope([(side, table.schema)], plain: [])
        var parts: [Column] = []
        for k in keys {
            let e = side == "l" ? k.left : k.right
            let ev = try ExpressionEvaluator(e, source: text, scope: scope)
            parts.append(try ev.evaluate([side: ExpressionInput(table)]))
        }
        return (0..<table.rowCount).map { row in
            var s = ""
            for (pi, p) in parts.enumerated() {
                let v = p.value(at: row)
                switch v {
                case .null: return nil
                case let .int(x): s += "n\(Double(x))"
                case let .double(x): s += "n\(x)"
                default: s += "s" + (v.stringValue ?? "\(v)")
                }
                if pi + 1 < parts.count { s += "\u{1F}" }
            }
            return s
        }
    }
}
