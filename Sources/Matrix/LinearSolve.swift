/// Dense LAPACK drivers: a conditioned square solve (getrf + gecon + getrs) and rank-revealing
/// least squares (gelsd). Inputs are copied (LAPACK overwrites them); results are new values.
///
/// Neither driver trusts an exact zero: OpenBLAS picks different kernels per CPU (AVX-512 or
/// not), and a pivot or diagonal that is exactly 0 on one is ±1e-17 on another. Decisions are
/// made on the condition estimate and on singular values against a relative cut-off, as
/// numpy's `lstsq` and scipy's `solve` make them.
public enum LAPACK {
    /// A square solve and the reciprocal 1-norm condition number LAPACK estimated for A.
    public struct ConditionedSolution<T: BLASScalar>: Sendable {
        /// X with A·X = B.
        public var solution: Matrix<T>
        /// gecon's estimate of 1 / (‖A‖₁ ‖A⁻¹‖₁): 1 for the identity, below machine epsilon
        /// when A is singular to working precision.
        public var reciprocalCondition: T
    }

    /// Solves A·X = B for square A by LU with partial pivoting (getrf, getrs), after checking
    /// the condition estimate (gecon) as scipy's `solve` does.
    ///
    /// - Throws: `.singular` when a pivot is exactly zero or the reciprocal condition number is
    ///   below machine epsilon (the answer would be noise), `.dimensionMismatch` on bad shapes,
    ///   `.invalidArgument` on NaN input.
    /// - Complexity: O(n³ + n²·nrhs).
    public static func solveConditioned<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws -> ConditionedSolution<T> {
        guard a.rows == a.columns else { throw MatrixError.dimensionMismatch("getrf: A is \(a.rows)x\(a.columns); expected a square matrix") }
        guard b.rows == a.rows else { throw MatrixError.dimensionMismatch("getrs: B has \(b.rows) rows; expected \(a.rows)") }
        let n = a.rows
        if n == 0 || b.columns == 0 { return ConditionedSolution(solution: b, reciprocalCondition: 1) }
        var lu = a, x = b
        var ipiv = [Int32](repeating: 0, count: n)
        let anorm = a.elements.withUnsafeBufferPointer { T._norm1(int32(n), $0.baseAddress!, int32(n)) }
        let factorInfo = lu.withUnsafeMutableBufferPointer { pa in
            ipiv.withUnsafeMutableBufferPointer { T._getrf(int32(n), pa.baseAddress!, int32(n), $0.baseAddress!) }
        }
        try check(factorInfo, "getrf") { .singular(routine: "getrf", pivot: $0, reciprocalCondition: 0) }
        var rcond: T = 0
        let conInfo = lu.elements.withUnsafeBufferPointer { T._gecon(int32(n), $0.baseAddress!, int32(n), anorm, &rcond) }
        try check(conInfo, "gecon") { _ in .noConvergence(routine: "gecon", info: Int(conInfo)) }
        guard rcond >= T.ulpOfOne, rcond.isFinite else {
            throw MatrixError.singular(routine: "gecon", pivot: 0, reciprocalCondition: Double(rcond))
        }
        let solveInfo = lu.elements.withUnsafeBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { pb in
                ipiv.withUnsafeBufferPointer { T._getrs(int32(n), int32(b.columns), pa.baseAddress!, int32(n), $0.baseAddress!, pb.baseAddress!, int32(b.columns)) }
            }
        }
        try check(solveInfo, "getrs") { .invalidArgument(routine: "getrs", position: $0) }
        return ConditionedSolution(solution: x, reciprocalCondition: rcond)
    }

    /// Solves A·X = B for square A; `solveConditioned` without the condition estimate.
    /// - Complexity: O(n³ + n²·nrhs).
    public static func solve<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws -> Matrix<T> {
        try solveConditioned(a, b).solution
    }

    /// Solves A·x = b for one right-hand side.
    /// - Complexity: O(n³).
    public static func solve<T: BLASScalar>(_ a: Matrix<T>, _ b: [T]) throws -> [T] {
        try solve(a, Matrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// A least-squares solution with the rank and singular values that decided it.
    public struct LeastSquaresSolution<T: BLASScalar>: Sendable {
        /// The n×nrhs minimum-norm X minimising ‖A·X − B‖₂.
        public var solution: Matrix<T>
        /// The effective rank: singular values above `cutoff · σ₁`.
        public var rank: Int
        /// A's singular values, largest first (min(m, n) of them).
        public var singularValues: [T]
        /// The relative cut-off that was applied.
        public var cutoff: T
    }

    /// Minimises ‖A·X − B‖₂ for any m×n A, returning the minimum-norm solution, A's effective
    /// rank and its singular values (gelsd, SVD by divide and conquer).
    ///
    /// Follows numpy's `lstsq`: singular values at or below `rcond · σ₁` count as zero, and the
    /// default `rcond` is machine epsilon × max(m, n). A rank-deficient A is not an error; the
    /// caller reads `rank`.
    /// - Complexity: O(m·n·min(m, n) + max(m, n)·nrhs·min(m, n)).
    public static func leastSquares<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>, rcond: T? = nil) throws -> LeastSquaresSolution<T> {
        guard b.rows == a.rows else { throw MatrixError.dimensionMismatch("gelsd: B has \(b.rows) rows; expected \(a.rows)") }
        let m = a.rows, n = a.columns, nrhs = b.columns
        let cutoff = rcond ?? T.ulpOfOne * T(Swift.max(m, n))
        if n == 0 || m == 0 || nrhs == 0 {
            return LeastSquaresSolution(solution: Matrix(rows: n, columns: nrhs), rank: 0,
                                        singularValues: [T](repeating: 0, count: Swift.min(m, n)), cutoff: cutoff)
        }
        // B's buffer holds max(m, n) rows: the right-hand sides on entry, the solution on exit.
        var work = Matrix<T>(rows: Swift.max(m, n), columns: nrhs)
        for i in 0..<m { for j in 0..<nrhs { work[i, j] = b[i, j] } }
        var qa = a
        var s = [T](repeating: 0, count: Swift.min(m, n))
        var rank: Int32 = 0
        let info = qa.withUnsafeMutableBufferPointer { pa in
            work.withUnsafeMutableBufferPointer { pb in
                s.withUnsafeMutableBufferPointer { ps in
                    T._gelsd(int32(m), int32(n), int32(nrhs), pa.baseAddress!, int32(n), pb.baseAddress!, int32(nrhs),
                             ps.baseAddress!, cutoff, &rank)
                }
            }
        }
        try check(info, "gelsd") { .noConvergence(routine: "gelsd", info: $0) }
        return LeastSquaresSolution(solution: work[rows: 0..<n].copy(), rank: Int(rank), singularValues: s, cutoff: cutoff)
    }

    /// Maps a LAPACK `info` code: 0 is success, < 0 an invalid argument, > 0 the routine's own failure.
    static func check(_ info: Int32, _ routine: String, positive: (Int) -> MatrixError) throws {
        if info == 0 { return }
        if info < 0 { throw MatrixError.invalidArgument(routine: routine, position: Int(-info)) }
        throw positive(Int(info))
    }
}
