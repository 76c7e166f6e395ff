import Foundation
import XCTest
import Matrix

/// Timings for the README's bench table; skipped unless MATRIX_BENCH is set. Run in release:
/// `MATRIX_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter MatrixBenchTests`.
/// Prints one JSON object per measurement (best of `repeats`), asserts nothing about time.
final class MatrixBenchTests: XCTestCase {
    func best(_ repeats: Int = 3, _ body: () throws -> Void) rethrows -> Double {
        var b = Double.infinity
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            b = min(b, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return b
    }

    func report(_ name: String, _ fields: [String: Any]) {
        let body = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
        print("MATRIX_BENCH {\"name\": \"\(name)\", \(body)}")
    }

    func testBLASAndLAPACK() throws {
        guard ProcessInfo.processInfo.environment["MATRIX_BENCH"] != nil else { throw XCTSkip("set MATRIX_BENCH=1") }
        let n = 2000
        let a = randomMatrix(n, n, seed: 1), b = randomMatrix(n, n, seed: 2)
        var c = Matrix<Double>(rows: n, columns: n)
        let gemm = best { BLAS.gemm(a.view, b.view, beta: 0, into: &c) }
        report("dgemm", ["n": n, "seconds": gemm, "gflops": 2 * Double(n * n * n) / gemm / 1e9, "threads": BLASThreading.threads])
        let s = a + a.transposed
        let all = try best(2) { _ = try SymmetricEigen(s) }
        report("syevr_all", ["n": n, "seconds": all])
        let few = try best(2) { _ = try SymmetricEigen(s, selection: .indices(0...9)) }
        report("syevr_10_smallest", ["n": n, "seconds": few])
    }

    func testOneHotCrossover() throws {
        guard ProcessInfo.processInfo.environment["MATRIX_BENCH"] != nil else { throw XCTSkip("set MATRIX_BENCH=1") }
        let counts = [4, 3, 5, 2, 3, 4]
        let scorer = OneHotScorer(levelCounts: counts)
        let weights = (0..<scorer.totalLevels).map { Double($0 % 7) - 3 }
        for pairs in [100, 1_000, 10_000, 100_000, 1_000_000] {
            var levels = [Int32](repeating: 0, count: pairs * counts.count)
            for i in 0..<pairs { for (k, c) in counts.enumerated() { levels[i * counts.count + k] = Int32((i * 7 + k * 3) % c) } }
            let reps = pairs <= 10_000 ? 20 : 3
            let scalar = best(reps) { _ = scorer.scalarMatchWeights(levels: levels, pairs: pairs, weights: weights) }
            let x = scorer.encode(levels, pairs: pairs)
            let gemvOnly = best(reps) { _ = scorer.matchWeights(onehot: x, weights: weights) }
            let encodeAndGemv = best(reps) { _ = scorer.matchWeights(onehot: scorer.encode(levels, pairs: pairs), weights: weights) }
            let p = OneHotScorer.posteriors(weights: scorer.scalarMatchWeights(levels: levels, pairs: pairs, weights: weights), lambda: 0.01)
            let mScalar = best(reps) { _ = scorer.scalarMaximisation(levels: levels, pairs: pairs, posteriors: p) }
            let mGemm = best(reps) { _ = scorer.maximisation(onehot: x, posteriors: p) }
            report("onehot", ["pairs": pairs, "scalar_s": scalar, "gemv_s": gemvOnly, "encode_gemv_s": encodeAndGemv,
                              "mstep_scalar_s": mScalar, "mstep_gemm_s": mGemm])
        }
    }
}
