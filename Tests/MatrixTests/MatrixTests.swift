import XCTest
import Matrix

/// A deterministic pseudo-random matrix (SplitMix64), entries in [-1, 1).
func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64) -> Matrix<Double> {
    var s = seed
    func next() -> Double {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53) * 2 - 1
    }
    return Matrix(rows: rows, columns: cols, elements: (0..<(rows * cols)).map { _ in next() })
}

/// A well-conditioned SPD matrix: BᵀB + n·I.
func spd(_ n: Int, seed: UInt64) -> Matrix<Double> {
    let b = randomMatrix(n, n, seed: seed)
    return BLAS.gemm(b.view, b.view, transposeA: true) + Matrix.diagonal([Double](repeating: Double(n), count: n))
}

final class BLASTests: XCTestCase {
    func testGemmKnownResult() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        let b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])
        XCTAssertEqual(a * b, Matrix([[58, 64], [139, 154]]))
        XCTAssertEqual(BLAS.gemm(a.view, a.view, transposeB: true), Matrix([[14, 32], [32, 77]]))
        XCTAssertEqual(BLAS.gemm(a.view, a.view, transposeA: true, alpha: 2)[0, 0], 34)
        var c = Matrix<Double>([[1, 1], [1, 1]])
        BLAS.gemm(a.view, b.view, beta: 1, into: &c)
        XCTAssertEqual(c, Matrix([[59, 65], [140, 155]]))
    }

    func testGemmOnViewsMatchesCopies() {
        let a = randomMatrix(7, 9, seed: 1), b = randomMatrix(6, 5, seed: 2)
        let av = a[rows: 1..<5, columns: 2..<8]   // 4x6, leading dimension 9
        let direct = BLAS.gemm(av, b.view)
        let copied = av.copy() * b
        XCTAssertLessThan((direct - copied).maxAbs, 1e-14)
        XCTAssertEqual(av[0, 0], a[1, 2])
        XCTAssertEqual(a.column(3).array, (0..<7).map { a[$0, 3] })
        XCTAssertEqual(a.row(2).array, Array(a.elements[18..<27]))
        XCTAssertEqual(a[columns: 4..<6].column(1).array, (0..<7).map { a[$0, 5] })
    }

    func testGemvDotAxpyScal() {
        let a = Matrix<Double>([[1, 2], [3, 4], [5, 6]])
        XCTAssertEqual(a * [1, 1], [3, 7, 11])
        XCTAssertEqual(BLAS.gemv(a.view, VectorView([1, 0, 1]), transpose: true), [6, 8])
        // A column view has stride 2: dot of column 1 with itself.
        XCTAssertEqual(BLAS.dot(a.column(1), a.column(1)), 4 + 16 + 36)
        XCTAssertEqual(BLAS.dot(a.row(2), a.row(0)), 5 * 1 + 6 * 2)
        var y: [Double] = [1, 1, 1]
        BLAS.axpy(2, a.column(0), &y)
        XCTAssertEqual(y, [3, 7, 11])
        BLAS.scal(0.5, &y)
        XCTAssertEqual(y, [1.5, 3.5, 5.5])
        var yy: [Double] = [1, 2, 3]
        BLAS.gemv(a.view, VectorView([1, 1]), beta: 2, into: &yy)
        XCTAssertEqual(yy, [5, 11, 17])
    }

    func testEmptyOperands() {
        let e = Matrix<Double>(rows: 0, columns: 3)
        XCTAssertEqual((e * Matrix(rows: 3, columns: 2)).rows, 0)
        let k0 = BLAS.gemm(Matrix<Double>(rows: 2, columns: 0).view, Matrix<Double>(rows: 0, columns: 2).view)
        XCTAssertEqual(k0, Matrix(rows: 2, columns: 2))
        XCTAssertEqual(BLAS.dot([Double](), []), 0)
        XCTAssertEqual(Matrix<Double>(rows: 2, columns: 0) * [], [0, 0])
        var y: [Double] = []
        BLAS.axpy(1, [], &y)
        BLAS.scal(3, &y)
        XCTAssertEqual(y, [])
    }

    func testFloatGemmAgreesWithDouble() {
        let a = randomMatrix(20, 30, seed: 3), b = randomMatrix(30, 10, seed: 4)
        let af = Matrix<Float>(rows: 20, columns: 30, elements: a.elements.map(Float.init))
        let bf = Matrix<Float>(rows: 30, columns: 10, elements: b.elements.map(Float.init))
        let d = a * b, f = af * bf
        for i in 0..<d.elements.count { XCTAssertEqual(Double(f.elements[i]), d.elements[i], accuracy: 1e-4) }
    }

    func testThreadingPolicyRestoresCount() {
        let before = BLASThreading.threads
        BLASThreading.singleThreaded {
            XCTAssertEqual(BLASThreading.threads, 1)
            BLASThreading.singleThreaded { XCTAssertEqual(BLASThreading.threads, 1) }
            XCTAssertEqual(BLASThreading.threads, 1)
        }
        XCTAssertEqual(BLASThreading.threads, before)
    }
}

