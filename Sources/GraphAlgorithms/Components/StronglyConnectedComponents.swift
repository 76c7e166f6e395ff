// Strongly connected components by Tarjan's algorithm (Tarjan, SIAM J. Comput. 1972), run
// with an explicit stack so graphs of any depth are safe (no recursion).
import PropertyGraph

/// Strongly connected components: `u` and `v` share one when each reaches the other along
/// directed edges. Each is labelled with its smallest vertex (smallest external id).
public enum StronglyConnectedComponents {
    /// Labels every vertex with the internal id of the smallest vertex in its SCC.
    /// O(V + E) time, sequential; about 20 bytes per vertex of working memory.
    public static func labels(_ out: CSRAdjacency) -> [UInt32] {
        let n = out.vertexCount
        let unvisited = UInt32.max
        var index = [UInt32](repeating: unvisited, count: n)
        var low = [UInt32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var label = [UInt32](repeating: 0, count: n)
        var stack: [UInt32] = []
        // Call stack frames: (vertex, next edge position).
        var frames: [(UInt32, Int)] = []
        var counter: UInt32 = 0
        out.offsets.withUnsafeBufferPointer { off in
            out.neighbors.withUnsafeBufferPointer { nb in
                for root in 0..<UInt32(n) where index[Int(root)] == unvisited {
                    frames.append((root, off[Int(root)]))
                    index[Int(root)] = counter; low[Int(root)] = counter; counter += 1
                    stack.append(root); onStack[Int(root)] = true
                    while let (v, pos) = frames.last {
                        let vi = Int(v)
                        if pos < off[vi + 1] {
                            frames[frames.count - 1].1 = pos + 1
                            let w = nb[pos]
                            let wi = Int(w)
                            if index[wi] == unvisited {
                                index[wi] = counter; low[wi] = counter; counter += 1
                                stack.append(w); onStack[wi] = true
                                frames.append((w, off[wi]))
                            } else if onStack[wi] {
                                low[vi] = min(low[vi], index[wi])
                            }
                            continue
                        }
                        frames.removeLast()
                        if let (parent, _) = frames.last { low[Int(parent)] = min(low[Int(parent)], low[vi]) }
                        if low[vi] == index[vi] {
                            // Pop the component; label it with its minimum vertex.
                            var members: [UInt32] = []
                            var smallest = UInt32.max
                            while true {
                                let w = stack.removeLast()
                                onStack[Int(w)] = false
                                members.append(w)
                                smallest = min(smallest, w)
                                if w == v { break }
                            }
                            for w in members { label[Int(w)] = smallest }
                        }
                    }
                }
            }
        }
        return label
    }

    /// SCCs of a property graph.
    public static func run(_ graph: PropertyGraph) -> ComponentsResult {
        ComponentsResult(graph: graph, labels: labels(graph.outAdjacency))
    }
}
