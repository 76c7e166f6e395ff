/// Compressed sparse rows: for each vertex `v`, its incident edges occupy
/// `offsets[v]..<offsets[v+1]` of `neighbors` (the other endpoint) and `edgeIDs` (the edge's
/// row in the edges table). Parallel edges and self-loops are kept, each with its own edge id;
/// within a vertex, edges appear in ascending edge id.
///
/// Built for out-edges (CSR, keyed by source) and in-edges (CSC, keyed by destination) by one
/// counting sort: O(V + E) time, 8 bytes per edge plus 8 per vertex.
public struct CSRAdjacency: Sendable {
    public let offsets: [Int]
    public let neighbors: [UInt32]
    public let edgeIDs: [UInt32]

    public var vertexCount: Int { offsets.count - 1 }
    public var edgeCount: Int { neighbors.count }

    /// The degree of `v` in this direction. O(1).
    @inlinable public func degree(_ v: UInt32) -> Int { offsets[Int(v) + 1] - offsets[Int(v)] }

    /// The slice of `neighbors`/`edgeIDs` holding `v`'s edges. O(1).
    @inlinable public func range(_ v: UInt32) -> Range<Int> { offsets[Int(v)]..<offsets[Int(v) + 1] }

    /// Groups edges by `keys[e]`, recording `others[e]` as the neighbour.
    public init(vertexCount: Int, keys: [UInt32], others: [UInt32]) {
        precondition(keys.count == others.count)
        var offsets = [Int](repeating: 0, count: vertexCount + 1)
        var neighbors = [UInt32](repeating: 0, count: keys.count)
        var edgeIDs = [UInt32](repeating: 0, count: keys.count)
        keys.withUnsafeBufferPointer { k in
            others.withUnsafeBufferPointer { o in
                offsets.withUnsafeMutableBufferPointer { off in
                    for key in k { off[Int(key) + 1] += 1 }
                    for v in 0..<vertexCount { off[v + 1] += off[v] }
                    var cursor = Array(off[0..<vertexCount])
                    neighbors.withUnsafeMutableBufferPointer { n in
                        edgeIDs.withUnsafeMutableBufferPointer { ids in
                            cursor.withUnsafeMutableBufferPointer { c in
                                for e in 0..<k.count {
                                    let key = Int(k[e])
                                    let pos = c[key]
                                    c[key] = pos + 1
                                    n[pos] = o[e]
                                    ids[pos] = UInt32(truncatingIfNeeded: e)
                                }
                            }
                        }
                    }
                }
            }
        }
        self.offsets = offsets
        self.neighbors = neighbors
        self.edgeIDs = edgeIDs
    }
}
