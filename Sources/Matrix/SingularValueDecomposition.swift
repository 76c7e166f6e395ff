/// The thin singular value decomposition A = U·diag(s)·Vᵀ by divide and conquer (dgesdd, jobz 'S').
///
/// For m×n A with k = min(m, n): U is m×k, s has k values in descending order, Vᵀ is k×n.
/// O(m·n·k). Signs of singular vector pairs are LAPACK's. Throws `.noConvergence` if the
/// bidiagonal iteration fails.
public struct SingularValueDecomposition<T: BLASScalar>: Sendable {
    public let u: Matrix<T>
    public let singularValues: [T]
    public let vt: Matrix<T>

    public init(_ a: Matrix<T>) throws {
        let m = a.rows, n = a.columns, k = Swift.min(m, n)
        if k == 0 {
            u = Matrix(rows: m, columns: 0)
            singularValues = []
            vt = Matrix(rows: 0, columns: n)
            return
        }
        var work = a
        var s = [T](repeating: 0, count: k)
        var uu = Matrix<T>(rows: m, columns: k), vv = Matrix<T>(rows: k, columns: n)
        let info = work.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                uu.withUnsafeMutableBufferPointer { pu in
                    vv.withUnsafeMutableBufferPointer { pv in
                        T._gesdd(lapackChar("S"), int32(m), int32(n), pa.baseAddress!, int32(n), ps.baseAddress!,
                                 pu.baseAddress!, int32(k), pv.baseAddress!, int32(n))
                    }
                }
            }
        }
        try LAPACK.check(info, "gesdd") { .noConvergence(routine: "gesdd", info: $0) }
        u = uu
        singularValues = s
        vt = vv
    }

    /// U·diag(s)·Vᵀ, for residual checks.
    public var reconstructed: Matrix<T> {
        var us = u
        for i in 0..<us.rows { for j in 0..<us.columns { us[i, j] *= singularValues[j] } }
        return us * vt
    }
}
