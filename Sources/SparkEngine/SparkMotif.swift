// Motif search on Spark: one concrete pattern as a multi-way join.
import AMLWorkbench
import Columnar
import Foundation
import GraphAlgorithms
import SparkConnect

/// Options of a motif search on Spark (the local `MotifOptions` that apply).
public struct SparkMotifOptions: Sendable {
    /// Named vertices bind pairwise distinct vertices.
    public var distinctVertices = false
    /// Positive edges bind pairwise distinct edges.
    public var distinctEdges = false
    /// Time moves forward along the pattern (edge a before edge b when a ends where b starts).
    public var timeOrder = false
    /// All bound edges lie within this span (in the time column's units; microseconds for times).
    public var window: Int64?
    /// Edge time column for `timeOrder` and `window`.
    public var timeColumn = "txn_ts"
    /// `--where` text in the shared expression language.
    public var filter: String?
    /// Keep at most this many rows (after sorting).
    public var limit: Int?
    public init() {}
}

/// Motifs on Spark with the local matcher's semantics (`MotifMatcher`, GraphFrames'):
/// homomorphic matching (names may share vertices or edges, one row per combination of
/// parallel edges, self-loops match), negations as anti-joins, distinct rows when the
/// pattern has a negation, rows sorted by the bound elements in column order (vertices by
/// id, edges by row number in the edges table), and the same output columns
/// (`MotifResultTable`).
///
/// Plan: the edges and vertices are read here (the local engine's CSV typing) and staged as
/// Parquet with row numbers; the pattern becomes one SQL query: a join of one edges alias
/// per edge and one vertices alias per vertex slot, with the built-in checks and the
/// translated `--where` (`SparkSQLExpression`) as predicates, which Spark's optimizer pushes
/// into the joins. Only the element ids come back; the property columns are gathered here.
/// Variable-length (`*m..n`) and undirected (`-[e]-`) terms are refused.
/// - Complexity: the join's intermediate results (Spark's plan), plus O(rows × columns) here.
public enum SparkMotif {
    public static func run(_ workspace: SparkWorkspace, source: GraphSource, query: MotifQuery, options: SparkMotifOptions, countOnly: Bool = false) throws -> (table: Table?, count: Int) {
        let choices = query.hopChoices
        guard choices.count == 1, query.directionColumns.isEmpty else {
            throw SparkEngineError("motif on Spark: variable-length (*m..n) and undirected (-[e]-) terms are not supported (use --engine local)")
        }
        let p = query.expansion(hops: choices[0])
        let client = workspace.client
        let q = SparkWorkspace.quoted

        // Native reads: the local engine's types and row order.
        var read = source.read
        read.columns = nil
        let edges = try TableIO.read(source.edges, options: read)
        for c in [source.srcColumn, source.dstColumn] where edges.schema.index(of: c) == nil {
            throw SparkEngineError("\(source.edges): no column \(c) (columns: \(edges.columnNames.joined(separator: ", ")))")
        }
        let edgeProps = edges.columnNames.filter { $0 != source.srcColumn && $0 != source.dstColumn }
        var stagedEdges = try Table([("__s", edges.column(source.srcColumn)), ("__d", edges.column(source.dstColumn)),
                                     ("__row", .int64((0..<Int64(edges.rowCount)).map { $0 }))])
        if options.timeOrder || options.window != nil {
            guard let c = try? edges.column(options.timeColumn) else {
                throw SparkEngineError("\(source.edges): no time column '\(options.timeColumn)' for --time-order/--within (set --time-col; columns: \(edges.columnNames.joined(separator: ", ")))")
            }
            stagedEdges = try stagedEdges.adding("__t", .int64(MotifTime.edgeTimes(c, name: options.timeColumn)))
        }
        for (i, name) in edgeProps.enumerated() { stagedEdges = try stagedEdges.adding("p\(i)", edges.column(name)) }
        try client.createTempView("aml_m_e", try workspace.stage(stagedEdges, name: "motif-edges"))

        var vertexTable: Table?
        var vertexProps: [String] = []
        if let path = source.vertices {
            let v = try TableIO.read(path, options: read)
            guard v.schema.index(of: source.idColumn) != nil else {
                throw SparkEngineError("\(path): no column \(source.idColumn) (columns: \(v.columnNames.joined(separator: ", ")))")
            }
            vertexProps = v.columnNames.filter { $0 != source.idColumn && $0 != "id" }
            var staged = try Table([("__id", v.column(source.idColumn)), ("__vrow", .int64((0..<Int64(v.rowCount)).map { $0 }))])
            for (i, name) in vertexProps.enumerated() { staged = try staged.adding("p\(i)", v.column(name)) }
            try client.createTempView("aml_m_v", try workspace.stage(staged, name: "motif-vertices"))
            let checks = try client.sql("""
                SELECT (SELECT count(*) FROM aml_m_v WHERE __id IS NULL) AS empty,
                       (SELECT count(*) - count(DISTINCT __id) FROM aml_m_v) AS dup,
                       (SELECT count(*) FROM aml_m_e e WHERE NOT EXISTS (SELECT 1 FROM aml_m_v v WHERE v.__id = e.__s)
                                                       OR NOT EXISTS (SELECT 1 FROM aml_m_v v WHERE v.__id = e.__d)) AS dangling
                """)
            let values = (0..<3).map { checks.columns[$0].value(at: 0).intValue ?? 0 }
            if values[0] > 0 { throw SparkEngineError("\(path): \(values[0]) row(s) have an empty \(source.idColumn)") }
            if values[1] > 0 { throw SparkEngineError("\(path): \(values[1]) duplicate \(source.idColumn) value(s); vertex ids must be unique") }
            if values[2] > 0 { throw SparkEngineError("\(source.edges): \(values[2]) edge(s) have an endpoint not in \(path)") }
            vertexTable = v
        } else {
            try client.createTempView("aml_m_v", .sql("SELECT __id, CAST(NULL AS BIGINT) AS __vrow FROM (SELECT __s AS __id FROM aml_m_e UNION SELECT __d AS __id FROM aml_m_e)"))
        }
        let nulls = try client.sql("SELECT count(*) AS n FROM aml_m_e WHERE __s IS NULL OR __d IS NULL").columns[0].value(at: 0).intValue ?? 0
        if nulls > 0 { throw SparkEngineError("\(source.edges): \(nulls) edge(s) have an empty \(source.srcColumn) or \(source.dstColumn)") }

        // The join: e<k> per edge, v<i> per vertex slot.
        var from = (0..<p.edges.count).map { "aml_m_e e\($0)" } + (0..<p.vertexNames.count).map { "aml_m_v v\($0)" }
        if from.isEmpty { from = ["aml_m_v v0"] }
        var conditions: [String] = []
        for (k, e) in p.edges.enumerated() { conditions += ["e\(k).__s = v\(e.src).__id", "e\(k).__d = v\(e.dst).__id"] }
        for n in p.negations {
            let inner = [n.src.map { "x.__s = v\($0).__id" }, n.dst.map { "x.__d = v\($0).__id" }].compactMap { $0 }
            conditions.append("NOT EXISTS (SELECT 1 FROM aml_m_e x" + (inner.isEmpty ? "" : " WHERE " + inner.joined(separator: " AND ")) + ")")
        }
        let ne = p.edges.count
        if options.distinctVertices {
            let named = (0..<p.vertexNames.count).filter { p.vertexNames[$0] != nil }
            for (x, a) in named.enumerated() { for b in named[(x + 1)...] { conditions.append("v\(a).__id <> v\(b).__id") } }
        }
        if options.distinctEdges {
            for a in 0..<ne { for b in (a + 1)..<max(a + 1, ne) { conditions.append("e\(a).__row <> e\(b).__row") } }
        }
        if options.timeOrder {
            for a in 0..<ne { for b in (a + 1)..<max(a + 1, ne) where p.edges[a].dst == p.edges[b].src { conditions.append("e\(a).__t < e\(b).__t") } }
        }
        if let w = options.window, ne >= 2 {
            let ts = (0..<ne).map { "e\($0).__t" }.joined(separator: ", ")
            conditions.append("greatest(\(ts)) - least(\(ts)) <= CAST(\(w) AS BIGINT)")
        }
        if let text = options.filter {
            let parsed = try Expression.parse(text)
            let translator = SparkSQLExpression(source: text) { qualifier, name, offset in
                guard let qualifier else {
                    throw SparkEngineError("--where '\(text)', column \(offset + 1): '\(name)' needs an element name, e.g. a.\(name) or e.\(name)")
                }
                if let slot = p.vertexSlot(named: qualifier) {
                    if name == "id" { return ("v\(slot).__id", vertexTable.flatMap { try? $0.column(source.idColumn).type }) }
                    guard let i = vertexProps.firstIndex(of: name) else {
                        throw SparkEngineError("--where '\(text)', column \(offset + 1): vertex \(qualifier) has no column \(name) (columns: \((["id"] + vertexProps).joined(separator: ", ")))")
                    }
                    return ("v\(slot).p\(i)", try vertexTable!.column(name).type)
                }
                if let k = p.edgeIndex(named: qualifier) {
                    if name == "src" { return ("e\(k).__s", try edges.column(source.srcColumn).type) }
                    if name == "dst" { return ("e\(k).__d", try edges.column(source.dstColumn).type) }
                    guard let i = edgeProps.firstIndex(of: name) else {
                        throw SparkEngineError("--where '\(text)', column \(offset + 1): edge \(qualifier) has no column \(name) (columns: \((["src", "dst"] + edgeProps).joined(separator: ", ")))")
                    }
                    return ("e\(k).p\(i)", try edges.column(name).type)
                }
                throw SparkEngineError("--where '\(text)', column \(offset + 1): '\(qualifier)' is not a named element of the pattern (elements: \(query.elements.map(\.name).joined(separator: ", ")))")
            }
            // Nulls make a conjunct false, as in the local engine.
            for part in parsed.conjuncts { conditions.append("coalesce(\(try translator.sql(part)), FALSE)") }
        }

        // Element ids (vertex id and row, edge row), then sorted (dense vertex order is id order).
        var columns: [String] = []
        for (j, el) in query.elements.enumerated() {
            switch el.kind {
            case .vertex:
                let slot = p.vertexSlot(named: el.name)!
                columns += ["v\(slot).__id AS c\(j)", "v\(slot).__vrow AS r\(j)"]
            case .edge:
                columns.append("e\(p.edgeIndex(named: el.name)!).__row AS c\(j)")
            }
        }
        if columns.isEmpty { columns = ["1 AS c"] }
        var sqlText = "SELECT \(query.hasNegation ? "DISTINCT " : "")\(columns.joined(separator: ", ")) FROM \(from.joined(separator: ", "))"
        if !conditions.isEmpty { sqlText += " WHERE " + conditions.joined(separator: " AND ") }
        if countOnly {
            let n = try client.sql("SELECT count(*) AS n FROM (\(sqlText))").columns[0].value(at: 0).intValue ?? 0
            return (nil, Int(n))
        }
        if !query.elements.isEmpty { sqlText = "SELECT * FROM (\(sqlText)) ORDER BY " + (0..<query.elements.count).map { "c\($0)" }.joined(separator: ", ") }
        if let limit = options.limit { sqlText += " LIMIT \(limit)" }
        let found = try workspace.materialize(.sql(sqlText), name: "motif")

        // The local engine's columns (MotifResultTable), gathered from the native tables.
        func rows(_ name: String) throws -> [Int] {
            let c = try found.column(name)
            return (0..<found.rowCount).map { Int(c.value(at: $0).intValue ?? 0) }
        }
        let srcColumn = try edges.column(source.srcColumn), dstColumn = try edges.column(source.dstColumn)
        var pairs: [(String, Column)] = []
        for (j, el) in query.elements.enumerated() {
            switch el.kind {
            case .vertex:
                let idColumn = try found.column("c\(j)")
                if let vertexTable {
                    let r = try rows("r\(j)")
                    pairs.append(("\(el.name).id", try vertexTable.column(source.idColumn).gather(r)))
                    for name in vertexProps { pairs.append(("\(el.name).\(name)", try vertexTable.column(name).gather(r))) }
                } else {
                    pairs.append(("\(el.name).id", idColumn))
                }
            case .edge:
                let r = try rows("c\(j)")
                pairs += [("\(el.name).src", srcColumn.gather(r)), ("\(el.name).dst", dstColumn.gather(r))]
                for name in edgeProps { pairs.append(("\(el.name).\(name)", try edges.column(name).gather(r))) }
            }
        }
        return (try Table(pairs), found.rowCount)
    }
}