final class LAPACKTests: XCTestCase {
    func testSolveKnownAndResidual() throws {
        let a = Matrix<Double>([[2, 1], [1, 3]])
        let x = try LAPACK.solve(a, [3, 5])
        XCTAssertEqual(x[0], 0.8, accuracy: 1e-15)
        XCTAssertEqual(x[1], 1.4, accuracy: 1e-15)
        let big = randomMatrix(50, 50, seed: 5), b = randomMatrix(50, 3, seed: 6)
        let xs = try LAPACK.solve(big, b)
        XCTAssertLessThan((big * xs - b).frobeniusNorm, 1e-11)
    }

    func testSolveSingularAndShapes() {
        // Exactly or numerically singular: either getrf's zero pivot or gecon's estimate says so,
        // whichever the CPU's kernel produces; both are `.singular`.
        for a in [Matrix<Double>([[1, 2], [2, 4]]), Matrix<Double>([[0]]), Matrix<Double>([[1, 1, 1], [1, 1, 1], [1, 1, 1]]),
                  Matrix<Double>([[1, 2, 3], [4, 5, 6], [7, 8, 9]])] {
            XCTAssertThrowsError(try LAPACK.solve(a, [Double](repeating: 1, count: a.rows))) { e in
                guard case .singular = e as? MatrixError else { return XCTFail("\(e)") }
                XCTAssertTrue("\(e)".contains("singular"))
            }
        }
        XCTAssertThrowsError(try LAPACK.solve(Matrix<Double>(rows: 2, columns: 3), [1, 2]))
        XCTAssertEqual(try LAPACK.solve(Matrix<Double>([[4]]), [2]), [0.5])
        XCTAssertEqual(try LAPACK.solve(Matrix<Double>(rows: 0, columns: 0), []), [])
        XCTAssertEqual(try LAPACK.solveConditioned(Matrix<Double>.diagonal([1, 1, 1]), Matrix(rows: 3, columns: 1)).reciprocalCondition, 1)
    }

    func testNaNInputIsReported() {
        XCTAssertThrowsError(try LAPACK.solve(Matrix<Double>([[1, .nan], [0, 1]]), [1, 1])) { e in
            guard case .invalidArgument = e as? MatrixError else { return XCTFail("\(e)") }
        }
    }

    func testCholeskyKnownAndResidual() throws {
        // [[4, 2], [2, 10]] = L Lᵀ with L = [[2, 0], [1, 3]].
        let c = try Cholesky(Matrix<Double>([[4, 2], [2, 10]]))
        XCTAssertEqual(c.factor, Matrix([[2, 0], [1, 3]]))
        XCTAssertEqual(c.logDeterminant, log(36), accuracy: 1e-14)
        let a = spd(40, seed: 7), b = randomMatrix(40, 2, seed: 8)
        let ch = try Cholesky(a)
        XCTAssertLessThan((ch.factor * ch.factor.transposed - a).maxAbs, 1e-12)
        XCTAssertLessThan((a * (try ch.solve(b)) - b).frobeniusNorm, 1e-12)
        XCTAssertEqual(try Cholesky(Matrix<Double>([[9]])).factor, Matrix([[3]]))
        XCTAssertEqual(try Cholesky(Matrix<Double>(rows: 0, columns: 0)).size, 0)
    }

    func testCholeskyNotPositiveDefinite() {
        XCTAssertThrowsError(try Cholesky(Matrix<Double>([[1, 2], [2, 1]]))) { e in
            XCTAssertEqual(e as? MatrixError, .notPositiveDefinite(routine: "potrf", order: 2))
        }
        XCTAssertThrowsError(try Cholesky(Matrix<Double>([[-1]]))) { e in
            XCTAssertEqual(e as? MatrixError, .notPositiveDefinite(routine: "potrf", order: 1))
        }
        XCTAssertThrowsError(try Cholesky(Matrix<Double>([[0, 0], [0, 0]])))
    }

    func testWhitenRowsGivesMahalanobis() throws {
        let a = spd(5, seed: 9), x = randomMatrix(12, 5, seed: 10)
        let ch = try Cholesky(a)
        var z = x
        ch.whitenRows(&z)
        for i in 0..<x.rows {
            let xi = x.row(i).array
            let expected = BLAS.dot(xi, try ch.solve(xi))
            XCTAssertEqual(BLAS.dot(z.row(i), z.row(i)), expected, accuracy: 1e-12)
        }
    }

