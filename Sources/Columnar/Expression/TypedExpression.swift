/// A type-checked expression node: operands already coerced to the types its operator
/// works on, column references resolved. Built by `ExpressionTypeChecker`; evaluated by
/// `ExpressionEvaluator` (vectorised) and `ExpressionRowEvaluator` (one row at a time).
final class TypedNode: @unchecked Sendable {
    enum Kind {
        case literal(Value)
        /// Index into the checker's `references`.
        case column(Int)
        case negate(TypedNode)
        case not(TypedNode)
        /// `+ - * / % ||`. Operands are (int, int), (double, double), (string, string) or a
        /// temporal value with an int (or two temporal values of the same type).
        case arithmetic(BinaryOperator, TypedNode, TypedNode)
        /// Both operands have the same type.
        case compare(BinaryOperator, TypedNode, TypedNode)
        /// `and` / `or` over bools, SQL three-valued.
        case logic(BinaryOperator, TypedNode, TypedNode)
        case isNull(TypedNode, negated: Bool)
        case inList(TypedNode, [TypedNode], negated: Bool)
        case between(TypedNode, TypedNode, TypedNode, negated: Bool)
        case like(TypedNode, TypedNode, negated: Bool, caseInsensitive: Bool)
        case caseWhen([(TypedNode, TypedNode)], TypedNode?)
        case call(ExpressionFunction, [TypedNode])
        /// A function supplied through the scope.
        case external(ExpressionFunctionDefinition, [TypedNode])
        /// Conversion of the operand to this node's type.
        case cast(TypedNode)
    }

    let kind: Kind
    let type: ExpressionType
    let offset: Int

    init(_ kind: Kind, _ type: ExpressionType, _ offset: Int) {
        self.kind = kind
        self.type = type
        self.offset = offset
    }

    var children: [TypedNode] {
        switch kind {
        case .literal, .column: return []
        case let .negate(x), let .not(x), let .isNull(x, _), let .cast(x): return [x]
        case let .arithmetic(_, a, b), let .compare(_, a, b), let .logic(_, a, b), let .like(a, b, _, _): return [a, b]
        case let .inList(x, list, _): return [x] + list
        case let .between(x, a, b, _): return [x, a, b]
        case let .caseWhen(arms, otherwise): return arms.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
        case let .call(_, args), let .external(_, args): return args
        }
    }

    /// True when evaluating this subtree can raise an error (integer overflow, domain errors,
    /// failed casts), so eager evaluation of arguments that SQL would skip is unsafe.
    var canFail: Bool {
        switch kind {
        case .literal, .column, .isNull, .not, .logic, .compare, .like, .inList, .between: break
        case .negate, .arithmetic: if type == .int || type == .timestamp || type == .date { return true }
        case let .call(f, _): if [.sqrt, .ln, .abs, .pow].contains(f) { return true }
        case let .external(f, _): if f.canFail { return true }
        case .cast: return true
        case .caseWhen: break
        }
        return children.contains { $0.canFail }
    }
}

/// A resolved column reference: the qualifier it is read through and its types.
public struct ExpressionColumnReference: Hashable, Sendable {
    public let qualifier: String
    public let name: String
    public let dataType: DataType
    public let type: ExpressionType
}

/// The functions of the expression language.
enum ExpressionFunction: String, CaseIterable {
    case coalesce, abs, greatest, least, lower, upper, trim, length, substr, round, floor, ceil, sqrt, ln, exp, pow

    static func named(_ name: String) -> ExpressionFunction? {
        switch name {
        case "substring": return .substr
        case "power": return .pow
        case "ceiling": return .ceil
        case "len", "char_length", "character_length": return .length
        default: return ExpressionFunction(rawValue: name)
        }
    }

    static var catalogue: String { (allCases.map(\.rawValue) + ["if", "iff", "cast"]).sorted().joined(separator: ", ") }
}
