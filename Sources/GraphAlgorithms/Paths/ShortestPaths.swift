// Shortest paths in hops to a set of landmarks, with GraphFrames' `shortestPaths` semantics
// (GraphX `ShortestPaths`): for every vertex v and landmark l, the least number of edges on
// a directed path v -> ... -> l; landmarks unreachable from v are absent from v's map, and a
// landmark is at distance 0 from itself. Optionally edges are treated as undirected, and an
// edge mask keeps only some edges (the CLI's `--edge-filter`).
//
// Execution: one breadth-first search per landmark over the reversed edges (CSC), so the
// search walks from l back to the vertices that can reach it. Landmarks run in parallel;
// each writes its own distance array. O(L · (V + E)) time, 4 bytes per vertex per landmark.
import Columnar
import Dispatch
import PropertyGraph

/// Distances (in hops) from every vertex to every landmark.
public struct ShortestPathsResult: Sendable {
    public let graph: PropertyGraph
    /// Landmarks as internal ids, in the order given (duplicates removed).
    public let landmarks: [UInt32]
    /// `distances[i][v]`: hops from v to `landmarks[i]`, or -1 if unreachable.
    public let distances: [[Int32]]

    /// `id, distances` (GraphFrames' shape): `distances` is a JSON object from landmark id to
    /// hops, holding only reachable landmarks, in landmark order. Ordered by id.
    public func table() throws -> Table {
        var column = ColumnBuilder(type: .string, capacity: graph.vertexCount)
        let keys = landmarks.map { jsonString(graph.ids.text($0)) }
        for v in 0..<graph.vertexCount {
            var parts: [String] = []
            for (i, d) in distances.enumerated() where d[v] >= 0 { parts.append("\(keys[i]):\(d[v])") }
            column.append(string: "{" + parts.joined(separator: ",") + "}")
        }
        return try Table([("id", graph.ids.column), ("distances", column.finish())])
    }

    /// `id, landmark, distance`: one row per reachable (vertex, landmark) pair, ordered by id,
    /// then landmark order.
    public func longTable() throws -> Table {
        var ids: [UInt32] = [], marks: [UInt32] = [], hops: [Int64] = []
        for v in 0..<graph.vertexCount {
            for (i, d) in distances.enumerated() where d[v] >= 0 {
                ids.append(UInt32(v)); marks.append(landmarks[i]); hops.append(Int64(d[v]))
            }
        }
        return try Table([("id", graph.ids.column(for: ids)), ("landmark", graph.ids.column(for: marks)), ("distance", .int64(hops))])
    }

    private func jsonString(_ s: String) -> String { JSONText.quoted(s) }
}

/// Breadth-first distances to landmarks (see the file header).
public enum ShortestPaths {
    /// Hops from every vertex to each landmark. `edgeMask[e] == false` removes edge row `e`.
    /// O(L · (V + E)), landmarks in parallel.
    public static func run(_ graph: PropertyGraph, landmarks: [UInt32], directed: Bool = true, edgeMask: [Bool]? = nil) -> ShortestPathsResult {
        var seen = Set<UInt32>()
        let marks = landmarks.filter { Int($0) < graph.vertexCount && seen.insert($0).inserted }
        precondition(edgeMask == nil || edgeMask!.count == graph.edgeCount)
        let n = graph.vertexCount
        let inn = graph.inAdjacency
        let out: CSRAdjacency? = directed ? nil : graph.outAdjacency
        var distances = [[Int32]](repeating: [], count: marks.count)
        distances.withUnsafeMutableBufferPointer { dist in
            let base = dist.baseAddress!
            DispatchQueue.concurrentPerform(iterations: marks.count) { i in
                var d = [Int32](repeating: -1, count: n)
                var frontier: [UInt32] = [marks[i]]
                var next: [UInt32] = []
                d[Int(marks[i])] = 0
                var depth: Int32 = 0
                while !frontier.isEmpty {
                    depth += 1
                    next.removeAll(keepingCapacity: true)
                    for v in frontier {
                        for k in inn.range(v) where edgeMask?[Int(inn.edgeIDs[k])] ?? true {
                            let u = Int(inn.neighbors[k])
                            if d[u] < 0 { d[u] = depth; next.append(UInt32(u)) }
                        }
                        if let out {
                            for k in out.range(v) where edgeMask?[Int(out.edgeIDs[k])] ?? true {
                                let u = Int(out.neighbors[k])
                                if d[u] < 0 { d[u] = depth; next.append(UInt32(u)) }
                            }
                        }
                    }
                    swap(&frontier, &next)
                }
                base[i] = d
            }
        }
        return ShortestPathsResult(graph: graph, landmarks: marks, distances: distances)
    }
}
