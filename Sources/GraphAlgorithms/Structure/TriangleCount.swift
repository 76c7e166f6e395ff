// Triangle count with GraphFrames' `triangleCount` semantics: edge direction is ignored,
// parallel edges count once and self-loops are dropped, so a triangle is a set of three
// vertices that are pairwise adjacent; each vertex is credited with the triangles it is in
// (networkx's `triangles` on the same undirected simple graph).
//
// Algorithm: orient each undirected edge from the lower to the higher (degree, id) rank, so
// every vertex keeps at most O(sqrt(E)) forward neighbours, and intersect the sorted
// forward lists of both ends of every forward edge (Schank & Wagner's "forward" algorithm).
// Each triangle is found once, by its lowest-ranked vertex. O(E^1.5) worst case, parallel
// over vertex chunks; per-vertex counts are integers added atomically, so the result does
// not depend on scheduling.
import CSupport
import Columnar
import PropertyGraph

/// Triangles per vertex and in total.
public struct TriangleCountResult: Sendable {
    public let graph: PropertyGraph
    /// Triangles containing each vertex (internal id order).
    public let counts: [UInt64]
    /// Distinct triangles in the graph (Σ counts / 3).
    public let total: UInt64

    /// `id, count`, ordered by id (GraphFrames' column name).
    public func table() throws -> Table { try Table([("id", graph.ids.column), ("count", .int64(counts.map { Int64($0) }))]) }
}

/// Undirected triangle counting (see the file header).
public enum TriangleCount {
    /// Counts triangles per vertex. O(E^1.5), parallel.
    public static func run(_ graph: PropertyGraph) -> TriangleCountResult {
        run(graph, adjacency: SimpleUndirectedAdjacency(graph))
    }

    /// Counts triangles on an already-built undirected simple adjacency of `graph`.
    public static func run(_ graph: PropertyGraph, adjacency adj: SimpleUndirectedAdjacency) -> TriangleCountResult {
        let n = adj.vertexCount
        // Forward lists: neighbours of higher rank, rank = (degree, id). Sorted by id, which
        // is all a merge intersection needs.
        @inline(__always) func higher(_ a: Int, _ b: Int) -> Bool {
            let da = adj.degree(a), db = adj.degree(b)
            return db > da || (db == da && b > a)
        }
        var forwardOffsets = [Int](repeating: 0, count: n + 1)
        for v in 0..<n {
            var c = 0
            for k in adj.range(v) where higher(v, Int(adj.neighbors[k])) { c += 1 }
            forwardOffsets[v + 1] = forwardOffsets[v] + c
        }
        var forward = [UInt32](repeating: 0, count: forwardOffsets[n])
        for v in 0..<n {
            var p = forwardOffsets[v]
            for k in adj.range(v) where higher(v, Int(adj.neighbors[k])) { forward[p] = adj.neighbors[k]; p += 1 }
        }
        var counts = [UInt64](repeating: 0, count: n)
        var chunkTotals = [UInt64](repeating: 0, count: 256)
        forward.withUnsafeBufferPointer { f in
            forwardOffsets.withUnsafeBufferPointer { off in
                counts.withUnsafeMutableBufferPointer { c in
                    chunkTotals.withUnsafeMutableBufferPointer { t in
                        let cb = c.baseAddress!, tb = t.baseAddress!
                        parallelChunks(count: n, chunks: 256, minimumChunk: 256) { chunk, range in
                            var total: UInt64 = 0
                            for u in range {
                                for i in off[u]..<off[u + 1] {
                                    let v = Int(f[i])
                                    var a = off[u], b = off[v]
                                    let aEnd = off[u + 1], bEnd = off[v + 1]
                                    while a < aEnd, b < bEnd {
                                        let x = f[a], y = f[b]
                                        if x < y { a += 1 } else if y < x { b += 1 } else {
                                            total += 1
                                            aml_atomic_fetch_add_u64(cb + u, 1)
                                            aml_atomic_fetch_add_u64(cb + v, 1)
                                            aml_atomic_fetch_add_u64(cb + Int(x), 1)
                                            a += 1; b += 1
                                        }
                                    }
                                }
                            }
                            tb[chunk] = total
                        }
                    }
                }
            }
        }
        return TriangleCountResult(graph: graph, counts: counts, total: chunkTotals.reduce(0, +))
    }
}
