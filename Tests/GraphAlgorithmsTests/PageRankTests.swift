import PropertyGraph
import XCTest
@testable import GraphAlgorithms

final class PageRankTests: XCTestCase {
    /// networkx's definition, by dense power iteration: dangling mass and jumps go to `p`.
    func referencePageRank(_ src: [UInt32], _ dst: [UInt32], n: Int, alpha: Double, p: [Double]) -> [Double] {
        var outDeg = [Double](repeating: 0, count: n)
        for s in src { outDeg[Int(s)] += 1 }
        var x = p
        for _ in 0..<2000 {
            var next = [Double](repeating: 0, count: n)
            var dangling = 0.0
            for v in 0..<n where outDeg[v] == 0 { dangling += x[v] }
            for (s, d) in zip(src, dst) { next[Int(d)] += alpha * x[Int(s)] / outDeg[Int(s)] }
            for v in 0..<n { next[v] += (alpha * dangling + (1 - alpha)) * p[v] }
            x = next
        }
        return x
    }

    /// GraphX's iteration literally: start at 1, rank = reset + d·Σ, dangling mass lost, then
    /// rescale to sum V.
    func referenceGraphX(_ src: [UInt32], _ dst: [UInt32], n: Int, reset: Double, iterations: Int) -> [Double] {
        var outDeg = [Double](repeating: 0, count: n)
        for s in src { outDeg[Int(s)] += 1 }
        var x = [Double](repeating: 1, count: n)
        for _ in 0..<iterations {
            var sum = [Double](repeating: 0, count: n)
            for (s, d) in zip(src, dst) { sum[Int(d)] += x[Int(s)] / outDeg[Int(s)] }
            x = sum.map { reset + (1 - reset) * $0 }
        }
        let total = x.reduce(0, +)
        return x.map { $0 * Double(n) / total }
    }

    func testConvergedRanksEqualNetworkxDefinition() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let n = 30 + Int(seed) * 7
            let g = TestGraphs.random(seed: seed, vertices: n, edges: n * 2)
            let result = try PageRank.run(g, options: PageRankOptions(maxIterations: 10_000, tolerance: 1e-13))
            let expected = referencePageRank(g.src, g.dst, n: n, alpha: 0.85, p: [Double](repeating: 1 / Double(n), count: n))
            XCTAssertEqual(result.ranks.reduce(0, +), Double(n), accuracy: 1e-9)
            for v in 0..<n { XCTAssertEqual(result.ranks[v] / Double(n), expected[v], accuracy: 1e-10, "seed \(seed) vertex \(v)") }
        }
    }

    func testFixedIterationsFollowGraphXArithmetic() throws {
        let g = TestGraphs.random(seed: 42, vertices: 50, edges: 90)
        for iterations in [0, 1, 2, 5] {
            let result = try PageRank.run(g, options: PageRankOptions(resetProbability: 0.2, maxIterations: iterations))
            let expected = referenceGraphX(g.src, g.dst, n: 50, reset: 0.2, iterations: iterations)
            XCTAssertEqual(result.iterations, iterations)
            for v in 0..<50 { XCTAssertEqual(result.ranks[v], expected[v], accuracy: 1e-12) }
        }
    }

    func testPersonalisedFromSeedSet() throws {
        let n = 40
        let g = TestGraphs.random(seed: 9, vertices: n, edges: 100)
        let seeds: [UInt32] = [3, 17, 3]
        let result = try PageRank.run(g, options: PageRankOptions(maxIterations: 10_000, tolerance: 1e-14, seeds: seeds))
        var p = [Double](repeating: 0, count: n)
        p[3] = 0.5; p[17] = 0.5
        let expected = referencePageRank(g.src, g.dst, n: n, alpha: 0.85, p: p)
        XCTAssertEqual(result.ranks.reduce(0, +), 1, accuracy: 1e-12)
        for v in 0..<n { XCTAssertEqual(result.ranks[v], expected[v], accuracy: 1e-10) }
    }

    func testRepeatedRunsAreBitIdentical() throws {
        let g = TestGraphs.random(seed: 5, vertices: 20_000, edges: 100_000)
        let a = try PageRank.run(g, options: PageRankOptions(maxIterations: 15))
        let b = try PageRank.run(g, options: PageRankOptions(maxIterations: 15))
        XCTAssertEqual(a.ranks, b.ranks)
    }

    func testRejectsBadParameters() {
        let g = TestGraphs.random(seed: 1, vertices: 5, edges: 5)
        XCTAssertThrowsError(try PageRank.run(g, options: PageRankOptions(resetProbability: 0)))
        XCTAssertThrowsError(try PageRank.run(g, options: PageRankOptions(seeds: [])))
        XCTAssertThrowsError(try PageRank.run(g, options: PageRankOptions(seeds: [7])))
    }
}
