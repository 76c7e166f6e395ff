import Columnar

/// Builds a `PropertyGraph` from a vertices table and an edges table.
///
/// Column names default to GraphFrames' (`id`, `src`, `dst`). Without a vertices table the
/// vertices are the distinct edge endpoints. With one, every endpoint must be a known vertex,
/// unless `dropDanglingEdges` is set, in which case such edges are removed (and counted in
/// `droppedEdges`). Ids must be integers or strings, never null.
///
/// Complexity: O(V + E) for compact integer ids, O((V + E) log V) otherwise.
public struct GraphBuilder {
    public var idColumn = "id"
    public var srcColumn = "src"
    public var dstColumn = "dst"
    public var dropDanglingEdges = false
    /// Names used in messages for the two inputs (file paths, when known).
    public var verticesName = "vertices"
    public var edgesName = "edges"

    /// Edges removed because an endpoint was not in the vertices table (with `dropDanglingEdges`).
    public private(set) var droppedEdges = 0

    public init() {}

    /// A builder for the given column names, dangling-edge policy and the names errors use
    /// for the two tables (usually their file paths).
    public init(srcColumn: String, dstColumn: String, idColumn: String, dropDanglingEdges: Bool = false,
                edgesName: String = "edges", verticesName: String = "vertices") {
        self.srcColumn = srcColumn
        self.dstColumn = dstColumn
        self.idColumn = idColumn
        self.dropDanglingEdges = dropDanglingEdges
        self.edgesName = edgesName
        self.verticesName = verticesName
    }

    public mutating func build(edges: Table, vertices: Table? = nil) throws -> PropertyGraph {
        let srcColumn = try requireColumn(edges, srcColumn, edgesName)
        let dstColumn = try requireColumn(edges, dstColumn, edgesName)
        let idColumn = try vertices.map { try requireColumn($0, self.idColumn, verticesName) }
        try checkNoNulls(srcColumn, self.srcColumn, edgesName)
        try checkNoNulls(dstColumn, self.dstColumn, edgesName)
        if let idColumn { try checkNoNulls(idColumn, self.idColumn, verticesName) }

        var mapping: EndpointMapping
        switch (srcColumn.data, dstColumn.data, idColumn?.data) {
        case let (.int64(s), .int64(d), nil):
            mapping = try EndpointMapping.integers(vertexIDs: nil, src: s, dst: d)
        case let (.int64(s), .int64(d), .int64(v)?):
            mapping = try EndpointMapping.integers(vertexIDs: v, src: s, dst: d)
        case let (.int32(s), .int32(d), nil):
            mapping = try EndpointMapping.integers(vertexIDs: nil, src: s.map(Int64.init), dst: d.map(Int64.init))
        case let (.string(s), .string(d), nil):
            mapping = try EndpointMapping.strings(vertexIDs: nil, src: s, dst: d)
        case let (.string(s), .string(d), .string(v)?):
            mapping = try EndpointMapping.strings(vertexIDs: v, src: s, dst: d)
        default:
            for (c, name, table) in [(srcColumn, self.srcColumn, edgesName), (dstColumn, self.dstColumn, edgesName)] + (idColumn.map { [($0, self.idColumn, verticesName)] } ?? []) {
                if ![DataType.int64, .int32, .string].contains(c.type) {
                    throw GraphError.unsupportedIDType(table: table, column: name, type: c.type)
                }
            }
            // Mixed widths or kinds: normalise integers to Int64 or report the mismatch.
            let s = int64s(srcColumn), d = int64s(dstColumn), v = idColumn.flatMap(int64s)
            if let s, let d, idColumn == nil || v != nil {
                mapping = try EndpointMapping.integers(vertexIDs: v, src: s, dst: d)
            } else {
                throw GraphError.mismatchedIDTypes([(edgesName, self.srcColumn, srcColumn.type), (edgesName, self.dstColumn, dstColumn.type)]
                    + (idColumn.map { [(verticesName, self.idColumn, $0.type)] } ?? []))
            }
        }
        guard mapping.ids.count < Int(UInt32.max), edges.rowCount < Int(UInt32.max) else {
            throw GraphError.tooLarge("graph has \(mapping.ids.count) vertices and \(edges.rowCount) edges; the limit is 2^32-1 of each")
        }

        var edgeTable = edges
        var keep: [Int]?
        if vertices != nil {
            var bad: [Int] = []
            for e in 0..<mapping.src.count where mapping.src[e] == EndpointMapping.unknown || mapping.dst[e] == EndpointMapping.unknown {
                bad.append(e)
            }
            if !bad.isEmpty {
                guard dropDanglingEdges else {
                    let examples = bad.prefix(3).map { e -> String in
                        let s = srcColumn.value(at: e), d = dstColumn.value(at: e)
                        return "row \(e + 1): \(s) -> \(d)"
                    }
                    throw GraphError.danglingEdges(table: edgesName, count: bad.count, examples: examples)
                }
                droppedEdges = bad.count
                var isBad = [Bool](repeating: false, count: mapping.src.count)
                for e in bad { isBad[e] = true }
                keep = (0..<mapping.src.count).filter { !isBad[$0] }
            }
        }
        if let keep {
            mapping.src = keep.map { mapping.src[$0] }
            mapping.dst = keep.map { mapping.dst[$0] }
            edgeTable = edges.gather(keep)
        }
        var vertexTable = try Table([("id", mapping.ids.column)])
        if let vertices, let rows = mapping.vertexRows {
            let ordered = vertices.gather(rows)
            for (f, c) in zip(ordered.schema.fields, ordered.columns) where f.name != self.idColumn {
                vertexTable = try vertexTable.adding(f.name, c)
            }
        }
        return PropertyGraph(ids: mapping.ids, src: mapping.src, dst: mapping.dst, vertexProperties: vertexTable, edgeProperties: edgeTable)
    }

    private func requireColumn(_ table: Table, _ name: String, _ tableName: String) throws -> Column {
        guard let i = table.schema.index(of: name) else {
            throw GraphError.missingColumn(table: tableName, column: name, available: table.columnNames)
        }
        return table.columns[i]
    }

    private func checkNoNulls(_ column: Column, _ name: String, _ tableName: String) throws {
        guard let v = column.validity else { return }
        for i in 0..<v.count where !v[i] { throw GraphError.nullID(table: tableName, column: name, row: i) }
    }

    private func int64s(_ c: Column) -> [Int64]? {
        switch c.data {
        case let .int64(a): return a
        case let .int32(a): return a.map(Int64.init)
        default: return nil
        }
    }
}
