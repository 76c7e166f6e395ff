// Pregel driven by the expression language (the `amlgraph pregel` CLI form).
//
// Same semantics as PregelEngine (GraphFrames' Pregel): round 1 sends from the initial
// states; every vertex updates every round, with `msg` null where nothing arrived. The
// difference is the execution shape: each superstep evaluates the send expressions once,
// vectorised over all edges (no closures or message objects per edge), then combines the
// per-edge message column per vertex, then evaluates the update vectorised over vertices.
import Columnar
import Dispatch
import PropertyGraph

/// How messages arriving at one vertex are combined.
public enum PregelAggregation: String, Sendable, CaseIterable {
    /// Sum (GraphFrames `sum(msg)`); ints sum as ints (overflow is an error), doubles in
    /// ascending edge order so results are bit-identical whatever the thread count.
    case sum
    case min
    case max
    /// Number of messages (an int).
    case count
}

/// A vertex program written as expressions.
///
/// - `initial` reads plain vertex columns (`risk`).
/// - `sendToDst` / `sendToSrc` read `src.*` and `dst.*` (vertex columns, including the
///   current state column) and `edge.*` or `e.*` (edge columns); a null result sends nothing.
/// - `update` reads plain vertex columns, the current state column and `msg` (the
///   aggregated message, null where none arrived). A vertex column called `msg` is hidden.
public struct ExpressionPregelProgram: Sendable {
    public var column: String
    public var initial: String
    public var update: String
    public var sendToDst: String?
    public var sendToSrc: String?
    public var aggregation: PregelAggregation
    public var maxIterations: Int
    /// Stop after a round in which no message was sent (GraphFrames' `setEarlyStopping`).
    public var earlyStopping = false

    public init(column: String, initial: String, update: String, sendToDst: String? = nil, sendToSrc: String? = nil,
                aggregation: PregelAggregation = .sum, maxIterations: Int = 10) {
        self.column = column
        self.initial = initial
        self.update = update
        self.sendToDst = sendToDst
        self.sendToSrc = sendToSrc
        self.aggregation = aggregation
        self.maxIterations = maxIterations
    }
}

/// The outcome of an expression-driven Pregel run.
public struct ExpressionPregelResult: Sendable {
    /// The state column after the last round, one row per internal vertex id.
    public let state: Column
    /// The state after each round, round 0 (the initial state) first.
    public let history: [Column]
    public let rounds: Int
    public let messagesPerRound: [Int]
}

/// Runs `ExpressionPregelProgram`s.
public enum ExpressionPregel {
    /// Runs `program` on `graph` (vertex columns from `graph.vertexProperties`, edge columns
    /// from `graph.edgeProperties`). O(rounds · (V + E) · expression size); parallel over
    /// vertex chunks for aggregation; deterministic.
    public static func run(graph: PropertyGraph, program p: ExpressionPregelProgram) throws -> ExpressionPregelResult {
        guard p.sendToDst != nil || p.sendToSrc != nil else {
            throw ColumnarError.invalidArgument("give at least one of --send-to-dst and --send-to-src")
        }
        guard p.maxIterations >= 0 else { throw ColumnarError.invalidArgument("max iterations must be 0 or more") }
        let vertices = graph.vertexProperties, edges = graph.edgeProperties
        let n = graph.vertexCount
        precondition(vertices.rowCount == n)

        // Types: initial -> state; send -> message; update must give back the state type
        // (ints widen to doubles when the update produces doubles).
        let types = try ExpressionPregelTypes(program: p, vertexSchema: vertices.schema, edgeSchema: edges.schema)
        let initial = types.initial
        var state = try initial.evaluate(["": ExpressionInput(vertices)], rowCount: n)
        if initial.resultType == .null { state = Column(.double([Double](repeating: 0, count: n)), validity: ValidityBitmap(repeating: false, count: n)) }
        if types.widened { state = try widen(state) }
        let stateType = types.state, msgType = types.message, update = types.update
        let send = types.senders.map { ($0.evaluator, toDst: $0.toDst) }

        let inAdj = send.contains { $0.toDst } ? graph.inAdjacency : nil
        let outAdj = send.contains { !$0.toDst } ? graph.outAdjacency : nil
        var history = [state]
        var messagesPerRound: [Int] = []
        var rounds = 0
        while rounds < p.maxIterations {
            rounds += 1
            let current = try vertices.adding(p.column, state)
            let endpoints: [String: ExpressionInput] = [
                "src": ExpressionInput(current, rows: .uint32(graph.src)),
                "dst": ExpressionInput(current, rows: .uint32(graph.dst)),
                "edge": ExpressionInput(edges), "e": ExpressionInput(edges),
            ]
            var perEdge: (dst: Column?, src: Column?) = (nil, nil)
            for (e, toDst) in send {
                let c = try e.evaluate(endpoints, rowCount: graph.edgeCount)
                let typed = msgType == .double && c.type != .double ? try widen(c) : c
                if toDst { perEdge.dst = typed } else { perEdge.src = typed }
            }
            let (msg, sent) = try aggregate(n: n, perEdge: perEdge, inAdj: inAdj, outAdj: outAdj, type: msgType, how: p.aggregation)
            if p.earlyStopping, sent == 0 {
                // GraphFrames stops before the silent round's update and does not count it.
                rounds -= 1
                break
            }
            messagesPerRound.append(sent)
            let withMsg = try current.adding("msg", msg)
            var next = try update.evaluate(["": ExpressionInput(withMsg)], rowCount: n)
            if next.type != stateType.dataType { next = stateType == .double ? try widen(next) : Column(.int64([Int64](repeating: 0, count: n)), validity: ValidityBitmap(repeating: false, count: n)) }
            state = next
            history.append(state)
        }
        return ExpressionPregelResult(state: state, history: history, rounds: rounds, messagesPerRound: messagesPerRound)
    }

