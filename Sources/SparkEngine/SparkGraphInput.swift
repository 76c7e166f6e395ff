// Edges and vertices of a graph as session views on the Spark server.
import AMLWorkbench
import Columnar
import SparkConnect

/// Loads a `GraphSource` into the session as two temporary views: `<prefix>_edges (s, d,
/// extra edge columns)` and `<prefix>_vertices (id, extra vertex columns)`; without a vertices
/// table the vertices are the distinct edge endpoints (extra vertex columns are then NULL).
///
/// The same checks as the local graph loader: an edge endpoint missing from the vertices
/// fails the run naming the count and an example, unless `dropDangling` (then those edges are
/// dropped and counted); an empty endpoint fails the run.
enum SparkGraphInput {
    static func load(_ workspace: SparkWorkspace, _ source: GraphSource, prefix: String,
                     edgeColumns: [(column: String, as: String)] = [], vertexColumns: [(column: String, as: String)] = []) throws -> Int {
        let client = workspace.client
        let q = SparkWorkspace.quoted
        let edgeNames = [source.srcColumn, source.dstColumn] + edgeColumns.map(\.column).filter { $0 != source.srcColumn && $0 != source.dstColumn }
        let edges = try workspace.input(source.edges, columns: edgeNames, read: source.read)
        try client.createTempView("\(prefix)_in", edges.select(["\(q(source.srcColumn)) AS s", "\(q(source.dstColumn)) AS d"] + edgeColumns.map { "\(q($0.column)) AS \($0.as)" }))
        let nulls = try scalar(client, "SELECT count(*) AS n FROM \(prefix)_in WHERE s IS NULL OR d IS NULL")
        if nulls > 0 { throw SparkEngineError("\(source.edges): \(nulls) edge(s) have an empty \(source.srcColumn) or \(source.dstColumn)") }
        guard let vertexPath = source.vertices else {
            try client.createTempView("\(prefix)_edges", .table("\(prefix)_in"))
            let extras = vertexColumns.map { ", CAST(NULL AS DOUBLE) AS \($0.as)" }.joined()
            try client.createTempView("\(prefix)_vertices", .sql("SELECT id\(extras) FROM (SELECT s AS id FROM \(prefix)_in UNION SELECT d AS id FROM \(prefix)_in)"))
            return 0
        }
        let vertexNames = [source.idColumn] + vertexColumns.map(\.column).filter { $0 != source.idColumn }
        let vertices = try workspace.input(vertexPath, columns: vertexNames, read: source.read)
        try client.createTempView("\(prefix)_vertices", vertices.select(["\(q(source.idColumn)) AS id"] + vertexColumns.map { "\(q($0.column)) AS \($0.as)" }))
        let emptyIDs = try scalar(client, "SELECT count(*) AS n FROM \(prefix)_vertices WHERE id IS NULL")
        if emptyIDs > 0 { throw SparkEngineError("\(vertexPath): \(emptyIDs) row(s) have an empty \(source.idColumn)") }
        let duplicates = try scalar(client, "SELECT count(*) - count(DISTINCT id) AS n FROM \(prefix)_vertices")
        if duplicates > 0 { throw SparkEngineError("\(vertexPath): \(duplicates) duplicate \(source.idColumn) value(s); vertex ids must be unique") }
        let dangling = try client.sql("""
            SELECT count(*) AS n, min(CAST(x AS STRING)) AS example FROM (
              SELECT e.s AS x FROM \(prefix)_in e LEFT ANTI JOIN \(prefix)_vertices v ON e.s = v.id
              UNION ALL
              SELECT e.d AS x FROM \(prefix)_in e LEFT ANTI JOIN \(prefix)_vertices v ON e.d = v.id)
            """)
        let count = try dangling.column("n").value(at: 0).intValue ?? 0
        guard count > 0 else {
            try client.createTempView("\(prefix)_edges", .table("\(prefix)_in"))
            return 0
        }
        guard source.dropDangling else {
            let example = try dangling.column("example").value(at: 0)
            throw SparkEngineError("\(source.edges): \(count) edge endpoint(s) are not in \(vertexPath) (e.g. \(example)); pass --drop-dangling to drop those edges")
        }
        let kept = SparkRelation.sql("""
            SELECT e.* FROM \(prefix)_in e LEFT SEMI JOIN \(prefix)_vertices a ON e.s = a.id LEFT SEMI JOIN \(prefix)_vertices b ON e.d = b.id
            """)
        try client.createTempView("\(prefix)_edges", try workspace.checkpoint(kept, name: "\(prefix)-kept"))
        return Int(try scalar(client, "SELECT count(*) AS n FROM \(prefix)_in") - scalar(client, "SELECT count(*) AS n FROM \(prefix)_edges"))
    }

    /// The first column of the first row of a one-row query, as an integer.
    static func scalar(_ client: SparkConnectClient, _ query: String) throws -> Int64 {
        let t = try client.sql(query)
        guard t.rowCount > 0 else { return 0 }
        return t.columns[0].value(at: 0).intValue ?? 0
    }
}
