import Foundation

/// The Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix (dpotrf, lower).
///
/// Only the lower triangle of A is read. Factorising is O(n³/3); each solve (dpotrs) O(n²·nrhs).
/// Throws `MatrixError.notPositiveDefinite` naming the first failing leading minor.
public struct Cholesky<T: BLASScalar>: Sendable {
    /// The lower-triangular factor L (upper triangle zeroed).
    public let factor: Matrix<T>

    public init(_ a: Matrix<T>) throws {
        guard a.rows == a.columns else { throw MatrixError.dimensionMismatch("potrf: A is \(a.rows)x\(a.columns); expected a square matrix") }
        let n = a.rows
        var l = a
        if n > 0 {
            let info = l.withUnsafeMutableBufferPointer { p in T._potrf(lapackChar("L"), int32(n), p.baseAddress!, int32(n)) }
            try LAPACK.check(info, "potrf") { .notPositiveDefinite(routine: "potrf", order: $0) }
            for i in 0..<n { for j in (i + 1)..<n { l[i, j] = 0 } }
        }
        factor = l
    }

    /// Order of the matrix.
    public var size: Int { factor.rows }

    /// Solves A·X = B (dpotrs).
    public func solve(_ b: Matrix<T>) throws -> Matrix<T> {
        guard b.rows == size else { throw MatrixError.dimensionMismatch("potrs: B has \(b.rows) rows; expected \(size)") }
        if size == 0 || b.columns == 0 { return b }
        var x = b
        let info = factor.elements.withUnsafeBufferPointer { pl in
            x.withUnsafeMutableBufferPointer { pb in
                T._potrs(lapackChar("L"), int32(size), int32(b.columns), pl.baseAddress!, int32(size), pb.baseAddress!, int32(b.columns))
            }
        }
        try LAPACK.check(info, "potrs") { .notPositiveDefinite(routine: "potrs", order: $0) }
        return x
    }

    /// Solves A·x = b for one right-hand side.
    public func solve(_ b: [T]) throws -> [T] { try solve(Matrix(rows: b.count, columns: 1, elements: b)).elements }

    /// Whitens the rows of X in place: X := X·L⁻ᵀ (dtrsm), so that row i becomes L⁻¹xᵢ and its
    /// squared norm is the Mahalanobis form xᵢᵀA⁻¹xᵢ. O(rows · n²); multithreaded by OpenBLAS.
    public func whitenRows(_ x: inout Matrix<T>) {
        precondition(x.columns == size, "whitenRows: X has \(x.columns) columns; expected \(size)")
        if x.rows == 0 || size == 0 { return }
        let m = int32(x.rows), n = int32(size)
        factor.elements.withUnsafeBufferPointer { pl in
            x.withUnsafeMutableBufferPointer { px in
                T._trsmRightLower(true, m, n, 1, pl.baseAddress!, n, px.baseAddress!, n)
            }
        }
    }

    /// log det A = 2 Σ log Lᵢᵢ.
    public var logDeterminant: T {
        var s: T = 0
        for i in 0..<size { s += T(log(Double(factor[i, i]))) }
        return 2 * s
    }
}
