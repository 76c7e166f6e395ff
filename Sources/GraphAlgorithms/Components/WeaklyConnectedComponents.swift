// Weakly connected components by concurrent union-find.
//
// Algorithm: every edge links its endpoints' trees; a link hooks the larger root under the
// smaller one with a compare-and-swap, so a vertex's parent only ever decreases and every
// root is the minimum of its set (Anderson & Woll's wait-free union-find, with the
// min-root rule used by Afforest's Link, Sutton et al., IPDPS 2018). Finds use path halving.
// A final compress pass points every vertex at its root. Large inputs use Afforest's
// sampling (Sutton et al.): a quarter of the edges are linked first, the most frequent root
// is sampled, and later edges inside that giant component are skipped without a find.
//
// The partition is unique and each root is its set's minimum internal id, which (internal
// ids follow external order) is the smallest external id: the result is identical whatever
// the thread count or edge order, and equals GraphFrames' "component = min vertex id".
import Columnar
import CSupport
import PropertyGraph

/// Weakly connected components: edges are treated as undirected.
public enum WeaklyConnectedComponents {
    /// Labels every vertex with the internal id of the smallest vertex in its component.
    /// O((V + E) α(V)) work, parallel over edge chunks; 4 bytes per vertex.
    /// `sampling` forces Afforest's sampling on or off (by default it is on from 2²⁰ edges).
    public static func labels(vertexCount: Int, src: [UInt32], dst: [UInt32], sampling: Bool? = nil) -> [UInt32] {
        var parent = [UInt32](unsafeUninitializedCapacity: vertexCount) { buffer, count in
            for v in 0..<vertexCount { buffer[v] = UInt32(v) }
            count = vertexCount
        }
        guard vertexCount > 0 else { return parent }
        parent.withUnsafeMutableBufferPointer { p in
            let parents = p.baseAddress!
            src.withUnsafeBufferPointer { s in
                dst.withUnsafeBufferPointer { d in
                    // Afforest's sampling on an edge list: link one edge in `stride` first,
                    // which already joins most of the giant component; then skip every later
                    // edge whose endpoints both point straight at that component's root, and
                    // link the rest. Union-find is confluent, so the partition (and the
                    // min-root labels) are the same as linking every edge.
                    let stride = (sampling ?? (s.count >= 1 << 20)) ? sampleStride : 1
                    parallelChunks(count: s.count, chunks: 256, minimumChunk: 1 << 14) { _, range in
                        var e = range.lowerBound + (stride - range.lowerBound % stride) % stride
                        while e < range.upperBound { link(s[e], d[e], parents); e += stride }
                    }
                    guard stride > 1 else { return }
                    compress(vertexCount, parents)
                    let giant = mostFrequentRoot(vertexCount, parents)
                    parallelChunks(count: s.count, chunks: 256, minimumChunk: 1 << 14) { _, range in
                        for e in range where e % stride != 0 {
                            let u = s[e], v = d[e]
                            if aml_atomic_load_u32(parents + Int(u)) == giant && aml_atomic_load_u32(parents + Int(v)) == giant { continue }
                            link(u, v, parents)
                        }
                    }
                }
            }
            compress(vertexCount, parents)
        }
        return parent
    }

    /// One edge in this many is linked before sampling the giant component.
    static let sampleStride = 4

    /// Points every vertex straight at its root.
    static func compress(_ vertexCount: Int, _ parents: UnsafeMutablePointer<UInt32>) {
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

    /// The root shared by most of 1,024 vertices picked by a fixed-seed generator (Afforest's
    /// SampleFrequentElement); deterministic, and only a hint: any answer is correct.
    static func mostFrequentRoot(_ vertexCount: Int, _ parents: UnsafeMutablePointer<UInt32>) -> UInt32 {
        var counts: [UInt32: Int] = [:]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<1_024 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let v = Int((state >> 33) % UInt64(vertexCount))
            counts[parents[v], default: 0] += 1
        }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
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
