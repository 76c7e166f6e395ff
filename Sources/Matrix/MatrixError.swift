/// A LAPACK failure, decoded from the routine's `info` code.
///
/// `info < 0` means argument `-info` was invalid; LAPACKE also reports a NaN in an input matrix
/// this way (its NaN check runs before the routine). `info > 0` has a per-routine meaning,
/// mapped to the cases below. Indices in messages are 1-based, as LAPACK reports them.
public enum MatrixError: Error, CustomStringConvertible, Equatable, Sendable {
    /// getrf: U(i,i) is exactly zero (`pivot` i); or gecon: the reciprocal condition number is
    /// below machine epsilon (`pivot` 0), so the matrix is singular to working precision and
    /// no solution was computed.
    case singular(routine: String, pivot: Int, reciprocalCondition: Double)
    /// potrf/potrs: the leading minor of order `order` is not positive definite.
    case notPositiveDefinite(routine: String, order: Int)
    /// syevr/gesdd/gelsd: the iteration did not converge (`info` as returned).
    case noConvergence(routine: String, info: Int)
    /// An argument was invalid, or the input held a NaN (LAPACKE's check).
    case invalidArgument(routine: String, position: Int)
    /// Operand shapes do not fit the operation.
    case dimensionMismatch(String)

    public var description: String {
        switch self {
        case let .singular(r, p, rc):
            if p > 0 { return "\(r): the matrix is singular (U(\(p),\(p)) is zero); expected a nonsingular square matrix" }
            return "\(r): the matrix is singular to working precision (reciprocal condition number \(rc)); expected a well-conditioned square matrix, or use least squares"
        case let .notPositiveDefinite(r, k):
            return "\(r): the matrix is not positive definite (leading minor of order \(k) is not); expected a symmetric positive-definite matrix"
        case let .noConvergence(r, i):
            return "\(r): the algorithm failed to converge (info \(i))"
        case let .invalidArgument(r, p):
            return "\(r): argument \(p) is invalid or the input contains NaN"
        case let .dimensionMismatch(m):
            return m
        }
    }
}
