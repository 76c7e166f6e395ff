/// Articulation points of an undirected graph with a graded "bridge" score (Hopcroft–Tarjan,
/// iterative DFS, so deep graphs do not overflow the stack).
///
/// Vertices carry a weight (e.g. 1 for entities, 0 for attribute values). Removing vertex v
/// splits its connected component into pieces; `separated[v]` is the weight of everything
/// outside the largest piece, and `score[v] = separated[v] / (W − w(v))` with W the component's
/// weight: 0 for a vertex whose removal splits nothing, 1/2 for one that cuts its component
/// into two equal halves, approaching 1 for the centre of a large star. Pieces are measured by weight only, so with entity weights
/// 1 and attribute weights 0 the score counts entities cut off. O(V + E).
public enum ArticulationPoints {
    public struct Result: Sendable {
        /// Weight cut off from the largest remaining piece when the vertex is removed.
        public var separated: [Double]
        /// `separated / (component weight − own weight)`, 0 when that is 0.
        public var score: [Double]
        /// True for articulation points (removal increases the number of components).
        public var isArticulation: [Bool]
    }

    /// - Parameters: undirected edges `src[k]–dst[k]` over `0..<vertexCount`; `weight` per vertex.
    public static func compute(vertexCount n: Int, src: [UInt32], dst: [UInt32], weight: [Double]) -> Result {
        precondition(src.count == dst.count && weight.count == n, "edge or weight arrays of the wrong length")
        // Undirected CSR.
        var offsets = [Int](repeating: 0, count: n + 1)
        for k in src.indices where src[k] != dst[k] { offsets[Int(src[k]) + 1] += 1; offsets[Int(dst[k]) + 1] += 1 }
        for i in 0..<n { offsets[i + 1] += offsets[i] }
        var fill = offsets, adj = [Int32](repeating: 0, count: offsets[n])
        for k in src.indices where src[k] != dst[k] {
            let a = Int(src[k]), b = Int(dst[k])
            adj[fill[a]] = Int32(b); fill[a] += 1
            adj[fill[b]] = Int32(a); fill[b] += 1
        }
        var disc = [Int32](repeating: -1, count: n), low = [Int32](repeating: 0, count: n)
        var parent = [Int32](repeating: -1, count: n)
        var subtree = weight                       // weight of the DFS subtree, filled on finish
        var cutOff = [Double](repeating: 0, count: n)   // Σ weights of child subtrees separated from v
        var largestCut = [Double](repeating: 0, count: n)
        var cutChildren = [Int32](repeating: 0, count: n)
        var next = [Int](repeating: 0, count: n)
        var result = Result(separated: [Double](repeating: 0, count: n), score: [Double](repeating: 0, count: n),
                            isArticulation: [Bool](repeating: false, count: n))
        var time: Int32 = 0
        var stack: [Int32] = []
        var members: [Int32] = []
        for root in 0..<n where disc[root] < 0 {
            members.removeAll(keepingCapacity: true)
            disc[root] = time; low[root] = time; time += 1
            next[root] = offsets[root]
            stack.append(Int32(root))
            members.append(Int32(root))
            while let top = stack.last {
                let v = Int(top)
                if next[v] < offsets[v + 1] {
                    let u = Int(adj[next[v]])
                    next[v] += 1
                    if disc[u] < 0 {
                        parent[u] = Int32(v)
                        disc[u] = time; low[u] = time; time += 1
                        next[u] = offsets[u]
                        stack.append(Int32(u))
                        members.append(Int32(u))
                    } else if u != Int(parent[v]) {
                        low[v] = min(low[v], disc[u])
                    }
                } else {
                    stack.removeLast()
                    let p = Int(parent[v])
                    if p >= 0 {
                        subtree[p] += subtree[v]
                        low[p] = min(low[p], low[v])
                        if low[v] >= disc[p] {
                            cutOff[p] += subtree[v]
                            largestCut[p] = max(largestCut[p], subtree[v])
                            cutChildren[p] += 1
                        }
                    }
                }
            }
            let total = subtree[root]
            for m in members {
                let v = Int(m)
                let isRoot = v == root
                // The root's children are all separated pieces; a non-root also keeps the rest.
                let rest = isRoot ? 0 : total - weight[v] - cutOff[v]
                let pieces = Int(cutChildren[v]) + (isRoot ? 0 : 1)
                guard pieces >= 2 else { continue }
                result.isArticulation[v] = true
                let others = total - weight[v]
                let largest = max(largestCut[v], rest)
                result.separated[v] = others - largest
                result.score[v] = others > 0 ? (others - largest) / others : 0
            }
        }
        return result
    }
}
