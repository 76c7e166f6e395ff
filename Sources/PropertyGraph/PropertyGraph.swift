import Columnar
import Foundation

/// A directed property multigraph with dense `UInt32` vertex ids.
///
/// - Vertex `v` has external id `ids` at position `v`; internal ids follow ascending
///   external order (see `VertexIDs`).
/// - Edge `e` goes from `src[e]` to `dst[e]`; edge ids are rows of `edgeProperties`.
/// - Out-adjacency (CSR) and in-adjacency (CSC) are built on first use and cached, so
///   kernels that need only the edge list (connected components) never pay for them.
/// - Properties stay columnar: `vertexProperties` row `v` belongs to vertex `v`, and
///   `edgeProperties` row `e` to edge `e`.
///
/// Matches GraphFrames' model: a vertices DataFrame with `id` and an edges DataFrame with
/// `src`, `dst`; parallel edges and self-loops are kept.
public final class PropertyGraph: @unchecked Sendable {
    public let ids: VertexIDs
    public let src: [UInt32]
    public let dst: [UInt32]
    public let vertexProperties: Table
    public let edgeProperties: Table

    private let lock = NSLock()
    private var cachedOut: CSRAdjacency?
    private var cachedIn: CSRAdjacency?

    public var vertexCount: Int { ids.count }
    public var edgeCount: Int { src.count }

    /// Assembles a graph from already-mapped parts. Prefer `GraphBuilder`.
    public init(ids: VertexIDs, src: [UInt32], dst: [UInt32], vertexProperties: Table, edgeProperties: Table) {
        precondition(src.count == dst.count)
        self.ids = ids
        self.src = src
        self.dst = dst
        self.vertexProperties = vertexProperties
        self.edgeProperties = edgeProperties
    }

    /// Out-edges grouped by source (CSR). Built once, O(V + E).
    public var outAdjacency: CSRAdjacency {
        if let a = lock.withLock({ cachedOut }) { return a }
        let a = CSRAdjacency(vertexCount: vertexCount, keys: src, others: dst)
        lock.withLock { if cachedOut == nil { cachedOut = a } }
        return a
    }

    /// In-edges grouped by destination (CSC). Built once, O(V + E).
    public var inAdjacency: CSRAdjacency {
        if let a = lock.withLock({ cachedIn }) { return a }
        let a = CSRAdjacency(vertexCount: vertexCount, keys: dst, others: src)
        lock.withLock { if cachedIn == nil { cachedIn = a } }
        return a
    }

    /// Builds both adjacencies now, in parallel (useful before timing a kernel).
    public func prepareAdjacency() {
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 { _ = outAdjacency } else { _ = inAdjacency }
        }
    }
}
