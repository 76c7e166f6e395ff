import Foundation
import XCTest
import Matrix

/// Cross-checks the LAPACK drivers against numpy/scipy in the project's `.venv`
/// (`Tests/reference/numpy_linalg.py`), on rank-deficient, ill-conditioned and random matrices.
/// The Makefile runs this file once per OpenBLAS kernel the CPU can execute.
final class NumpyCrossCheckTests: XCTestCase {
    struct Case: Encodable { var op: String; var rows: Int; var columns: Int; var a: [Double]; var b: [Double] }
    struct Reference: Decodable { var x: [Double]?; var rank: Int?; var s: [Double]?; var rcond: Double? }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func reference(_ cases: [Case]) throws -> [Reference] {
        let python = Self.root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { throw XCTSkip("no .venv; run make setup") }
        let process = Process()
        process.executableURL = python
        process.arguments = [Self.root.appendingPathComponent("Tests/reference/numpy_linalg.py").path]
        // numpy's bundled OpenBLAS must not inherit a kernel override meant for ours.
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "OPENBLAS_CORETYPE")
        process.environment = env
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(cases))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return try JSONDecoder().decode([Reference].self, from: data)
    }

    /// U·diag(σ)·Vᵀ with orthonormal U, V from QR-free Gram–Schmidt on seeded random matrices.
    func withSpectrum(_ m: Int, _ n: Int, _ sigma: [Double], seed: UInt64) -> Matrix<Double> {
        func orthonormal(_ rows: Int, _ k: Int, _ seed: UInt64) -> Matrix<Double> {
            var q = randomMatrix(rows, k, seed: seed)
            for j in 0..<k {
                for p in 0..<j {
                    let d = (0..<rows).reduce(0.0) { $0 + q[$1, j] * q[$1, p] }
                    for i in 0..<rows { q[i, j] -= d * q[i, p] }
                }
                let norm = (0..<rows).reduce(0.0) { $0 + q[$1, j] * q[$1, j] }.squareRoot()
                for i in 0..<rows { q[i, j] /= norm }
            }
            return q
        }
        let k = sigma.count
        var u = orthonormal(m, k, seed)
        for j in 0..<k { for i in 0..<m { u[i, j] *= sigma[j] } }
        return BLAS.gemm(u.view, orthonormal(n, k, seed + 1).view, transposeB: true)
    }

    func hilbert(_ n: Int) -> Matrix<Double> {
        Matrix(rows: n, columns: n, elements: (0..<(n * n)).map { 1.0 / Double($0 / n + $0 % n + 1) })
    }

    func testLeastSquaresAgreesWithNumpy() throws {
        let shapes: [(Matrix<Double>, Matrix<Double>, String)] = [
            (Matrix([[1, 1], [1, 1], [1, 1]]), Matrix(rows: 3, columns: 1, elements: [1, 2, 3]), "rank-1 3x2"),
            (withSpectrum(30, 8, [5, 3, 1, 0.5, 1e-3, 1e-6, 1e-20, 0], seed: 31), randomMatrix(30, 2, seed: 32), "rank-6 tall"),
            (withSpectrum(5, 12, [2, 1, 1e-3, 1e-25], seed: 33), randomMatrix(5, 1, seed: 34), "rank-3 wide"),
            (randomMatrix(40, 6, seed: 35), randomMatrix(40, 3, seed: 36), "random tall"),
            (randomMatrix(4, 9, seed: 37), randomMatrix(4, 1, seed: 38), "random wide"),
            (hilbert(8), randomMatrix(8, 1, seed: 39), "hilbert-8"),
        ]
        let cases = shapes.map { Case(op: "lstsq", rows: $0.0.rows, columns: $0.0.columns, a: $0.0.elements, b: $0.1.elements) }
        for ((a, b, name), ref) in zip(shapes, try reference(cases)) {
            let ours = try LAPACK.leastSquares(a, b)
            XCTAssertEqual(ours.rank, ref.rank, name)
            for (s, t) in zip(ours.singularValues, ref.s!) { XCTAssertEqual(s, t, accuracy: 1e-12 * ref.s![0], name) }
            if name == "hilbert-8" {
                // cond ≈ 1.5e10, full rank: x carries ~cond·eps of kernel-dependent noise, so
                // both answers must solve the system to that accuracy rather than agree digit by digit.
                let r = (a * ours.solution - b).frobeniusNorm
                let rRef = (a * Matrix(rows: a.columns, columns: b.columns, elements: ref.x!) - b).frobeniusNorm
                XCTAssertLessThan(r, 1e-5 * b.frobeniusNorm, name)
                XCTAssertLessThan(rRef, 1e-5 * b.frobeniusNorm, name)
            } else {
                let scale = Swift.max(1, ref.x!.map(abs).max() ?? 1)
                for (x, y) in zip(ours.solution.elements, ref.x!) { XCTAssertEqual(x, y, accuracy: 1e-9 * scale, name) }
            }
        }
    }

    func testSolveAndConditionAgreeWithScipy() throws {
        let mats: [(Matrix<Double>, String)] = [
            (randomMatrix(20, 20, seed: 41), "random"),
            (hilbert(8), "hilbert-8"),
            (spd(12, seed: 44), "spd"),
        ]
        let cases = mats.map { Case(op: "solve", rows: $0.0.rows, columns: $0.0.columns, a: $0.0.elements, b: randomMatrix($0.0.rows, 1, seed: 43).elements) }
        for ((a, name), ref) in zip(mats, try reference(cases)) {
            let b = randomMatrix(a.rows, 1, seed: 43)
            let refRcond = ref.rcond!
            XCTAssertGreaterThan(refRcond, Double.ulpOfOne * 100, "\(name) must be clearly regular")
            let ours = try LAPACK.solveConditioned(a, b)
            // gecon estimates the 1-norm condition within a small factor.
            XCTAssertGreaterThan(ours.reciprocalCondition, refRcond / 10, name)
            XCTAssertLessThan(ours.reciprocalCondition, refRcond * 10, name)
            let tol = 1e-13 / refRcond
            for (p, q) in zip(ours.solution.elements, ref.x!) { XCTAssertEqual(p, q, accuracy: tol * Swift.max(1, abs(q)), name) }
        }
    }

    /// Matrices that are singular in exact arithmetic (and exactly representable) are refused on
    /// every kernel, whether LU meets an exact zero pivot or a round-off residue of ±1e-17.
    func testSingularByConstructionIsRefused() {
        var sumRow = randomMatrix(15, 15, seed: 45)
        for j in 0..<15 { sumRow[14, j] = sumRow[0, j] * 0.5 + sumRow[1, j] * 0.25 }
        let mats: [(Matrix<Double>, String)] = [
            (Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), "rank-2 3x3"),
            (Matrix([[1, 2, 3], [4, 5, 6], [5, 7, 9]]), "row 3 = row 1 + row 2"),
            (Matrix([[1, 1, 1], [1, 1, 1], [1, 1, 1]]), "rank-1"),
            (sumRow, "row 15 = combination of rows 1 and 2"),
            (hilbert(14), "hilbert-14 (cond ~1e18)"),
        ]
        for (a, name) in mats {
            XCTAssertThrowsError(try LAPACK.solve(a, randomMatrix(a.rows, 1, seed: 46)), name) { e in
                guard case .singular = e as? MatrixError else { return XCTFail("\(name): \(e)") }
            }
        }
    }

    /// When the Makefile forces a kernel, OpenBLAS must really be running it, or the per-kernel
    /// runs would all test the same code.
    func testForcedKernelIsInEffect() throws {
        guard let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !forced.isEmpty else {
            throw XCTSkip("no OPENBLAS_CORETYPE set; running \(BLASThreading.kernelName)")
        }
        XCTAssertEqual(BLASThreading.kernelName.lowercased(), forced.lowercased())
    }
}