    /// An int64 (or all-null) column as doubles.
    static func widen(_ c: Column) throws -> Column {
        switch c.data {
        case .double: return c
        case let .int64(a): return Column(.double(a.map { Double($0) }), validity: c.validity)
        default: return Column(.double([Double](repeating: 0, count: c.count)), validity: ValidityBitmap(repeating: false, count: c.count))
        }
    }

    /// Combines per-edge messages per vertex: in-edges (send to dst) then out-edges (send to
    /// src), each in ascending edge order, one vertex per thread, so the result does not
    /// depend on the thread count. Returns the message column (null = nothing arrived) and
    /// the number of messages sent.
    static func aggregate(n: Int, perEdge: (dst: Column?, src: Column?), inAdj: CSRAdjacency?, outAdj: CSRAdjacency?,
                          type: ExpressionType, how: PregelAggregation) throws -> (Column, Int) {
        func doubles(_ c: Column?) -> [Double]? { if case let .double(a)? = c?.data { return a }; return nil }
        func ints(_ c: Column?) -> [Int64]? {
            switch c?.data {
            case let .int64(a)?: return a
            case let .bool(a)?: return a.map { $0 ? 1 : 0 }
            case let .some(d): return [Int64](repeating: 0, count: d.count)
            case nil: return nil
            }
        }
        let lists: [(values: Column, adj: CSRAdjacency)] = [(perEdge.dst, inAdj), (perEdge.src, outAdj)].compactMap { c, a in
            guard let c, let a else { return nil }
            return (c, a)
        }
        let useDouble = type == .double && how != .count
        let dv = lists.map { doubles($0.values) ?? [] }, iv = lists.map { ints($0.values) ?? [] }
        let valid = lists.map { $0.values.validity }
        var outD = [Double](repeating: 0, count: useDouble ? n : 0)
        var outI = [Int64](repeating: 0, count: useDouble ? 0 : n)
        var got = [Bool](repeating: false, count: n)
        let chunkCount = max(1, min(256, n / 4096))
        var sentPerChunk = [Int](repeating: 0, count: chunkCount)
        var overflowPerChunk = [Bool](repeating: false, count: chunkCount)
        outD.withUnsafeMutableBufferPointer { od in
            outI.withUnsafeMutableBufferPointer { oi in
                got.withUnsafeMutableBufferPointer { g in
                    sentPerChunk.withUnsafeMutableBufferPointer { sent in
                        overflowPerChunk.withUnsafeMutableBufferPointer { overflow in
                            let od = od, oi = oi, g = g, sent = sent, overflow = overflow
                            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                                var count = 0
                                for v in (n * chunk / chunkCount)..<(n * (chunk + 1) / chunkCount) {
                                    var accD = 0.0, accI: Int64 = 0, any = false
                                    for (li, list) in lists.enumerated() {
                                        for k in list.adj.range(UInt32(v)) {
                                            let e = Int(list.adj.edgeIDs[k])
                                            if let m = valid[li], !m[e] { continue }
                                            count += 1
                                            if useDouble {
                                                let x = dv[li][e]
                                                switch how {
                                                case .sum: accD = any ? accD + x : x
                                                case .min: accD = any ? Swift.min(accD, x) : x
                                                case .max: accD = any ? Swift.max(accD, x) : x
                                                case .count: break
                                                }
                                            } else {
                                                let x = how == .count ? 1 : iv[li][e]
                                                switch how {
                                                case .sum, .count:
                                                    let (r, o) = accI.addingReportingOverflow(x)
                                                    if o { overflow[chunk] = true }
                                                    accI = any ? r : x
                                                case .min: accI = any ? Swift.min(accI, x) : x
                                                case .max: accI = any ? Swift.max(accI, x) : x
                                                }
                                            }
                                            any = true
                                        }
                                    }
                                    g[v] = any
                                    if useDouble { od[v] = accD } else { oi[v] = accI }
                                }
                                sent[chunk] = count
                            }
                        }
                    }
                }
            }
        }
        if overflowPerChunk.contains(true) { throw ColumnarError.invalidArgument("integer overflow while summing messages") }
        var validity = ValidityBitmap(repeating: true, count: n)
        for v in 0..<n where !got[v] { validity[v] = false }
        let column = useDouble ? Column(.double(outD), validity: validity) : Column(.int64(outI), validity: validity)
        return (column, sentPerChunk.reduce(0, +))
    }
}

extension ExpressionType {
    var isNumericOrNull: Bool { self == .int || self == .double || self == .null }
}
