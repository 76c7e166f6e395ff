import CBLAS

/// An element type that OpenBLAS and LAPACKE have routines for: `Double` (d-prefixed) and
/// `Float` (s-prefixed). The requirements are thin, unchecked pass-throughs to the C routines
/// in row-major layout; the checked API is `BLAS`, `LAPACK` and the factorisation types.
/// Dimensions are `Int32` because Debian's OpenBLAS and LAPACKE use 32-bit integers.
public protocol BLASScalar: BinaryFloatingPoint, Sendable {
    static func _gemm(_ ta: Bool, _ tb: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Self,
                      _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafePointer<Self>, _ ldb: Int32,
                      _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
    static func _gemv(_ t: Bool, _ m: Int32, _ n: Int32, _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int32,
                      _ x: UnsafePointer<Self>, _ incx: Int32, _ beta: Self, _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    static func _axpy(_ n: Int32, _ alpha: Self, _ x: UnsafePointer<Self>, _ incx: Int32, _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    static func _dot(_ n: Int32, _ x: UnsafePointer<Self>, _ incx: Int32, _ y: UnsafePointer<Self>, _ incy: Int32) -> Self
    static func _scal(_ n: Int32, _ alpha: Self, _ x: UnsafeMutablePointer<Self>, _ incx: Int32)
    /// B := B · op(L)⁻¹ with L lower triangular (side right); `transpose` selects op(L) = Lᵀ.
    static func _trsmRightLower(_ transpose: Bool, _ m: Int32, _ n: Int32, _ alpha: Self,
                                _ l: UnsafePointer<Self>, _ ldl: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32)

    static func _getrf(_ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32
    static func _getrs(_ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Self>, _ lda: Int32,
                       _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    /// The 1-norm of a square matrix (largest absolute column sum).
    static func _norm1(_ n: Int32, _ a: UnsafePointer<Self>, _ lda: Int32) -> Self
    /// The reciprocal 1-norm condition number of an LU-factored matrix, given the 1-norm of the original.
    static func _gecon(_ n: Int32, _ lu: UnsafePointer<Self>, _ lda: Int32, _ anorm: Self, _ rcond: UnsafeMutablePointer<Self>) -> Int32
    static func _potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32) -> Int32
    static func _potrs(_ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Self>, _ lda: Int32,
                       _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    static func _syevr(_ jobz: CChar, _ range: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32,
                       _ vl: Self, _ vu: Self, _ il: Int32, _ iu: Int32, _ abstol: Self, _ m: UnsafeMutablePointer<Int32>,
                       _ w: UnsafeMutablePointer<Self>, _ z: UnsafeMutablePointer<Self>, _ ldz: Int32,
                       _ isuppz: UnsafeMutablePointer<Int32>) -> Int32
    static func _gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32,
                       _ s: UnsafeMutablePointer<Self>, _ u: UnsafeMutablePointer<Self>, _ ldu: Int32,
                       _ vt: UnsafeMutablePointer<Self>, _ ldvt: Int32) -> Int32
    static func _gelsd(_ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32,
                       _ b: UnsafeMutablePointer<Self>, _ ldb: Int32, _ s: UnsafeMutablePointer<Self>, _ rcond: Self,
                       _ rank: UnsafeMutablePointer<Int32>) -> Int32
}

@inline(__always) private func op(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }
private let rowMajor = Int32(LAPACK_ROW_MAJOR)

extension Double: BLASScalar {
    public static func _gemm(_ ta: Bool, _ tb: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafePointer<Double>, _ ldb: Int32, _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int32) {
        cblas_dgemm(CblasRowMajor, op(ta), op(tb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func _gemv(_ t: Bool, _ m: Int32, _ n: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ beta: Double, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) {
        cblas_dgemv(CblasRowMajor, op(t), m, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func _axpy(_ n: Int32, _ alpha: Double, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) {
        cblas_daxpy(n, alpha, x, incx, y, incy)
    }
    public static func _dot(_ n: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafePointer<Double>, _ incy: Int32) -> Double {
        cblas_ddot(n, x, incx, y, incy)
    }
    public static func _scal(_ n: Int32, _ alpha: Double, _ x: UnsafeMutablePointer<Double>, _ incx: Int32) {
        cblas_dscal(n, alpha, x, incx)
    }
    public static func _trsmRightLower(_ transpose: Bool, _ m: Int32, _ n: Int32, _ alpha: Double, _ l: UnsafePointer<Double>, _ ldl: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) {
        cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, op(transpose), CblasNonUnit, m, n, alpha, l, ldl, b, ldb)
    }
    public static func _getrf(_ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_dgetrf(rowMajor, n, n, a, lda, ipiv)
    }
    public static func _getrs(_ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Double>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 {
        LAPACKE_dgetrs(rowMajor, lapackChar("N"), n, nrhs, a, lda, ipiv, b, ldb)
    }
    public static func _norm1(_ n: Int32, _ a: UnsafePointer<Double>, _ lda: Int32) -> Double {
        LAPACKE_dlange(rowMajor, lapackChar("1"), n, n, a, lda)
    }
    public static func _gecon(_ n: Int32, _ lu: UnsafePointer<Double>, _ lda: Int32, _ anorm: Double, _ rcond: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dgecon(rowMajor, lapackChar("1"), n, lu, lda, anorm, rcond)
    }
    public static func _potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32) -> Int32 {
        LAPACKE_dpotrf(rowMajor, uplo, n, a, lda)
    }
    public static func _potrs(_ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 {
        LAPACKE_dpotrs(rowMajor, uplo, n, nrhs, a, lda, b, ldb)
    }
    public static func _syevr(_ jobz: CChar, _ range: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ vl: Double, _ vu: Double, _ il: Int32, _ iu: Int32, _ abstol: Double, _ m: UnsafeMutablePointer<Int32>, _ w: UnsafeMutablePointer<Double>, _ z: UnsafeMutablePointer<Double>, _ ldz: Int32, _ isuppz: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_dsyevr(rowMajor, jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w, z, ldz, isuppz)
    }
    public static func _gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ s: UnsafeMutablePointer<Double>, _ u: UnsafeMutablePointer<Double>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Double>, _ ldvt: Int32) -> Int32 {
        LAPACKE_dgesdd(rowMajor, jobz, m, n, a, lda, s, u, ldu, vt, ldvt)
    }
    public static func _gelsd(_ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32, _ s: UnsafeMutablePointer<Double>, _ rcond: Double, _ rank: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_dgelsd(rowMajor, m, n, nrhs, a, lda, b, ldb, s, rcond, rank)
    }
}

extension Float: BLASScalar {
    public static func _gemm(_ ta: Bool, _ tb: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafePointer<Float>, _ ldb: Int32, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int32) {
        cblas_sgemm(CblasRowMajor, op(ta), op(tb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func _gemv(_ t: Bool, _ m: Int32, _ n: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ beta: Float, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) {
        cblas_sgemv(CblasRowMajor, op(t), m, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func _axpy(_ n: Int32, _ alpha: Float, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) {
        cblas_saxpy(n, alpha, x, incx, y, incy)
    }
    public static func _dot(_ n: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafePointer<Float>, _ incy: Int32) -> Float {
        cblas_sdot(n, x, incx, y, incy)
    }
    public static func _scal(_ n: Int32, _ alpha: Float, _ x: UnsafeMutablePointer<Float>, _ incx: Int32) {
        cblas_sscal(n, alpha, x, incx)
    }
    public static func _trsmRightLower(_ transpose: Bool, _ m: Int32, _ n: Int32, _ alpha: Float, _ l: UnsafePointer<Float>, _ ldl: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) {
        cblas_strsm(CblasRowMajor, CblasRight, CblasLower, op(transpose), CblasNonUnit, m, n, alpha, l, ldl, b, ldb)
    }
    public static func _getrf(_ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_sgetrf(rowMajor, n, n, a, lda, ipiv)
    }
    public static func _getrs(_ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Float>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 {
        LAPACKE_sgetrs(rowMajor, lapackChar("N"), n, nrhs, a, lda, ipiv, b, ldb)
    }
    public static func _norm1(_ n: Int32, _ a: UnsafePointer<Float>, _ lda: Int32) -> Float {
        LAPACKE_slange(rowMajor, lapackChar("1"), n, n, a, lda)
    }
    public static func _gecon(_ n: Int32, _ lu: UnsafePointer<Float>, _ lda: Int32, _ anorm: Float, _ rcond: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_sgecon(rowMajor, lapackChar("1"), n, lu, lda, anorm, rcond)
    }
    public static func _potrf(_ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32) -> Int32 {
        LAPACKE_spotrf(rowMajor, uplo, n, a, lda)
    }
    public static func _potrs(_ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 {
        LAPACKE_spotrs(rowMajor, uplo, n, nrhs, a, lda, b, ldb)
    }
    public static func _syevr(_ jobz: CChar, _ range: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ vl: Float, _ vu: Float, _ il: Int32, _ iu: Int32, _ abstol: Float, _ m: UnsafeMutablePointer<Int32>, _ w: UnsafeMutablePointer<Float>, _ z: UnsafeMutablePointer<Float>, _ ldz: Int32, _ isuppz: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_ssyevr(rowMajor, jobz, range, uplo, n, a, lda, vl, vu, il, iu, abstol, m, w, z, ldz, isuppz)
    }
    public static func _gesdd(_ jobz: CChar, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ s: UnsafeMutablePointer<Float>, _ u: UnsafeMutablePointer<Float>, _ ldu: Int32, _ vt: UnsafeMutablePointer<Float>, _ ldvt: Int32) -> Int32 {
        LAPACKE_sgesdd(rowMajor, jobz, m, n, a, lda, s, u, ldu, vt, ldvt)
    }
    public static func _gelsd(_ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32, _ s: UnsafeMutablePointer<Float>, _ rcond: Float, _ rank: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_sgelsd(rowMajor, m, n, nrhs, a, lda, b, ldb, s, rcond, rank)
    }
}

/// A LAPACK character argument (`'N'`, `'V'`, `'L'`, ...) as the `CChar` LAPACKE expects.
@inline(__always) func lapackChar(_ c: Unicode.Scalar) -> CChar { CChar(bitPattern: UInt8(ascii: c)) }

/// Checks that a dimension fits the 32-bit integers of Debian's OpenBLAS/LAPACKE.
@inline(__always) func int32(_ n: Int) -> Int32 {
    precondition(n >= 0 && n <= Int(Int32.max), "matrix dimension \(n) exceeds the 32-bit BLAS/LAPACK interface")
    return Int32(n)
}
