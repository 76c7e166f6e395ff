// Weakly connected components by concurrent union-find.
//
// Algorithm: every edge links its endpoints' trees; a link hooks the larger root under the
// smaller one with a compare-and-swap, so a vertex's parent only ever decreases and every
// root is the minimum of its set (Anderson & Woll's wait-free union-find, with the
// min-root rule used by Afforest's Link, Sutton et al., IPDPS 2018). Finds use path halving.
// A final compress pass points every vertex at its root.
//
// The partition is unique and each root is its set's minimum internal id, which (internal
// ids follow external order) is the smallest external id: the result is identical whatever
// the thread count or edge order, and equals GraphFrames' "component = min vertex id".
import CSupport
import PropertyGraph

/// Weakly connected components: edges are treated as undirected.
public enum WeaklyConnectedComponents {
    /// Labels every vertex with the internal id of the smallest vertex in its component.
    /// O((V + E) α(V)) work, parallel over edge chunks; 4 bytes per vertex.
    public static func labels(vertexCount: Int, src: [UInt32], dst: [UInt32]) -> [UInt32] {
        var parent = [UInt32](unsafeUninitializedCapacity: vertexCount) { buffer, count in
            for v in 0..<vertexCount { buffer[v] = UInt32(v) }
            count = vertexCount
        }
        parent.withUnsafeMutableBufferPointer { p in
            let parents = p.baseAddress!
            src.withUnsafeBufferPointer { s in
                dst.withUnsafeBufferPointer { d in
                    parallelChunks(count: s.count, chunks: 256, minimumChunk: 1 << 14) { _, range in
                        for e in range { link(s[e], d[e], parents) }
                    }
                }
            }
            parallelChunks(count: vertexCount, chunks: 64, minimumChunk: 1 << 14) { _, range in
                for v in range {
                    var r = aml_atomic_load_u32(parents + v)
                    while true {
                        let next = aml_atomic_load_u32(parents + Int(r))
                        if next == r { break }
                        r = next
                    }
                    aml_atomic_store_u32(parents + v, r)
                }
            }
        }
        return parent
    }

    /// Components of a property graph (edge direction ignored).
    public static func run(_ graph: PropertyGraph) -> ComponentsResult {
        ComponentsResult(graph: graph, labels: labels(vertexCount: graph.vertexCount, src: graph.src, dst: graph.dst))
    }

    @inline(__always)
    static func find(_ x: UInt32, _ parents: UnsafeMutablePointer<UInt32>) -> UInt32 {
        var x = x
        while true {
            let p = aml_atomic_load_u32(parents + Int(x))
            if p == x { return x }
            let gp = aml_atomic_load_u32(parents + Int(p))
            // Path halving: any ancestor is a valid parent, so a racy store stays correct.
            if gp != p { aml_atomic_store_u32(parents + Int(x), gp) }
            x = gp
        }
    }

    @inline(__always)
    static func link(_ u: UInt32, _ v: UInt32, _ parents: UnsafeMutablePointer<UInt32>) {
        var a = u, b = v
        while true {
            a = find(a, parents)
            b = find(b, parents)
            if a == b { return }
            let (high, low) = a > b ? (a, b) : (b, a)
            if aml_atomic_cas_u32(parents + Int(high), high, low) { return }
            a = high
            b = low
        }
    }
}
