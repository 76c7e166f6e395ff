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

    /// The evaluated key parts (one column per equality conjunct) of every row for one side.
    func keyParts(_ table: Table, side: String) throws -> [Column] {
        try keys.indices.map { try keyPart($0, table, side: side) }
    }

    /// The evaluated key part `p` of every row for one side.
    func keyPart(_ p: Int, _ table: Table, side: String) throws -> Column {
        let scope = ExpressionScope([(side, table.schema)], plain: [])
        let ev = try ExpressionEvaluator(side == "l" ? keys[p].left : keys[p].right, source: text, scope: scope)
        return try ev.evaluate([side: ExpressionInput(table)])
    }

    /// Join keys of both sides as dense integer ids from one dictionary: rows i (left) and j
    /// (right) join exactly when `left[i] == right[j]`; `BlockingKeys.null` marks a row with a
    /// null key part (it joins nothing). Parts compare as values: integers and doubles by
    /// numeric value, text by canonical (NFC) equality, as SQL equality does. O(rows · parts).
    func keyIDs(_ table: Table) throws -> (left: [UInt32], right: [UInt32]) {
        var parts = KeyDictionary(expected: table.rowCount)
        // Parts in order, each through the byte-level path when it applies, else evaluated on
        // its own (a part the byte path takes is never evaluated generally as well).
        func sideIDs(_ side: String) throws -> [[UInt32]] {
            try keys.indices.map { p in
                let e = side == "l" ? keys[p].left : keys[p].right
                if let ids = ASCIIKeyExpression.partIDs(e, side: side, table: table, &parts) { return ids }
                return BlockingKeys.partIDs(try keyPart(p, table, side: side), &parts)
            }
        }
        let lp = try sideIDs("l")
        // Most rules say the same thing of both sides (l.x = r.x): key the rows once.
        let symmetric = keys.allSatisfy { k in
            ASCIIKeyExpression.parse(k.left, side: "l").map { $0 == ASCIIKeyExpression.parse(k.right, side: "r") } ?? false
        }
        let rp = symmetric ? lp : try sideIDs("r")
        if keys.count == 1 { return (lp[0], rp[0]) }
        var tuples = KeyDictionary(expected: table.rowCount)
        let left = BlockingKeys.combine(lp, &tuples)
        return (left, symmetric ? left : BlockingKeys.combine(rp, &tuples))
    }
}
