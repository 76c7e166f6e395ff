import PropertyGraph
import XCTest
@testable import GraphAlgorithms

final class TriangleAndCoreTests: XCTestCase {
    func referenceTriangles(_ g: PropertyGraph) -> [UInt64] {
        let adj = TestGraphs.undirectedSets(g)
        let n = g.vertexCount
        var counts = [UInt64](repeating: 0, count: n)
        for a in 0..<n { for b in (a + 1)..<max(a + 1, n) where adj[a].contains(b) { for c in (b + 1)..<max(b + 1, n) where adj[a].contains(c) && adj[b].contains(c) {
            counts[a] += 1; counts[b] += 1; counts[c] += 1
        } } }
        return counts
    }

    /// The largest k whose k-core (repeatedly delete vertices of degree < k) still holds v.
    func referenceCores(_ g: PropertyGraph) -> [Int] {
        let adj = TestGraphs.undirectedSets(g)
        let n = g.vertexCount
        var core = [Int](repeating: 0, count: n)
        var k = 1
        while true {
            var alive = [Bool](repeating: true, count: n)
            var changed = true
            while changed {
                changed = false
                for v in 0..<n where alive[v] && adj[v].filter({ alive[$0] }).count < k { alive[v] = false; changed = true }
            }
            if !alive.contains(true) { break }
            for v in 0..<n where alive[v] { core[v] = k }
            k += 1
        }
        return core
    }

    func testTrianglesMatchTripleScan() {
        for seed in 1...8 as ClosedRange<UInt64> {
            let g = TestGraphs.random(seed: seed, vertices: 40, edges: 40 * Int(seed))
            let r = TriangleCount.run(g)
            let expected = referenceTriangles(g)
            XCTAssertEqual(r.counts, expected, "seed \(seed)")
            XCTAssertEqual(r.total, expected.reduce(0, +) / 3)
        }
    }

    func testCoresMatchRepeatedPeeling() {
        for seed in 1...8 as ClosedRange<UInt64> {
            let g = TestGraphs.random(seed: seed, vertices: 50, edges: 30 * Int(seed))
            XCTAssertEqual(KCore.run(g).coreNumbers, referenceCores(g), "seed \(seed)")
        }
    }

    func testEmptyGraph() {
        let g = TestGraphs.make(vertices: 0, src: [], dst: [])
        XCTAssertEqual(TriangleCount.run(g).total, 0)
        XCTAssertEqual(KCore.run(g).coreNumbers, [])
    }
}
