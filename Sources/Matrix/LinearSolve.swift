/// Dense LAPACK drivers: general solve (gesv) and least squares (gels). Inputs are copied
/// (LAPACK overwrites them); results are new matrices.
public enum LAPACK {
    /// Solves A·X = B for square A by LU with partial pivoting (dgesv). O(n³ + n²·nrhs).
    /// Throws `.singular` when a pivot is exactly zero, `.dimensionMismatch` on bad shapes.
    public static func solve<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws -> Matrix<T> {
        guard a.rows == a.columns else { throw MatrixError.dimensionMismatch("gesv: A is \(a.rows)x\(a.columns); expected a square matrix") }
        guard b.rows == a.rows else { throw MatrixError.dimensionMismatch("gesv: B has \(b.rows) rows; expected \(a.rows)") }
        let n = a.rows
        if n == 0 || b.columns == 0 { return b }
        var lu = a, x = b
        var ipiv = [Int32](repeating: 0, count: n)
        let info = lu.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { pb in
                ipiv.withUnsafeMutableBufferPointer { pp in
                    T._gesv(int32(n), int32(b.columns), pa.baseAddress!, int32(n), pp.baseAddress!, pb.baseAddress!, int32(b.columns))
                }
            }
        }
        try check(info, "gesv") { .singular(routine: "gesv", pivot: $0) }
        return x
    }

    /// Solves A·x = b for one right-hand side.
    public static func solve<T: BLASScalar>(_ a: Matrix<T>, _ b: [T]) throws -> [T] {
        try solve(a, Matrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// Minimises ‖A·X − B‖₂ for m×n A of full column rank (m ≥ n), or the minimum-norm solution of
    /// an underdetermined full-row-rank system (m < n), by QR/LQ (dgels). Returns n×nrhs X.
    /// O(m·n² + m·n·nrhs). Throws `.rankDeficient` when the triangular factor has a zero diagonal.
    public static func leastSquares<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws -> Matrix<T> {
        guard b.rows == a.rows else { throw MatrixError.dimensionMismatch("gels: B has \(b.rows) rows; expected \(a.rows)") }
        let m = a.rows, n = a.columns, nrhs = b.columns
        if n == 0 || nrhs == 0 { return Matrix(rows: n, columns: nrhs) }
        if m == 0 { return Matrix(rows: n, columns: nrhs) }
        // B's buffer holds max(m, n) rows: the right-hand sides on entry, the solution on exit.
        let ldbRows = Swift.max(m, n)
        var work = Matrix<T>(rows: ldbRows, columns: nrhs)
        for i in 0..<m { for j in 0..<nrhs { work[i, j] = b[i, j] } }
        var qa = a
        let info = qa.withUnsafeMutableBufferPointer { pa in
            work.withUnsafeMutableBufferPointer { pb in
                T._gels(lapackChar("N"), int32(m), int32(n), int32(nrhs), pa.baseAddress!, int32(n), pb.baseAddress!, int32(nrhs))
            }
        }
        try check(info, "gels") { .rankDeficient(routine: "gels", column: $0) }
        return work[rows: 0..<n].copy()
    }

    /// Maps a LAPACK `info` code: 0 is success, < 0 an invalid argument, > 0 the routine's own failure.
    static func check(_ info: Int32, _ routine: String, positive: (Int) -> MatrixError) throws {
        if info == 0 { return }
        if info < 0 { throw MatrixError.invalidArgument(routine: routine, position: Int(-info)) }
        throw positive(Int(info))
    }
}