    func testFloatCholesky() throws {
        let a = Matrix<Float>([[4, 2], [2, 10]])
        XCTAssertEqual(try Cholesky(a).factor, Matrix<Float>([[2, 0], [1, 3]]))
    }

    func testSymmetricEigenKnownAndEquations() throws {
        let e = try SymmetricEigen(Matrix<Double>([[2, 1], [1, 2]]))
        XCTAssertEqual(e.values[0], 1, accuracy: 1e-15)
        XCTAssertEqual(e.values[1], 3, accuracy: 1e-15)
        XCTAssertEqual(abs(e.vectors[0, 0]), 0.5.squareRoot(), accuracy: 1e-15)
        let b = randomMatrix(30, 30, seed: 11)
        let a = b + b.transposed
        let all = try SymmetricEigen(a)
        XCTAssertEqual(all.values, all.values.sorted())
        let av = a * all.vectors
        for k in 0..<30 {
            for i in 0..<30 { XCTAssertEqual(av[i, k], all.values[k] * all.vectors[i, k], accuracy: 1e-12) }
        }
        let vtv = BLAS.gemm(all.vectors.view, all.vectors.view, transposeA: true)
        XCTAssertLessThan((vtv - Matrix.identity(30)).maxAbs, 1e-13)
        // Subsets by index and by value agree with the full spectrum.
        let low = try SymmetricEigen(a, selection: .indices(0...2))
        XCTAssertEqual(low.vectors.columns, 3)
        for k in 0..<3 { XCTAssertEqual(low.values[k], all.values[k], accuracy: 1e-12) }
        let lav = a * low.vectors
        for k in 0..<3 { for i in 0..<30 { XCTAssertEqual(lav[i, k], low.values[k] * low.vectors[i, k], accuracy: 1e-12) } }
        let byValue = try SymmetricEigen(a, selection: .values(lower: 0, upper: 1e9), computeVectors: false)
        XCTAssertEqual(byValue.values.count, all.values.filter { $0 > 0 }.count)
        XCTAssertThrowsError(try SymmetricEigen(a, selection: .indices(0...30)))
        XCTAssertEqual(try SymmetricEigen(Matrix<Double>([[-4]])).values, [-4])
        XCTAssertEqual(try SymmetricEigen(Matrix<Double>(rows: 0, columns: 0)).values, [])
    }

    func testSVDResidualAndOrthogonality() throws {
        for (m, n) in [(8, 5), (5, 8), (1, 1), (6, 6)] {
            let a = randomMatrix(m, n, seed: UInt64(m * 10 + n))
            let svd = try SingularValueDecomposition(a)
            XCTAssertLessThan((svd.reconstructed - a).frobeniusNorm, 1e-13, "\(m)x\(n)")
            XCTAssertEqual(svd.singularValues, svd.singularValues.sorted(by: >))
            let utu = BLAS.gemm(svd.u.view, svd.u.view, transposeA: true)
            XCTAssertLessThan((utu - Matrix.identity(min(m, n))).maxAbs, 1e-13)
        }
        let known = try SingularValueDecomposition(Matrix<Double>([[3, 0], [0, -4]]))
        XCTAssertEqual(known.singularValues, [4, 3])
        let rank1 = try SingularValueDecomposition(Matrix<Double>([[1, 2], [2, 4]]))
        XCTAssertEqual(rank1.singularValues[1], 0, accuracy: 1e-15)
        XCTAssertEqual(try SingularValueDecomposition(Matrix<Double>(rows: 0, columns: 4)).singularValues, [])
    }

    func testLeastSquaresKnownAndNormalEquations() throws {
        // Line through (0,1), (1,3), (2,5) exactly: y = 1 + 2x.
        let a = Matrix<Double>([[1, 0], [1, 1], [1, 2]])
        let x = try LAPACK.leastSquares(a, Matrix(rows: 3, columns: 1, elements: [1, 3, 5])).solution
        XCTAssertEqual(x.elements[0], 1, accuracy: 1e-14)
        XCTAssertEqual(x.elements[1], 2, accuracy: 1e-14)
        let big = randomMatrix(40, 6, seed: 12), b = randomMatrix(40, 2, seed: 13)
        let xs = try LAPACK.leastSquares(big, b).solution
        // The residual is orthogonal to the column space: Aᵀ(Ax − b) = 0.
        let r = big * xs - b
        XCTAssertLessThan(BLAS.gemm(big.view, r.view, transposeA: true).maxAbs, 1e-12)
        // Underdetermined: minimum-norm solution satisfies Ax = b.
        let wide = randomMatrix(3, 6, seed: 14), bw = randomMatrix(3, 1, seed: 15)
        XCTAssertLessThan((wide * (try LAPACK.leastSquares(wide, bw).solution) - bw).maxAbs, 1e-13)
        // Rank deficient: numpy's lstsq gives rank 1 and the minimum-norm x = [1, 1] on any CPU.
        let deficient = try LAPACK.leastSquares(Matrix<Double>([[1, 1], [1, 1], [1, 1]]), Matrix(rows: 3, columns: 1, elements: [1, 2, 3]))
        XCTAssertEqual(deficient.rank, 1)
        XCTAssertEqual(deficient.solution.elements[0], 1, accuracy: 1e-12)
        XCTAssertEqual(deficient.solution.elements[1], 1, accuracy: 1e-12)
        XCTAssertEqual(deficient.singularValues[0], 6.0.squareRoot(), accuracy: 1e-12)
        XCTAssertLessThan(deficient.singularValues[1], 1e-14)
    }
}

