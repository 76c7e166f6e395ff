// Expression-driven Pregel on Spark: supersteps as join + aggregate with Parquet checkpoints.
import AMLWorkbench
import Columnar
import Foundation
import GraphAlgorithms
import SparkConnect

/// The result of `SparkPregel.run`: the local `pregel` command's output table.
public struct SparkPregelResult {
    /// Vertices in id order (id column under its own name, then the other vertex columns),
    /// the state column, and with `history` one column per round (`NAME_0`...).
    public var table: Table
    public var rounds: Int
    public var messagesPerRound: [Int]
}

/// `ExpressionPregel` (GraphFrames' Pregel semantics as the local engine implements them)
/// on Spark: round 1 sends from the initial states; each edge evaluates the send
/// expressions over `src.*`, `dst.*` (vertex columns and the state) and `edge.*`/`e.*`; null
/// sends nothing; messages are combined per vertex (sum, min, max, count); every vertex takes
/// the update with `msg` null where nothing arrived; with early stopping the run stops before
/// the update of a round in which no message was sent (that round is not counted).
///
/// The expressions are type-checked here against the tables' schemas exactly as locally
/// (state type from the initial expression, ints widened to doubles when the update gives
/// doubles, message type from the send expressions), then translated to Spark SQL
/// (`SparkSQLExpression`; anything untranslatable is refused) and cast to those types.
/// Each superstep is one join of the edges with the state twice, an aggregation, and a left
/// join back to the vertices, checkpointed as Parquet so the plan does not grow.
/// Double sums are in Spark's order, so they may differ from the local engine's
/// (edge-ordered) sums in the last bits.
/// - Complexity: rounds × (E + V) on Spark, plus one count action per round.
public enum SparkPregel {
    public static func run(_ workspace: SparkWorkspace, source: GraphSource, program p: ExpressionPregelProgram, history: Bool) throws -> SparkPregelResult {
        guard p.sendToDst != nil || p.sendToSrc != nil else { throw SparkEngineError("give --send-to-dst and/or --send-to-src") }
        let client = workspace.client
        var read = source.read
        read.columns = nil
        let edges = try TableIO.read(source.edges, options: read)
        let vertices = try TableIO.read(source.vertices ?? source.edges, options: read)
        for c in [source.srcColumn, source.dstColumn] where edges.schema.index(of: c) == nil {
            throw SparkEngineError("\(source.edges): no column \(c) (columns: \(edges.columnNames.joined(separator: ", ")))")
        }
        guard vertices.schema.index(of: source.idColumn) != nil else {
            throw SparkEngineError("\(source.vertices ?? ""): no column \(source.idColumn) (columns: \(vertices.columnNames.joined(separator: ", ")))")
        }
        // The local engine's vertex schema: `id`, then the other vertex columns.
        let props = vertices.columnNames.filter { $0 != source.idColumn }
        var vertexSchema = Schema([Field("id", try vertices.column(source.idColumn).type)])
        for name in props where name != "id" { vertexSchema.fields.append(Field(name, try vertices.column(name).type)) }
        let propNames = vertexSchema.fields.dropFirst().map(\.name)

        // Types, as ExpressionPregel derives them (the same function).
        let types = try ExpressionPregelTypes(program: p, vertexSchema: vertexSchema, edgeSchema: edges.schema)
        let stateType = types.state, msgType = types.message, update = types.update
        let send = types.senders.map { ($0.evaluator, toDst: $0.toDst) }
        func sparkType(_ t: ExpressionType) -> String {
            switch t {
            case .int, .null: return "BIGINT"
            case .double: return "DOUBLE"
            case .bool: return "BOOLEAN"
            case .string: return "STRING"
            case .date: return "DATE"
            case .timestamp: return "TIMESTAMP"
            }
        }

        // Staging: vertices (__id, __vrow, p<i>) and edges (__s, __d, q<j>).
        var v = try Table([("__id", vertices.column(source.idColumn)), ("__vrow", .int64((0..<Int64(vertices.rowCount)).map { $0 }))])
        for (i, name) in propNames.enumerated() { v = try v.adding("p\(i)", vertices.column(name)) }
        try client.createTempView("aml_p_vin", try workspace.stage(v, name: "pregel-vertices"))
        var e = try Table([("__s", edges.column(source.srcColumn)), ("__d", edges.column(source.dstColumn))])
        for (j, name) in edges.columnNames.enumerated() { e = try e.adding("q\(j)", edges.column(name)) }
        try client.createTempView("aml_p_ein", try workspace.stage(e, name: "pregel-edges"))
        let checks = try client.sql("""
            SELECT (SELECT count(*) FROM aml_p_vin WHERE __id IS NULL) AS empty,
                   (SELECT count(*) - count(DISTINCT __id) FROM aml_p_vin) AS dup,
                   (SELECT count(*) FROM aml_p_ein WHERE __s IS NULL OR __d IS NULL) AS nulls,
                   (SELECT count(*) FROM aml_p_ein x WHERE NOT EXISTS (SELECT 1 FROM aml_p_vin v WHERE v.__id = x.__s)
                                                   OR NOT EXISTS (SELECT 1 FROM aml_p_vin v WHERE v.__id = x.__d)) AS dangling
            """)
        let counts = (0..<4).map { checks.columns[$0].value(at: 0).intValue ?? 0 }
        let vname = source.vertices ?? "vertices"
        if counts[0] > 0 { throw SparkEngineError("\(vname): \(counts[0]) row(s) have an empty \(source.idColumn)") }
        if counts[1] > 0 { throw SparkEngineError("\(vname): \(counts[1]) duplicate \(source.idColumn) value(s); vertex ids must be unique") }
        if counts[2] > 0 { throw SparkEngineError("\(source.edges): \(counts[2]) edge(s) have an empty \(source.srcColumn) or \(source.dstColumn)") }
        if counts[3] > 0 && !source.dropDangling {
            throw SparkEngineError("\(source.edges): \(counts[3]) edge(s) have an endpoint not in \(vname); pass --drop-dangling to drop them")
        }
        try client.createTempView("aml_p_e", .sql("SELECT x.* FROM aml_p_ein x LEFT SEMI JOIN aml_p_vin a ON x.__s = a.__id LEFT SEMI JOIN aml_p_vin b ON x.__d = b.__id"))

        // Translation: vertex names to p<i>/__id/__state, edge names to q<j>.
        func vertexColumn(_ alias: String, _ name: String, state: Bool, msg: Bool, text: String, offset: Int) throws -> (sql: String, type: DataType?) {
            if state && name == p.column { return ("\(alias).__state", stateType.dataType) }
            if msg && name == "msg" { return ("m.__msg", msgType.dataType) }
            if name == "id" { return ("\(alias).__id", vertexSchema.fields[0].type) }
            if let i = propNames.firstIndex(of: name) { return ("\(alias).p\(i)", vertexSchema.fields[i + 1].type) }
            throw SparkEngineError("'\(text)', column \(offset + 1): no vertex column \(name)")
        }
        func translate(_ text: String, state: Bool, msg: Bool) throws -> String {
            try SparkSQLExpression.translate(text) { q, name, offset in
                switch q {
                case nil: return try vertexColumn("v", name, state: state, msg: msg, text: text, offset: offset)
                case "src"?, "dst"?: return try vertexColumn(q!, name, state: true, msg: false, text: text, offset: offset)
                case "edge"?, "e"?:
                    guard let j = edges.columnNames.firstIndex(of: name) else { throw SparkEngineError("'\(text)', column \(offset + 1): no edge column \(name)") }
                    return ("x.q\(j)", try edges.column(name).type)
                default: throw SparkEngineError("'\(text)', column \(offset + 1): unknown qualifier \(q!)")
                }
            }
        }
        let initSQL = try translate(p.initial, state: false, msg: false)
        let sendSQL = try send.map { (try translate($0.0.source, state: false, msg: false), $0.toDst) }
        let updateSQL = try translate(p.update, state: true, msg: true)
        let st = sparkType(stateType), mt = sparkType(msgType)
        let base = (["v.__id", "v.__vrow"] + propNames.indices.map { "v.p\($0)" }).joined(separator: ", ")

        var state = try workspace.checkpoint(.sql("SELECT \(base), CAST(\(initSQL) AS \(st)) AS __state\(history ? ", CAST(\(initSQL) AS \(st)) AS __h0" : "") FROM aml_p_vin v"), name: "pregel-state-0")
        var rounds = 0
        var messagesPerRound: [Int] = []
        let combine: String
        switch p.aggregation {
        case .sum: combine = "sum(__m)"
        case .min: combine = "min(__m)"
        case .max: combine = "max(__m)"
        case .count: combine = "count(*)"
        }
        while rounds < p.maxIterations {
            rounds += 1
            try client.createTempView("aml_p_s", state)
            let parts = sendSQL.map { sql, toDst in
                "SELECT \(toDst ? "x.__d" : "x.__s") AS __id, CAST(\(sql) AS \(mt)) AS __m FROM aml_p_e x JOIN aml_p_s src ON x.__s = src.__id JOIN aml_p_s dst ON x.__d = dst.__id"
            }
            let messages = try workspace.checkpoint(.sql("""
                SELECT __id, CAST(\(combine) AS \(mt)) AS __msg, count(*) AS __n
                FROM (\(parts.joined(separator: " UNION ALL "))) WHERE __m IS NOT NULL GROUP BY __id
                """), name: "pregel-messages-\(rounds)")
            try client.createTempView("aml_p_m", messages)
            let sent = Int(try client.sql("SELECT coalesce(sum(__n), 0) AS n FROM aml_p_m").columns[0].value(at: 0).intValue ?? 0)
            if p.earlyStopping, sent == 0 {
                rounds -= 1
                break
            }
            messagesPerRound.append(sent)
            let kept = history ? (0..<rounds).map { ", v.__h\($0)" }.joined() : ""
            let next = "CAST(\(updateSQL) AS \(st))"
            state = try workspace.checkpoint(.sql("""
                SELECT \(base), \(next) AS __state\(kept)\(history ? ", \(next) AS __h\(rounds)" : "")
                FROM aml_p_s v LEFT JOIN aml_p_m m ON v.__id = m.__id
                """), name: "pregel-state-\(rounds)")
        }

        let found = try workspace.materialize(.sql("SELECT * FROM (\(try relationSQL(state, client))) ORDER BY __id"), name: "pregel-result")
        let rowsColumn = try found.column("__vrow")
        let rows = (0..<found.rowCount).map { Int(rowsColumn.value(at: $0).intValue ?? 0) }
        var pairs: [(String, Column)] = [(source.idColumn, try vertices.column(source.idColumn).gather(rows))]
        for name in propNames { pairs.append((name, try vertices.column(name).gather(rows))) }
        pairs.append((p.column, try found.column("__state")))
        if history { for r in 0...rounds { pairs.append(("\(p.column)_\(r)", try found.column("__h\(r)"))) } }
        return SparkPregelResult(table: try Table(pairs), rounds: rounds, messagesPerRound: messagesPerRound)
    }

    /// A relation as a subquery: registered as a view and selected.
    static func relationSQL(_ relation: SparkRelation, _ client: SparkConnectClient) throws -> String {
        try client.createTempView("aml_p_final", relation)
        return "SELECT * FROM aml_p_final"
    }
}
