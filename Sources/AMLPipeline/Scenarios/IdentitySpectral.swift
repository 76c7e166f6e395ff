// Spectral analysis of identity-graph components (issue 7): a Fiedler split into two
// sub-communities and a bridge score per entity, for the synthetic-identity output.
import Dispatch
import GraphAlgorithms
import Matrix

/// Options for the spectral columns of `SyntheticIdentity.detect`.
public struct SpectralOptions: Sendable {
    /// Components with fewer entities keep one community (a split of a handful says little).
    public var minimumSize = 6
    /// Components with more entities keep one community: the dense eigensolver is O(n³).
    public var maximumSize = 3000
    public init(minimumSize: Int = 6, maximumSize: Int = 3000) {
        self.minimumSize = minimumSize
        self.maximumSize = maximumSize
    }
}

/// Per-entity `community` and `bridge_score` for an identity graph.
///
/// - Entity graph of a component: W = B·Bᵀ with the diagonal removed, B the component's
///   entity × shared-value incidence (one gemm), so W_ij counts the values i and j share.
/// - Normalised Laplacian L = I − D^{-1/2} W D^{-1/2}; its two smallest eigenpairs by syevr
///   (index subset). The eigenvector of the second, the Fiedler vector, splits the component by
///   sign (≥ 0 on one side) — the relaxed normalised cut (Shi–Malik; von Luxburg's tutorial).
///   `community` is the smallest entity id on the entity's side, so it does not depend on the
///   eigenvector's arbitrary sign. Components outside `SpectralOptions`' size range, and any
///   component whose eigensolve fails, keep `community` = component.
/// - `bridge_score`: `ArticulationPoints` on the bipartite identity graph with entity weight 1
///   and value weight 0 — the share of the component's other entities cut off from its largest
///   remaining part when the entity is removed (0 ≤ score < 1; 1/2 for an even cut, near 1
///   for the hub of a star); an entity whose removal splits nothing scores 0. Removing an entity splits the bipartite graph exactly where it splits
///   the entity graph, because every kept value is held by at least two entities.
///
/// Components are analysed in parallel, OpenBLAS single-threaded inside (the Matrix module's
/// threading policy). Cost: O(V + E) for the bridges plus O(k³) per analysed component of k entities.
enum IdentitySpectral {
    static func analyse(entityCount n: Int, vertexCount: Int, src: [UInt32], dst: [UInt32], labels: [UInt32],
                        ids: [Int64], component: [Int64], options: SpectralOptions) -> (community: [Int64], bridge: [Double]) {
        let weights = (0..<vertexCount).map { $0 < n ? 1.0 : 0.0 }
        let bridges = ArticulationPoints.compute(vertexCount: vertexCount, src: src, dst: dst, weight: weights)
        var community = component
        // Group entity rows and their values by component label.
        var rowsOf: [UInt32: [Int]] = [:]
        for row in 0..<n { rowsOf[labels[row], default: []].append(row) }
        var valuesOf = [[Int]](repeating: [], count: n)
        for k in src.indices { valuesOf[Int(src[k])].append(Int(dst[k])) }
        let groups = rowsOf.values.filter { $0.count >= max(2, options.minimumSize) && $0.count <= options.maximumSize }
            .sorted { $0[0] < $1[0] }
        var splits = [[Int64]?](repeating: nil, count: groups.count)
        BLASThreading.singleThreaded {
            splits.withUnsafeMutableBufferPointer { out in
                let o = out
                DispatchQueue.concurrentPerform(iterations: groups.count) { g in
                    o[g] = fiedlerCommunities(rows: groups[g], values: valuesOf, ids: ids)
                }
            }
        }
        for (g, rows) in groups.enumerated() {
            if let c = splits[g] { for (k, row) in rows.enumerated() { community[row] = c[k] } }
        }
        return (community, (0..<n).map { bridges.score[$0] })
    }

    /// The Fiedler split of one component's entity graph; nil if the eigensolve fails.
    static func fiedlerCommunities(rows: [Int], values: [[Int]], ids: [Int64]) -> [Int64]? {
        let k = rows.count
        var columnOf: [Int: Int] = [:]
        for row in rows { for v in values[row] where columnOf[v] == nil { columnOf[v] = columnOf.count } }
        var b = Matrix<Double>(rows: k, columns: columnOf.count)
        for (i, row) in rows.enumerated() { for v in values[row] { b[i, columnOf[v]!] = 1 } }
        var w = BLAS.gemm(b.view, b.view, transposeB: true)
        for i in 0..<k { w[i, i] = 0 }
        let scale: [Double] = (0..<k).map { i in
            let d = BLAS.dot(w.row(i), VectorView([Double](repeating: 1, count: k)))
            return d > 0 ? 1 / d.squareRoot() : 0
        }
        var laplacian = Matrix<Double>(rows: k, columns: k)
        for i in 0..<k { for j in 0..<k { laplacian[i, j] = (i == j ? 1 : 0) - scale[i] * w[i, j] * scale[j] } }
        guard let eigen = try? SymmetricEigen(laplacian, selection: .indices(0...1)) else { return nil }
        var smallest = [Int64.max, Int64.max]
        let side = (0..<k).map { eigen.vectors[$0, 1] >= 0 ? 1 : 0 }
        for i in 0..<k { smallest[side[i]] = min(smallest[side[i]], ids[rows[i]]) }
        return (0..<k).map { smallest[side[$0]] }
    }
}