final class OneHotScorerTests: XCTestCase {
    func makeBatch(pairs: Int, levelCounts: [Int], seed: UInt64) -> [Int32] {
        let r = randomMatrix(pairs, levelCounts.count, seed: seed)
        var out: [Int32] = []
        for i in 0..<pairs {
            for (k, c) in levelCounts.enumerated() {
                let u = (r[i, k] + 1) / 2
                out.append(u < 0.1 ? -1 : Int32(min(c - 1, Int(u * Double(c)))))
            }
        }
        return out
    }

    func testVectorisedEqualsScalar() throws {
        let counts = [4, 3, 5, 2, 3, 4]
        let scorer = OneHotScorer(levelCounts: counts)
        let pairs = 5000
        let levels = makeBatch(pairs: pairs, levelCounts: counts, seed: 21)
        try scorer.validate(levels, pairs: pairs)
        let x = scorer.encode(levels, pairs: pairs)
        XCTAssertEqual(x.rows, pairs)
        XCTAssertEqual(x.columns, 21)
        var m = [Double](), u = [Double]()
        for c in counts {
            let mm = (1...c).map { Double($0 * $0) }, uu = (1...c).map { Double(c + 1 - $0) }
            m += mm.map { $0 / mm.reduce(0, +) }
            u += uu.map { $0 / uu.reduce(0, +) }
        }
        let w = OneHotScorer.logBayesFactors(m: m, u: u)
        let vec = scorer.matchWeights(onehot: x, weights: w)
        let sca = scorer.scalarMatchWeights(levels: levels, pairs: pairs, weights: w)
        for i in 0..<pairs { XCTAssertEqual(vec[i], sca[i], accuracy: 1e-12) }
        XCTAssertEqual(scorer.matchWeights(levels: levels, pairs: pairs, weights: w), sca)

        // Two EM iterations on both paths stay within 1e-12.
        var pv = OneHotScorer.Parameters(m: m, u: u, lambda: 0.01), ps = pv
        for _ in 0..<2 {
            let postV = OneHotScorer.posteriors(weights: scorer.matchWeights(onehot: x, weights: OneHotScorer.logBayesFactors(m: pv.m, u: pv.u)), lambda: pv.lambda)
            let postS = OneHotScorer.posteriors(weights: scorer.scalarMatchWeights(levels: levels, pairs: pairs, weights: OneHotScorer.logBayesFactors(m: ps.m, u: ps.u)), lambda: ps.lambda)
            for i in 0..<pairs { XCTAssertEqual(postV[i], postS[i], accuracy: 1e-12) }
            pv = scorer.maximisation(onehot: x, posteriors: postV)
            ps = scorer.scalarMaximisation(levels: levels, pairs: pairs, posteriors: postS)
            for j in 0..<scorer.totalLevels {
                XCTAssertEqual(pv.m[j], ps.m[j], accuracy: 1e-12)
                XCTAssertEqual(pv.u[j], ps.u[j], accuracy: 1e-12)
            }
            XCTAssertEqual(pv.lambda, ps.lambda, accuracy: 1e-12)
        }
        // Each comparison's m and u sum to one over its levels.
        for (k, c) in counts.enumerated() {
            XCTAssertEqual(pv.m[scorer.offsets[k]..<(scorer.offsets[k] + c)].reduce(0, +), 1, accuracy: 1e-12)
        }
    }

    func testValidateRejectsOutOfRangeLevels() {
        let scorer = OneHotScorer(levelCounts: [2, 3])
        XCTAssertThrowsError(try scorer.validate([0, 3], pairs: 1))
        XCTAssertThrowsError(try scorer.validate([0, 1, 1], pairs: 1))
        XCTAssertNoThrow(try scorer.validate([-1, 2], pairs: 1))
        XCTAssertEqual(scorer.scalarMatchWeights(levels: [-1, -1], pairs: 1, weights: [1, 2, 3, 4, 5]), [0])
        XCTAssertEqual(scorer.matchWeights(onehot: scorer.encode([], pairs: 0), weights: [1, 2, 3, 4, 5]), [])
    }
}
