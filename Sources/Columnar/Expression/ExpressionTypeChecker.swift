/// Resolves names and checks types, producing a `TypedNode` tree.
///
/// Implicit conversions are SQL's widening ones only: int -> double, date -> timestamp, and
/// a bare `null` takes the type its context needs. Anything else (comparing a string with
/// a number, adding a bool) is an `ExpressionError` of kind `.typeMismatch` that points at
/// the offending operand. O(nodes · columns).
struct ExpressionTypeChecker {
    let source: String
    let scope: ExpressionScope
    private(set) var references: [ExpressionColumnReference] = []

    init(source: String, scope: ExpressionScope) {
        self.source = source
        self.scope = scope
    }

    private func fail(_ kind: ExpressionError.Kind, _ message: String, _ offset: Int) -> ExpressionError {
        ExpressionError(kind, message, source: source, offset: offset)
    }

    mutating func check(_ e: Expression) throws -> TypedNode {
        switch e {
        case let .literal(v, at):
            let type: ExpressionType
            switch v {
            case .null: type = .null
            case .bool: type = .bool
            case .int: type = .int
            case .double: type = .double
            case .string: type = .string
            case .date: type = .date
            case .timestamp: type = .timestamp
            default: throw fail(.typeMismatch, "unsupported literal", at)
            }
            return TypedNode(.literal(v), type, at)

        case let .column(qualifier, name, at):
            return try resolve(qualifier, name, at)

        case let .unary(op, x, at):
            let operand = try check(x)
            switch op {
            case .not:
                return TypedNode(.not(try coerce(operand, to: .bool, "operand of 'not'")), .bool, at)
            case .negate:
                let t = operand.type == .null ? ExpressionType.int : operand.type
                guard t.isNumeric else { throw mismatch(operand, "a number for unary '-'") }
                return TypedNode(.negate(try coerce(operand, to: t, "")), t, at)
            }

        case let .binary(op, a, b, at):
            let left = try check(a), right = try check(b)
            switch op {
            case .and, .or:
                return TypedNode(.logic(op, try coerce(left, to: .bool, "operand of '\(op.rawValue)'"),
                                        try coerce(right, to: .bool, "operand of '\(op.rawValue)'")), .bool, at)
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                let t = try comparable([left, right], "'\(op.rawValue)'")
                return TypedNode(.compare(op, try coerce(left, to: t, ""), try coerce(right, to: t, "")), .bool, at)
            default:
                return try arithmetic(op, left, right, at)
            }

        case let .isNull(x, negated, at):
            return TypedNode(.isNull(try check(x), negated: negated), .bool, at)

        case let .inList(x, list, negated, at):
            let nodes = try ([x] + list).map { try check($0) }
            let t = try comparable(nodes, "'in'")
            let coerced = try nodes.map { try coerce($0, to: t, "") }
            return TypedNode(.inList(coerced[0], Array(coerced.dropFirst()), negated: negated), .bool, at)

        case let .between(x, lo, hi, negated, at):
            let nodes = try [x, lo, hi].map { try check($0) }
            let t = try comparable(nodes, "'between'")
            let c = try nodes.map { try coerce($0, to: t, "") }
            return TypedNode(.between(c[0], c[1], c[2], negated: negated), .bool, at)

        case let .like(x, pattern, negated, insensitive, at):
            let value = try coerce(try check(x), to: .string, "left side of 'like' (a string)")
            let p = try coerce(try check(pattern), to: .string, "pattern of 'like' (a string)")
            return TypedNode(.like(value, p, negated: negated, caseInsensitive: insensitive), .bool, at)

        case let .caseWhen(branches, otherwise, at):
            var arms: [(TypedNode, TypedNode)] = []
            for b in branches { arms.append((try coerce(try check(b.condition), to: .bool, "'when' condition"), try check(b.value))) }
            let other = try otherwise.map { try check($0) }
            let t = try unify(arms.map(\.1) + (other.map { [$0] } ?? []), "the branches of 'case'")
            return TypedNode(.caseWhen(try arms.map { ($0.0, try coerce($0.1, to: t, "")) }, try other.map { try coerce($0, to: t, "") }), t, at)

        case let .cast(x, type, at):
            let operand = try check(x)
            if operand.type == type { return operand }
            if operand.type == .null { return TypedNode(.literal(.null), type, at) }
            switch (operand.type, type) {
            case (_, .string), (.string, _), (.int, _), (.double, .int), (.bool, .int), (.date, .timestamp), (.timestamp, .date), (.double, .bool):
                return TypedNode(.cast(operand), type, at)
            default:
                throw fail(.typeMismatch, "cannot cast \(operand.type) to \(type)", at)
            }

        case let .call(name, args, at):
            return try call(name, args, at)
        }
    }

