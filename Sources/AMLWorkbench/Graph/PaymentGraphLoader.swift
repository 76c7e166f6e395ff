// Payment-graph loading from tables: the step every graph command, scenario and script
// repeats (read the edges and vertices, build the CSR graph, report dangling edges).
import Columnar
import Foundation
import PropertyGraph

/// Which tables and columns make a graph: edges (payments) from `edges`, vertices (entities)
/// from `vertices` when given, otherwise from the edge endpoints.
public struct GraphSource: Sendable {
    public var edges: String
    public var vertices: String?
    public var srcColumn: String
    public var dstColumn: String
    public var idColumn: String
    /// Drop edges whose endpoints are not in `vertices` instead of failing.
    public var dropDangling = false
    /// CSV reading (delimiter, encoding) for both tables.
    public var read = TableReadOptions()

    public init(edges: String, vertices: String? = nil, srcColumn: String = "src", dstColumn: String = "dst", idColumn: String = "id", dropDangling: Bool = false) {
        self.edges = edges
        self.vertices = vertices
        self.srcColumn = srcColumn
        self.dstColumn = dstColumn
        self.idColumn = idColumn
        self.dropDangling = dropDangling
    }

    /// The accelerator's payment columns: `originator_id -> beneficiary_id`, entities by
    /// `entity_id`.
    public static func payments(transactions: String, entities: String? = nil, dropDangling: Bool = false) -> GraphSource {
        GraphSource(edges: transactions, vertices: entities, srcColumn: "originator_id", dstColumn: "beneficiary_id", idColumn: "entity_id", dropDangling: dropDangling)
    }
}

/// A loaded graph and what loading it cost.
public struct LoadedGraph {
    public var graph: PropertyGraph
    /// Edges dropped because an endpoint was not a vertex (with `dropDangling`).
    public var droppedEdges: Int
    public var loadSeconds: Double
    public var buildSeconds: Double
}

public enum PaymentGraphLoader {
    /// Reads the tables and builds the graph with both adjacencies ready. Edge properties
    /// are `edgeColumns` (nil: every column of the edges table) besides the endpoints;
    /// vertex properties are `vertexColumns` (nil: all) besides the id. `edgeTypes` and
    /// `vertexTypes` override inferred CSV types for columns the files have. `adjacency`
    /// false leaves the CSR/CSC views to be built on first use (kernels that scan the edge
    /// list need neither).
    /// - Complexity: O(bytes read + V + E).
    public static func load(_ source: GraphSource, edgeColumns: [String]? = nil, vertexColumns: [String]? = nil,
                            edgeTypes: [String: DataType] = [:], vertexTypes: [String: DataType] = [:], adjacency: Bool = true,
                            progress: (String) -> Void = { _ in }) throws -> LoadedGraph {
        var clock = Stopwatch()
        progress("reading \(source.edges)")
        var edgeRead = source.read
        edgeRead.columns = edgeColumns.map { extra in [source.srcColumn, source.dstColumn] + extra.filter { $0 != source.srcColumn && $0 != source.dstColumn } }
        edgeRead.types = edgeTypes
        edgeRead.typesForPresentColumnsOnly = true
        let edgeTable = try TableIO.read(source.edges, options: edgeRead)
        let vertexTable = try source.vertices.map { path -> Table in
            var o = source.read
            o.columns = vertexColumns.map { [source.idColumn] + $0.filter { $0 != source.idColumn } }
            o.types = vertexTypes
            o.typesForPresentColumnsOnly = true
            return try TableIO.read(path, options: o)
        }
        let loadSeconds = clock.lap()
        progress("building graph")
        let built = try build(source, edges: edgeTable, vertices: vertexTable, adjacency: adjacency)
        return LoadedGraph(graph: built.graph, droppedEdges: built.droppedEdges, loadSeconds: loadSeconds, buildSeconds: clock.lap())
    }

    /// Builds the graph from tables already in memory (see `load`). O(V + E).
    public static func build(_ source: GraphSource, edges: Table, vertices: Table?, adjacency: Bool = true) throws -> (graph: PropertyGraph, droppedEdges: Int) {
        var builder = GraphBuilder(srcColumn: source.srcColumn, dstColumn: source.dstColumn, idColumn: source.idColumn,
                                   dropDanglingEdges: source.dropDangling, edgesName: source.edges, verticesName: source.vertices ?? "vertices")
        let graph = try builder.build(edges: edges, vertices: vertices)
        if adjacency { graph.prepareAdjacency() }
        return (graph, builder.droppedEdges)
    }
}
