import Dispatch

/// Robust Mahalanobis anomaly scores for the rows of a feature matrix.
///
/// 1. Robust standardisation per column: z = (x − median) / scale with scale = 1.4826·MAD;
///    when the MAD is 0 (a feature that is mostly one value) scale = 1.2533·mean|x − median|;
///    a column that is constant gets z = 0 and plays no part.
/// 2. With `upperTailOnly`, z is clipped below at 0: only values above the median count as
///    unusual (for behaviour, being quieter than typical is not a risk signal).
/// 3. Covariance by "MCD-lite": start from the h = ⌈support·n⌉ rows with the smallest ‖z‖²,
///    and repeat `steps` concentration steps (mean and covariance of the current h rows, then
///    the h rows with the smallest Mahalanobis distance under them), as in FAST-MCD's C-step,
///    without its random restarts. Each covariance is shrunk towards the identity (the
///    standardised unit scale): Σ = (1 − shrinkage)·S + shrinkage·I, which keeps it positive
///    definite when a feature is constant inside the subset.
/// 4. Distance d = ‖L⁻¹(z − μ)‖ with Σ = L·Lᵀ by Cholesky (potrf), all rows at once by one
///    triangular solve (trsm). The covariance S = DᵀD/(h − 1) is one gemm.
///
/// O(n·p) per step plus O(n·p²) for the solve; medians by quickselect. Deterministic: ties in
/// the subset selection are broken by row index. Big BLAS calls use OpenBLAS's threads.
public struct RobustMahalanobis: Sendable {
    /// Fraction of rows in the concentration subset (0.5 ... 1).
    public var support = 0.75
    /// Weight of the identity in the shrunk covariance (0 ... 1).
    public var shrinkage = 0.2
    /// Number of concentration steps.
    public var steps = 3
    /// Clip standardised values below at 0 (one-sided, upper-tail scores).
    public var upperTailOnly = true

    public init(support: Double = 0.75, shrinkage: Double = 0.2, steps: Int = 3, upperTailOnly: Bool = true) {
        self.support = support
        self.shrinkage = shrinkage
        self.steps = steps
        self.upperTailOnly = upperTailOnly
    }

    /// The robust location and scale of each column (median, scale; scale 0 for constants).
    public static func robustScales(_ x: Matrix<Double>) -> (median: [Double], scale: [Double]) {
        let n = x.rows, p = x.columns
        var med = [Double](repeating: 0, count: p), scale = med
        med.withUnsafeMutableBufferPointer { mp in
            scale.withUnsafeMutableBufferPointer { sp in
                let mptr = mp, sptr = sp
                DispatchQueue.concurrentPerform(iterations: p) { j in
                    var col = [Double](repeating: 0, count: n)
                    x.elements.withUnsafeBufferPointer { e in for i in 0..<n { col[i] = e[i * p + j] } }
                    let m = OrderStatistics.median(col)
                    var absDev = col
                    var sumAbs = 0.0
                    for i in 0..<n { absDev[i] = abs(col[i] - m); sumAbs += absDev[i] }
                    var s = 1.4826 * OrderStatistics.median(absDev)
                    if s == 0, n > 0 { s = 1.2533 * sumAbs / Double(n) }
                    mptr[j] = m
                    sptr[j] = s
                }
            }
        }
        return (med, scale)
    }

    /// One score per row of `x` (n × p, finite values). Throws if the covariance cannot be factorised.
    public func scores(_ x: Matrix<Double>) throws -> [Double] {
        let n = x.rows, p = x.columns
        if n == 0 { return [] }
        if p == 0 { return [Double](repeating: 0, count: n) }
        let (med, scale) = Self.robustScales(x)
        var z = x
        let clip = upperTailOnly
        z.withUnsafeMutableBufferPointer { zp in
            let zb = zp
            parallelRows(n) { range in
                for i in range {
                    for j in 0..<p {
                        var v = scale[j] > 0 ? (zb[i * p + j] - med[j]) / scale[j] : 0
                        if clip, v < 0 { v = 0 }
                        zb[i * p + j] = v
                    }
                }
            }
        }
        var d2 = rowSquaredNorms(z)
        let h = Swift.min(n, Swift.max(Swift.min(n, p + 1), Int((support * Double(n)).rounded(.up))))
        for _ in 0..<Swift.max(1, steps) {
            let subset = smallest(d2, h)
            // Mean and covariance of the subset.
            var mean = [Double](repeating: 0, count: p)
            for i in subset { for j in 0..<p { mean[j] += z[i, j] } }
            for j in 0..<p { mean[j] /= Double(h) }
            var centred = Matrix<Double>(rows: h, columns: p)
            centred.withUnsafeMutableBufferPointer { c in
                z.elements.withUnsafeBufferPointer { zb in
                    for (r, i) in subset.enumerated() { for j in 0..<p { c[r * p + j] = zb[i * p + j] - mean[j] } }
                }
            }
            var cov = BLAS.gemm(centred.view, centred.view, transposeA: true, alpha: (1 - shrinkage) / Double(Swift.max(1, h - 1)))
            for j in 0..<p { cov[j, j] += shrinkage }
            let chol = try Cholesky(cov)
            var w = z
            w.withUnsafeMutableBufferPointer { wb in
                let wp = wb
                parallelRows(n) { range in for i in range { for j in 0..<p { wp[i * p + j] -= mean[j] } } }
            }
            chol.whitenRows(&w)
            d2 = rowSquaredNorms(w)
        }
        return d2.map { $0.squareRoot() }
    }

    /// Indices of the h smallest values, ties by index, in ascending index order.
    func smallest(_ d: [Double], _ h: Int) -> [Int] {
        var copy = d
        let threshold = OrderStatistics.select(&copy, h - 1)
        var below = 0
        for v in d where v < threshold { below += 1 }
        var equalAllowed = h - below
        var out: [Int] = []
        out.reserveCapacity(h)
        for (i, v) in d.enumerated() {
            if v < threshold { out.append(i) } else if v == threshold, equalAllowed > 0 { out.append(i); equalAllowed -= 1 }
        }
        return out
    }

    func rowSquaredNorms(_ m: Matrix<Double>) -> [Double] {
        let n = m.rows, p = m.columns
        var out = [Double](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { ob in
            let op = ob
            m.elements.withUnsafeBufferPointer { e in
                let ep = e
                parallelRows(n) { range in
                    for i in range {
                        var s = 0.0
                        for j in 0..<p { s += ep[i * p + j] * ep[i * p + j] }
                        op[i] = s
                    }
                }
            }
        }
        return out
    }

    /// Runs `body` over fixed chunks of 0..<n in parallel (chunking depends on n only).
    func parallelRows(_ n: Int, _ body: (Range<Int>) -> Void) {
        let chunk = 1 << 16
        let chunks = (n + chunk - 1) / chunk
        if chunks <= 1 { body(0..<n); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { k in body((k * chunk)..<Swift.min(n, (k + 1) * chunk)) }
    }
}