    private mutating func resolve(_ qualifier: String?, _ name: String, _ at: Int) throws -> TypedNode {
        let owner: String
        if let qualifier {
            guard let schema = scope.schema(qualifier) else {
                let known = scope.bindings.map(\.qualifier).filter { !$0.isEmpty }
                throw fail(.unknownColumn, "unknown qualifier '\(qualifier)' (expected one of: \(known.joined(separator: ", ")))", at)
            }
            guard schema.index(of: name) != nil else {
                throw fail(.unknownColumn, "no column '\(name)' in '\(qualifier)' (columns are: \(schema.names.joined(separator: ", ")))", at)
            }
            owner = qualifier
        } else {
            let owners = scope.plainQualifiers.filter { scope.schema($0)?.index(of: name) != nil }
            guard owners.count == 1 else {
                if owners.isEmpty {
                    let names = scope.plainQualifiers.flatMap { scope.schema($0)?.names ?? [] }
                    var message = "unknown column '\(name)'"
                    if !names.isEmpty { message += " (columns are: \(names.joined(separator: ", ")))" }
                    let qualified = scope.bindings.filter { $0.schema.index(of: name) != nil }.map(\.qualifier)
                    if !qualified.isEmpty { message += "; qualify it, e.g. \(qualified[0]).\(name)" }
                    throw fail(.unknownColumn, message, at)
                }
                throw fail(.unknownColumn, "column '\(name)' is ambiguous (in \(owners.joined(separator: ", "))); qualify it", at)
            }
            owner = owners[0]
        }
        let field = scope.schema(owner)!.fields[scope.schema(owner)!.index(of: name)!]
        guard let type = ExpressionType(field.type) else {
            throw fail(.typeMismatch, "column '\(name)' has type \(field.type), which expressions cannot read", at)
        }
        let ref = ExpressionColumnReference(qualifier: owner, name: name, dataType: field.type, type: type)
        let index = references.firstIndex(of: ref) ?? { references.append(ref); return references.count - 1 }()
        return TypedNode(.column(index), type, at)
    }

    private func mismatch(_ node: TypedNode, _ expected: String) -> ExpressionError {
        fail(.typeMismatch, "expected \(expected) but found \(node.type)", node.offset)
    }

    /// `node` converted to `type` by a widening conversion, or a located type error.
    func coerce(_ node: TypedNode, to type: ExpressionType, _ what: String) throws -> TypedNode {
        if node.type == type { return node }
        if node.type == .null { return TypedNode(.literal(.null), type, node.offset) }
        switch (node.type, type) {
        case (.int, .double), (.date, .timestamp):
            return TypedNode(.cast(node), type, node.offset)
        default:
            throw fail(.typeMismatch, "expected \(type)\(what.isEmpty ? "" : " for the \(what)") but found \(node.type)", node.offset)
        }
    }

    /// The common type of values that must be combined (case branches, coalesce).
    func unify(_ nodes: [TypedNode], _ what: String) throws -> ExpressionType {
        var result = ExpressionType.null
        for n in nodes where n.type != .null {
            switch (result, n.type) {
            case (.null, _): result = n.type
            case let (a, b) where a == b: break
            case (.int, .double), (.double, .int): result = .double
            case (.date, .timestamp), (.timestamp, .date): result = .timestamp
            default:
                throw fail(.typeMismatch, "\(what) mix \(result) and \(n.type)", n.offset)
            }
        }
        return result
    }

    /// The common type of compared values; comparing only nulls compares ints.
    private func comparable(_ nodes: [TypedNode], _ what: String) throws -> ExpressionType {
        let t = try unify(nodes, "the operands of \(what)")
        return t == .null ? .int : t
    }

    private func arithmetic(_ op: BinaryOperator, _ a: TypedNode, _ b: TypedNode, _ at: Int) throws -> TypedNode {
        if op == .concat {
            func asString(_ n: TypedNode) -> TypedNode {
                n.type == .string ? n : (n.type == .null ? TypedNode(.literal(.null), .string, n.offset) : TypedNode(.cast(n), .string, n.offset))
            }
            return TypedNode(.arithmetic(.concat, asString(a), asString(b)), .string, at)
        }
        // A bare null takes the other side's type (int if both are null).
        let lt = a.type == .null ? (b.type == .null || b.type == .string || b.type == .bool ? ExpressionType.int : (b.type == .double ? .double : .int)) : a.type
        let rt = b.type == .null ? (lt == .double ? ExpressionType.double : .int) : b.type
        let left = try coerce(a, to: lt, ""), right = try coerce(b, to: rt, "")
        switch (op, lt, rt) {
        case (.divide, _, _) where lt.isNumeric && rt.isNumeric:
            return TypedNode(.arithmetic(op, try coerce(left, to: .double, ""), try coerce(right, to: .double, "")), .double, at)
        case (_, .int, .int):
            return TypedNode(.arithmetic(op, left, right), .int, at)
        case (_, .int, .double), (_, .double, .int), (_, .double, .double):
            return TypedNode(.arithmetic(op, try coerce(left, to: .double, ""), try coerce(right, to: .double, "")), .double, at)
        case (.add, .timestamp, .int), (.subtract, .timestamp, .int), (.add, .date, .int), (.subtract, .date, .int):
            return TypedNode(.arithmetic(op, left, right), lt, at)
        case (.add, .int, .timestamp), (.add, .int, .date):
            return TypedNode(.arithmetic(op, left, right), rt, at)
        case (.subtract, .timestamp, .timestamp), (.subtract, .date, .date):
            return TypedNode(.arithmetic(op, left, right), .int, at)
        case (.subtract, .timestamp, .date), (.subtract, .date, .timestamp):
            return TypedNode(.arithmetic(op, try coerce(left, to: .timestamp, ""), try coerce(right, to: .timestamp, "")), .int, at)
        default:
            let bad = lt.isNumeric ? right : left
            throw fail(.typeMismatch, "operator '\(op.rawValue)' cannot combine \(lt) and \(rt)", bad.offset)
        }
    }

