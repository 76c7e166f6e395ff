import Columnar
import PropertyGraph

/// Small random multigraphs (with parallel edges and self-loops) for the algorithm tests.
enum TestGraphs {
    static func random(seed: UInt64, vertices n: Int, edges m: Int) -> PropertyGraph {
        var state = seed
        func next() -> UInt32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt32(truncatingIfNeeded: state >> 33) % UInt32(n)
        }
        var s: [UInt32] = [], d: [UInt32] = []
        for _ in 0..<m { s.append(next()); d.append(next()) }
        return make(vertices: n, src: s, dst: d)
    }

    static func make(vertices n: Int, src: [UInt32], dst: [UInt32], edgeColumns: [(String, Column)] = []) -> PropertyGraph {
        let ids = VertexIDs.int((0..<n).map { Int64($0) })
        let vertexTable = try! Table([("id", ids.column)])
        let edgeTable = try! Table([("src", .int64(src.map(Int64.init))), ("dst", .int64(dst.map(Int64.init)))] + edgeColumns)
        return PropertyGraph(ids: ids, src: src, dst: dst, vertexProperties: vertexTable, edgeProperties: edgeTable)
    }

    /// Undirected simple neighbour sets (no self-loops).
    static func undirectedSets(_ g: PropertyGraph) -> [Set<Int>] {
        var adj = [Set<Int>](repeating: [], count: g.vertexCount)
        for (s, d) in zip(g.src, g.dst) where s != d { adj[Int(s)].insert(Int(d)); adj[Int(d)].insert(Int(s)) }
        return adj
    }
}
