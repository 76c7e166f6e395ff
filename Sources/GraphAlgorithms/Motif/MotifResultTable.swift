// MotifResultTable: turns id rows into a columnar table with GraphFrames' columns, flattened.

import Columnar
import PropertyGraph

/// Builds result tables from `MotifRowBatch`es.
///
/// Columns, in `MotifQuery.elements` order: for a vertex `a`, `a.id` and `a.<prop>` for each
/// vertex property; for an edge `e`, `e.src`, `e.dst` (external ids) and `e.<prop>` for each
/// other edges-table column. Then `_direction` ("out" when the edge runs as written, "in" when
/// reversed) per undirected term and `_hop` per range term. Elements a shorter expansion
/// lacks are null (GraphFrames' `unionByName(allowMissingColumns = true)`).
public struct MotifResultTable {
    public let graph: PropertyGraph
    public let query: MotifQuery
    /// Edges-table columns holding the endpoints (left out of `e.<prop>`).
    public var endpointColumns: Set<String>

    public init(graph: PropertyGraph, query: MotifQuery, endpointColumns: Set<String> = ["src", "dst"]) {
        self.graph = graph
        self.query = query
        self.endpointColumns = endpointColumns
    }

    /// Column names of every table this builder makes.
    public var columnNames: [String] {
        var names: [String] = []
        for el in query.elements {
            switch el.kind {
            case .vertex:
                names.append("\(el.name).id")
                for f in graph.vertexProperties.schema.fields where f.name != "id" { names.append("\(el.name).\(f.name)") }
            case .edge:
                names += ["\(el.name).src", "\(el.name).dst"]
                for f in graph.edgeProperties.schema.fields where !endpointColumns.contains(f.name) { names.append("\(el.name).\(f.name)") }
            }
        }
        return names + query.directionColumns + query.hopColumns
    }

    /// The rows of `batch` as a table. O(rows × columns).
    public func table(_ batch: MotifRowBatch) throws -> Table {
        var pairs: [(String, Column)] = []
        let n = batch.count
        for (j, el) in query.elements.enumerated() {
            let ids = (0..<n).map { batch.ids[$0 * batch.stride + j] }
            switch el.kind {
            case .vertex:
                pairs.append(("\(el.name).id", Self.gather(graph.ids.column, ids)))
                for (f, c) in zip(graph.vertexProperties.schema.fields, graph.vertexProperties.columns) where f.name != "id" {
                    pairs.append(("\(el.name).\(f.name)", Self.gather(c, ids)))
                }
            case .edge:
                let srcs = ids.map { $0 == MotifRowBatch.absent ? MotifRowBatch.absent : graph.src[Int($0)] }
                let dsts = ids.map { $0 == MotifRowBatch.absent ? MotifRowBatch.absent : graph.dst[Int($0)] }
                pairs.append(("\(el.name).src", Self.gather(graph.ids.column, srcs)))
                pairs.append(("\(el.name).dst", Self.gather(graph.ids.column, dsts)))
                for (f, c) in zip(graph.edgeProperties.schema.fields, graph.edgeProperties.columns) where !endpointColumns.contains(f.name) {
                    pairs.append(("\(el.name).\(f.name)", Self.gather(c, ids)))
                }
            }
        }
        for (k, name) in query.directionColumns.enumerated() {
            let j = query.elements.count + k
            pairs.append((name, .string((0..<n).map { batch.ids[$0 * batch.stride + j] == 0 ? "out" : "in" })))
        }
        for (k, name) in query.hopColumns.enumerated() {
            pairs.append((name, .int64([Int64](repeating: Int64(batch.hops[k]), count: n))))
        }
        return try Table(pairs)
    }

    /// Rows of `column` at `ids`; `absent` becomes null.
    static func gather(_ column: Column, _ ids: [UInt32]) -> Column {
        let hasAbsent = ids.contains(MotifRowBatch.absent)
        var out = column.gather(ids.map { $0 == MotifRowBatch.absent ? 0 : Int($0) })
        if hasAbsent {
            var v = out.validity ?? ValidityBitmap(repeating: true, count: ids.count)
            for (i, id) in ids.enumerated() where id == MotifRowBatch.absent { v[i] = false }
            out.validity = v
        }
        return out
    }
}