    private mutating func call(_ name: String, _ args: [Expression], _ at: Int) throws -> TypedNode {
        func arity(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else {
                let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : (range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)")
                throw fail(.unknownFunction, "\(name)() takes \(expected) argument\(range.upperBound == 1 ? "" : "s") but was given \(args.count)", at)
            }
        }
        if name == "if" || name == "iff" {
            try arity(3...3)
            let cond = try coerce(try check(args[0]), to: .bool, "condition of \(name)()")
            let a = try check(args[1]), b = try check(args[2])
            let t = try unify([a, b], "the two results of \(name)()")
            return TypedNode(.caseWhen([(cond, try coerce(a, to: t, ""))], try coerce(b, to: t, "")), t, at)
        }
        if ExpressionFunction.named(name) == nil, let supplied = scope.functions[name] {
            let nodes = try args.map { try check($0) }
            guard let (types, result) = supplied.resolve(nodes.map(\.type)), types.count == nodes.count else {
                throw fail(.typeMismatch, "\(name)() cannot take (\(nodes.map(\.type.description).joined(separator: ", "))); expected \(supplied.signature)", at)
            }
            let coerced = try zip(nodes, types).map { try coerce($0, to: $1, "argument of \(name)()") }
            return TypedNode(.external(supplied, coerced), result, at)
        }
        guard let f = ExpressionFunction.named(name) else {
            let all = (ExpressionFunction.catalogue.components(separatedBy: ", ") + scope.functions.keys).sorted().joined(separator: ", ")
            throw fail(.unknownFunction, "unknown function '\(name)' (functions are: \(all))", at)
        }
        let nodes = try args.map { try check($0) }
        func numeric(_ n: TypedNode) throws -> TypedNode {
            if n.type == .null { return TypedNode(.literal(.null), .double, n.offset) }
            guard n.type.isNumeric else { throw mismatch(n, "a number as the argument of \(name)()") }
            return n
        }
        func double(_ n: TypedNode) throws -> TypedNode { try coerce(try numeric(n), to: .double, "argument of \(name)()") }
        func string(_ n: TypedNode) throws -> TypedNode { try coerce(n, to: .string, "argument of \(name)()") }
        func int(_ n: TypedNode) throws -> TypedNode { try coerce(n, to: .int, "argument of \(name)()") }
        switch f {
        case .coalesce, .greatest, .least:
            try arity(1...Int.max)
            let t = try unify(nodes, "the arguments of \(name)()")
            if f != .coalesce, t == .bool { throw fail(.typeMismatch, "\(name)() cannot order bools", at) }
            return TypedNode(.call(f, try nodes.map { try coerce($0, to: t, "") }), t, at)
        case .abs:
            try arity(1...1)
            let n = try numeric(nodes[0])
            return TypedNode(.call(f, [n]), n.type, at)
        case .lower, .upper, .trim:
            try arity(1...1)
            return TypedNode(.call(f, [try string(nodes[0])]), .string, at)
        case .length:
            try arity(1...1)
            return TypedNode(.call(f, [try string(nodes[0])]), .int, at)
        case .substr:
            try arity(2...3)
            return TypedNode(.call(f, [try string(nodes[0])] + (try nodes.dropFirst().map(int))), .string, at)
        case .round:
            try arity(1...2)
            let n = try numeric(nodes[0])
            return TypedNode(.call(f, [n] + (try nodes.dropFirst().map(int))), n.type, at)
        case .floor, .ceil, .sqrt, .ln, .exp:
            try arity(1...1)
            return TypedNode(.call(f, [try double(nodes[0])]), .double, at)
        case .pow:
            try arity(2...2)
            return TypedNode(.call(f, try nodes.map(double)), .double, at)
        }
    }
}
