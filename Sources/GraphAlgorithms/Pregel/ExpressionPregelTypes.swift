import Columnar

/// The types of an `ExpressionPregelProgram` and its type-checked expressions, derived once
/// for every engine that runs the program (the local `ExpressionPregel` and the Spark plan),
/// so both accept the same programs and give the state and messages the same types.
///
/// Rules: the state type is the initial expression's (double when it is null); a message's
/// type is the send expressions' common numeric type (int for `count`; double when null);
/// the update must give the state type back, except that an int state widens to double when
/// the update gives doubles (then the senders and the update are checked again with the
/// double state). The send expressions see `src`, `dst` (vertex columns plus the state
/// column) and `edge` / `e`; the update sees the vertex columns, the state and `msg`.
/// - Complexity: O(size of the expressions), a few type checks.
public struct ExpressionPregelTypes {
    /// The initial expression, over the vertex columns (unqualified).
    public let initial: ExpressionEvaluator
    public let state: ExpressionType
    public let message: ExpressionType
    /// The send expressions: to the destination, then to the source (those given).
    public let senders: [(evaluator: ExpressionEvaluator, toDst: Bool)]
    public let update: ExpressionEvaluator
    /// True when the state started as int and was widened to double for the update.
    public let widened: Bool

    /// Type-checks `program` against the vertex and edge schemas; throws an
    /// `ExpressionError` naming the expression when a message is not a number or the update
    /// does not give the state's type.
    public init(program p: ExpressionPregelProgram, vertexSchema: Schema, edgeSchema: Schema) throws {
        initial = try ExpressionEvaluator(p.initial, scope: ExpressionScope([("", vertexSchema)]))
        var stateType = initial.resultType == .null ? ExpressionType.double : initial.resultType
        func sendersFor(_ stateType: ExpressionType) throws -> [(evaluator: ExpressionEvaluator, toDst: Bool)] {
            var withState = vertexSchema
            withState.fields.removeAll { $0.name == p.column }
            withState.fields.append(Field(p.column, stateType.dataType))
            let scope = ExpressionScope([("src", withState), ("dst", withState), ("edge", edgeSchema), ("e", edgeSchema)], plain: [])
            var out: [(evaluator: ExpressionEvaluator, toDst: Bool)] = []
            if let s = p.sendToDst { out.append((try ExpressionEvaluator(s, scope: scope), true)) }
            if let s = p.sendToSrc { out.append((try ExpressionEvaluator(s, scope: scope), false)) }
            return out
        }
        func messageType(_ send: [(evaluator: ExpressionEvaluator, toDst: Bool)]) throws -> ExpressionType {
            if p.aggregation == .count { return .int }
            var t = ExpressionType.null
            for (e, _) in send {
                guard e.resultType.isNumericOrNull else {
                    throw ExpressionError(.typeMismatch, "messages must be numbers to \(p.aggregation.rawValue) them, but this expression is \(e.resultType)", source: e.source, offset: 0)
                }
                if e.resultType == .double || t == .double { t = .double } else if e.resultType == .int { t = .int }
            }
            return t == .null ? .double : t
        }
        func updater(_ stateType: ExpressionType, _ msgType: ExpressionType) throws -> ExpressionEvaluator {
            var schema = vertexSchema
            schema.fields.removeAll { $0.name == p.column || $0.name == "msg" }
            schema.fields.append(Field(p.column, stateType.dataType))
            schema.fields.append(Field("msg", msgType.dataType))
            return try ExpressionEvaluator(p.update, scope: ExpressionScope([("", schema)]))
        }
        var send = try sendersFor(stateType)
        var msgType = try messageType(send)
        var update = try updater(stateType, msgType)
        var widened = false
        if update.resultType != stateType, update.resultType != .null, !(stateType == .double && update.resultType == .int) {
            guard stateType == .int, update.resultType == .double else {
                throw ExpressionError(.typeMismatch, "the update gives \(update.resultType) but the state '\(p.column)' starts as \(stateType) (from \"\(p.initial)\")", source: p.update, offset: 0)
            }
            stateType = .double
            widened = true
            send = try sendersFor(stateType)
            msgType = try messageType(send)
            update = try updater(stateType, msgType)
        }
        state = stateType
        message = msgType
        senders = send
        self.update = update
        self.widened = widened
    }
}
