import Columnar
import PropertyGraph

/// The undirected simple graph underlying a property graph: edge direction is ignored,
/// parallel edges collapse into one and self-loops are dropped. Neighbour lists are sorted
/// ascending. This is the graph GraphFrames' `triangleCount` and networkx's `core_number`
/// work on.
///
/// Built from the CSR and CSC in O(V + E log d) (one sort per vertex), parallel over vertex
/// chunks; 4 bytes per undirected edge end plus 8 per vertex.
public struct SimpleUndirectedAdjacency: Sendable {
    public let offsets: [Int]
    public let neighbors: [UInt32]

    public var vertexCount: Int { offsets.count - 1 }
    @inlinable public func degree(_ v: Int) -> Int { offsets[v + 1] - offsets[v] }
    @inlinable public func range(_ v: Int) -> Range<Int> { offsets[v]..<offsets[v + 1] }

    public init(_ graph: PropertyGraph) {
        let out = graph.outAdjacency, inn = graph.inAdjacency
        let n = graph.vertexCount
        // Pass 1: distinct neighbour count per vertex; pass 2: fill. Each vertex is handled by
        // one thread into its own slot, so the result does not depend on scheduling.
        var counts = [Int](repeating: 0, count: n + 1)
        func collect(_ v: Int, into buffer: inout [UInt32]) {
            buffer.removeAll(keepingCapacity: true)
            let vid = UInt32(v)
            for k in out.range(vid) where out.neighbors[k] != vid { buffer.append(out.neighbors[k]) }
            for k in inn.range(vid) where inn.neighbors[k] != vid { buffer.append(inn.neighbors[k]) }
            buffer.sort()
            var w = 0
            for i in 0..<buffer.count where i == 0 || buffer[i] != buffer[i - 1] {
                buffer[w] = buffer[i]
                w += 1
            }
            buffer.removeLast(buffer.count - w)
        }
        counts.withUnsafeMutableBufferPointer { c in
            let base = c.baseAddress!
            parallelChunks(count: n, chunks: 64, minimumChunk: 1 << 12) { _, r in
                var buffer: [UInt32] = []
                for v in r {
                    collect(v, into: &buffer)
                    base[v + 1] = buffer.count
                }
            }
        }
        for v in 0..<n { counts[v + 1] += counts[v] }
        var neighbors = [UInt32](repeating: 0, count: counts[n])
        let offsets = counts
        neighbors.withUnsafeMutableBufferPointer { nb in
            let base = nb.baseAddress!
            parallelChunks(count: n, chunks: 64, minimumChunk: 1 << 12) { _, r in
                var buffer: [UInt32] = []
                for v in r {
                    collect(v, into: &buffer)
                    var p = offsets[v]
                    for w in buffer { base[p] = w; p += 1 }
                }
            }
        }
        self.offsets = offsets
        self.neighbors = neighbors
    }
}
