// k-core decomposition: the core number of a vertex is the largest k such that it belongs
// to a subgraph where every vertex has degree >= k. Computed on the undirected simple graph
// (direction ignored, parallel edges once, self-loops dropped), which is what
// `networkx.core_number` computes on a simple graph (networkx refuses self-loops; Neo4j GDS's
// k-core decomposition is also undirected).
//
// Algorithm: Batagelj & Zaversnik (2003) bucket peeling: repeatedly remove a vertex of least
// remaining degree; its core number is that degree at removal. O(V + E) time, sequential,
// four Int arrays of size V. The result is unique, so it is deterministic by construction.
import Columnar
import PropertyGraph

/// Core number per vertex.
public struct KCoreResult: Sendable {
    public let graph: PropertyGraph
    /// Core number per vertex (internal id order).
    public let coreNumbers: [Int]
    /// The largest core number (the graph's degeneracy).
    public var degeneracy: Int { coreNumbers.max() ?? 0 }

    /// `id, core`, ordered by id.
    public func table() throws -> Table { try Table([("id", graph.ids.column), ("core", .int64(coreNumbers.map { Int64($0) }))]) }
}

/// k-core decomposition (see the file header).
public enum KCore {
    /// Core numbers of every vertex. O(V + E).
    public static func run(_ graph: PropertyGraph) -> KCoreResult {
        KCoreResult(graph: graph, coreNumbers: coreNumbers(SimpleUndirectedAdjacency(graph)))
    }

    /// Core numbers on an undirected simple adjacency. O(V + E).
    public static func coreNumbers(_ adj: SimpleUndirectedAdjacency) -> [Int] {
        let n = adj.vertexCount
        guard n > 0 else { return [] }
        var degree = (0..<n).map { adj.degree($0) }
        let maxDegree = degree.max() ?? 0
        // Vertices sorted by degree (counting sort); bucketStart[d] = first position of degree d.
        var bucketStart = [Int](repeating: 0, count: maxDegree + 2)
        for d in degree { bucketStart[d + 1] += 1 }
        for d in 0...maxDegree { bucketStart[d + 1] += bucketStart[d] }
        var order = [Int](repeating: 0, count: n)
        var position = [Int](repeating: 0, count: n)
        var fill = bucketStart
        for v in 0..<n { position[v] = fill[degree[v]]; order[position[v]] = v; fill[degree[v]] += 1 }
        for i in 0..<n {
            let v = order[i]
            for k in adj.range(v) {
                let u = Int(adj.neighbors[k])
                guard degree[u] > degree[v] else { continue }
                // Move u to the front of its bucket, then shrink its degree by one.
                let du = degree[u], pu = position[u], pw = bucketStart[du], w = order[pw]
                if u != w { order[pu] = w; position[w] = pu; order[pw] = u; position[u] = pw }
                bucketStart[du] += 1
                degree[u] -= 1
            }
        }
        return degree
    }
}
