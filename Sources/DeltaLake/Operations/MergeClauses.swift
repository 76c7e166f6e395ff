import Columnar
import Foundation

/// The `WHEN` clauses of a MERGE, as Delta's `MERGE INTO target USING source ON keys` defines
/// them (SQL reference "MERGE INTO"):
///
/// - `WHEN MATCHED [AND cond] THEN UPDATE SET *` / `DELETE`: for each target row whose key
///   equals a source row's, the first matched clause whose condition is true applies; when
///   none is, the target row is kept unchanged.
/// - `WHEN NOT MATCHED [AND cond] THEN INSERT *`: each source row that matches no target row
///   is inserted when the first not-matched clause's condition is true (several clauses all
///   insert the whole row, so only whether any holds matters).
///
/// Conditions use the expression language with the qualifiers `target` and `source`
/// (`target.status = 'closed' and source.amount > 0`); a plain name is looked up in both and
/// is an error when both tables have it. Not-matched conditions may read only `source`.
/// As in Delta, only the last clause of each list may omit its condition.
public struct MergeClauses: Sendable {
    /// What a matched clause does to the target row.
    public enum MatchedAction: String, Sendable, Equatable {
        /// Replace the target row by the source row (`UPDATE SET *`).
        case update
        /// Remove the target row.
        case delete
    }

    public struct Matched: Sendable {
        public var condition: RowFilter?
        public var action: MatchedAction
        public init(_ action: MatchedAction, if condition: RowFilter? = nil) {
            self.action = action
            self.condition = condition
        }
    }

    public struct NotMatched: Sendable {
        public var condition: RowFilter?
        public init(if condition: RowFilter? = nil) { self.condition = condition }
    }

    public var matched: [Matched]
    public var notMatched: [NotMatched]

    /// Upsert: `WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`.
    public static let upsert = MergeClauses(matched: [Matched(.update)], notMatched: [NotMatched()])

    public init(matched: [Matched], notMatched: [NotMatched]) {
        self.matched = matched
        self.notMatched = notMatched
    }

    /// Parses one clause of the CLI form `ACTION [if CONDITION]`: `update`, `delete` for
    /// matched rows, `insert` for unmatched ones, or `none` for no clause of that kind.
    /// Returns nil for `none`.
    public static func parseMatched(_ text: String) throws -> Matched? {
        let (word, condition) = try split(text, option: "--when-matched")
        switch word {
        case "update": return Matched(.update, if: condition)
        case "delete": return Matched(.delete, if: condition)
        case "none" where condition == nil: return nil
        default: throw DeltaError.invalidArgument("--when-matched '\(text)': expected 'update', 'delete' or 'none', optionally followed by 'if CONDITION'")
        }
    }

    /// See `parseMatched`; the not-matched action is `insert` (or `none`).
    public static func parseNotMatched(_ text: String) throws -> NotMatched? {
        let (word, condition) = try split(text, option: "--when-not-matched")
        switch word {
        case "insert": return NotMatched(if: condition)
        case "none" where condition == nil: return nil
        default: throw DeltaError.invalidArgument("--when-not-matched '\(text)': expected 'insert' or 'none', optionally followed by 'if CONDITION'")
        }
    }

    static func split(_ text: String, option: String) throws -> (String, RowFilter?) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let word = String(t.prefix { !$0.isWhitespace }).lowercased()
        let rest = t.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty { return (word, nil) }
        guard rest.lowercased().hasPrefix("if"), rest.dropFirst(2).first?.isWhitespace ?? false else {
            throw DeltaError.invalidArgument("\(option) '\(text)': expected 'if CONDITION' after '\(word)'")
        }
        return (word, try RowFilter(String(rest.dropFirst(2)).trimmingCharacters(in: .whitespaces)))
    }

    /// Checks Delta's rules (only the last clause of a kind without a condition, not-matched
    /// conditions read only `source`) and type-checks every condition. O(clauses).
    func check(target: Schema, source: Schema) throws {
        for (i, c) in matched.enumerated() where c.condition == nil && i != matched.count - 1 {
            throw DeltaError.invalidArgument("merge: WHEN MATCHED clause \(i + 1) has no condition, so clauses after it could never apply; only the last may omit it")
        }
        for (i, c) in notMatched.enumerated() where c.condition == nil && i != notMatched.count - 1 {
            throw DeltaError.invalidArgument("merge: WHEN NOT MATCHED clause \(i + 1) has no condition, so clauses after it could never apply; only the last may omit it")
        }
        let both = ExpressionScope([("target", target), ("source", source)])
        for c in matched { if let f = c.condition { try ExpressionEvaluator(f.expression, source: f.source, scope: both).requireBool("a WHEN MATCHED condition") } }
        let sourceOnly = ExpressionScope([("source", source)])
        for c in notMatched {
            if let f = c.condition { try ExpressionEvaluator(f.expression, source: f.source, scope: sourceOnly).requireBool("a WHEN NOT MATCHED condition") }
        }
    }

    /// Delta's `predicate` and clause parameters for commitInfo.
    var operationParameters: [(String, JSONValue)] {
        func render(_ c: RowFilter?, _ action: String) -> JSONValue {
            var o: [(String, JSONValue)] = [("actionType", .string(action))]
            if let c { o.insert(("predicate", .string(c.source)), at: 0) }
            return .object(o)
        }
        return [
            ("matchedPredicates", .string(JSONValue.array(matched.map { render($0.condition, $0.action.rawValue) }).serialized)),
            ("notMatchedPredicates", .string(JSONValue.array(notMatched.map { render($0.condition, "insert") }).serialized)),
        ]
    }
}
