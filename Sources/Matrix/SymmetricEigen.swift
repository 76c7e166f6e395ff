/// Eigenvalues and eigenvectors of a real symmetric matrix by relatively robust
/// representations (dsyevr), optionally only a subset.
///
/// Only the lower triangle is read. Eigenvalues come in ascending order; eigenvector k is
/// column k of `vectors` (n × count), unit length, sign as LAPACK returns it. All pairs cost
/// O(n³) (tridiagonal reduction dominates); a subset of k pairs saves the O(n²·(n−k)) back
/// transformation of the rest. Numerically the same algorithm as numpy/scipy `eigh(driver="evr")`.
public struct SymmetricEigen<T: BLASScalar>: Sendable {
    /// Which eigenpairs to compute.
    public enum Selection: Sendable {
        /// All n pairs.
        case all
        /// The pairs with (0-based, ascending) indices in the range, e.g. `0...2` for the three smallest.
        case indices(ClosedRange<Int>)
        /// The pairs with eigenvalues in the half-open interval (lower, upper].
        case values(lower: T, upper: T)
    }

    /// Eigenvalues, ascending.
    public let values: [T]
    /// Eigenvectors as columns (n × values.count); empty (n × 0) when vectors were not requested.
    public let vectors: Matrix<T>

    public init(_ a: Matrix<T>, selection: Selection = .all, computeVectors: Bool = true) throws {
        guard a.rows == a.columns else { throw MatrixError.dimensionMismatch("syevr: A is \(a.rows)x\(a.columns); expected a square matrix") }
        let n = a.rows
        var range = lapackChar("A"), il: Int32 = 1, iu: Int32 = Int32(Swift.max(1, n)), vl: T = 0, vu: T = 0
        var columnsZ = n
        switch selection {
        case .all: break
        case let .indices(r):
            guard r.lowerBound >= 0, r.upperBound < n else {
                throw MatrixError.dimensionMismatch("syevr: eigenpair indices \(r) out of range 0..<\(n)")
            }
            range = lapackChar("I")
            il = int32(r.lowerBound + 1)
            iu = int32(r.upperBound + 1)
            columnsZ = r.count
        case let .values(lower, upper):
            guard lower < upper else { throw MatrixError.dimensionMismatch("syevr: empty value interval (\(lower), \(upper)]") }
            range = lapackChar("V")
            vl = lower
            vu = upper
        }
        if n == 0 {
            values = []
            vectors = Matrix(rows: 0, columns: 0)
            return
        }
        var work = a
        var w = [T](repeating: 0, count: n)
        var z = [T](repeating: 0, count: computeVectors ? n * Swift.max(1, columnsZ) : 1)
        var isuppz = [Int32](repeating: 0, count: 2 * n)
        var found: Int32 = 0
        let ldz = computeVectors ? int32(Swift.max(1, columnsZ)) : 1
        let info = work.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                z.withUnsafeMutableBufferPointer { pz in
                    isuppz.withUnsafeMutableBufferPointer { ps in
                        T._syevr(lapackChar(computeVectors ? "V" : "N"), range, lapackChar("L"), int32(n), pa.baseAddress!, int32(n),
                                 vl, vu, il, iu, 0, &found, pw.baseAddress!, pz.baseAddress!, ldz, ps.baseAddress!)
                    }
                }
            }
        }
        try LAPACK.check(info, "syevr") { .noConvergence(routine: "syevr", info: $0) }
        let m = Int(found)
        values = Array(w[0..<m])
        if computeVectors {
            let full = Matrix(rows: n, columns: Swift.max(1, columnsZ), elements: z)
            vectors = m == columnsZ ? (columnsZ == 0 ? Matrix(rows: n, columns: 0) : full) : full[columns: 0..<m].copy()
        } else {
            vectors = Matrix(rows: n, columns: 0)
        }
    }
}
