/// Level 1–3 BLAS on `Matrix`, `MatrixView` and `VectorView` (OpenBLAS, row-major).
///
/// Shapes are checked before calling into C (a mismatch is a programming error and traps);
/// empty operands are handled here because BLAS would read through null base addresses.
/// Costs are the BLAS ones: gemm O(m·n·k), gemv O(m·n), axpy/dot/scal O(n). Large gemm/gemv
/// use OpenBLAS's threads (see `BLASThreading` for the project's policy).
public enum BLAS {
    /// C = alpha · op(A) · op(B), a new matrix (dgemm/sgemm).
    public static func gemm<T: BLASScalar>(_ a: MatrixView<T>, _ b: MatrixView<T>, transposeA: Bool = false, transposeB: Bool = false,
                               alpha: T = 1) -> Matrix<T> {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        var c = Matrix<T>(rows: m, columns: n)
        gemm(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 0, into: &c)
        return c
    }

    /// C = alpha · op(A) · op(B) + beta · C, in place (dgemm/sgemm).
    public static func gemm<T: BLASScalar>(_ a: MatrixView<T>, _ b: MatrixView<T>, transposeA: Bool = false, transposeB: Bool = false,
                               alpha: T = 1, beta: T, into c: inout Matrix<T>) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        precondition(c.rows == m && c.columns == n, "gemm: C is \(c.rows)x\(c.columns), expected \(m)x\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            scal(beta, &c)
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    T._gemm(transposeA, transposeB, int32(m), int32(n), int32(k), alpha,
                            pa.baseAddress! + a.offset, int32(a.leadingDimension),
                            pb.baseAddress! + b.offset, int32(b.leadingDimension),
                            beta, pc.baseAddress!, int32(Swift.max(1, n)))
                }
            }
        }
    }

    /// y = alpha · op(A) · x, a new vector (dgemv/sgemv).
    public static func gemv<T: BLASScalar>(_ a: MatrixView<T>, _ x: VectorView<T>, transpose: Bool = false, alpha: T = 1) -> [T] {
        var y = [T](repeating: 0, count: transpose ? a.columns : a.rows)
        gemv(a, x, transpose: transpose, alpha: alpha, beta: 0, into: &y)
        return y
    }

    /// y = alpha · op(A) · x + beta · y, in place (dgemv/sgemv).
    public static func gemv<T: BLASScalar>(_ a: MatrixView<T>, _ x: VectorView<T>, transpose: Bool = false, alpha: T = 1, beta: T, into y: inout [T]) {
        let rowsOut = transpose ? a.columns : a.rows
        let inner = transpose ? a.rows : a.columns
        precondition(x.count == inner, "gemv: x has \(x.count) elements, expected \(inner)")
        precondition(y.count == rowsOut, "gemv: y has \(y.count) elements, expected \(rowsOut)")
        if rowsOut == 0 { return }
        if inner == 0 {
            scal(beta, &y)
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            x.storage.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    T._gemv(transpose, int32(a.rows), int32(a.columns), alpha, pa.baseAddress! + a.offset,
                            int32(a.leadingDimension), px.baseAddress! + x.offset, int32(x.stride),
                            beta, py.baseAddress!, 1)
                }
            }
        }
    }

    /// y += alpha · x (daxpy/saxpy).
    public static func axpy<T: BLASScalar>(_ alpha: T, _ x: VectorView<T>, _ y: inout [T]) {
        precondition(x.count == y.count, "axpy: lengths differ (\(x.count) vs \(y.count))")
        if y.isEmpty { return }
        x.storage.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                T._axpy(int32(py.count), alpha, px.baseAddress! + x.offset, int32(x.stride), py.baseAddress!, 1)
            }
        }
    }

    /// y += alpha · x for arrays.
    public static func axpy<T: BLASScalar>(_ alpha: T, _ x: [T], _ y: inout [T]) { axpy(alpha, VectorView(x), &y) }

    /// xᵀy (ddot/sdot); 0 for empty vectors.
    public static func dot<T: BLASScalar>(_ x: VectorView<T>, _ y: VectorView<T>) -> T {
        precondition(x.count == y.count, "dot: lengths differ (\(x.count) vs \(y.count))")
        if x.count == 0 { return 0 }
        return x.storage.withUnsafeBufferPointer { px in
            y.storage.withUnsafeBufferPointer { py in
                T._dot(int32(x.count), px.baseAddress! + x.offset, int32(x.stride), py.baseAddress! + y.offset, int32(y.stride))
            }
        }
    }

    /// xᵀy for arrays.
    public static func dot<T: BLASScalar>(_ x: [T], _ y: [T]) -> T { dot(VectorView(x), VectorView(y)) }

    /// x *= alpha (dscal/sscal).
    public static func scal<T: BLASScalar>(_ alpha: T, _ x: inout [T]) {
        if x.isEmpty { return }
        x.withUnsafeMutableBufferPointer { p in T._scal(int32(p.count), alpha, p.baseAddress!, 1) }
    }

    /// A *= alpha, every element.
    public static func scal<T: BLASScalar>(_ alpha: T, _ a: inout Matrix<T>) {
        if a.isEmpty { return }
        a.withUnsafeMutableBufferPointer { p in T._scal(int32(p.count), alpha, p.baseAddress!, 1) }
    }
}
