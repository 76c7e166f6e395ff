import Columnar
import PropertyGraph
import XCTest
@testable import GraphAlgorithms

/// Slow, obvious reference implementations (the verifier habit from the GAP benchmark suite).
enum ReferenceComponents {
    /// Weak components by BFS over an undirected adjacency list; label = smallest member.
    static func weak(vertexCount n: Int, src: [UInt32], dst: [UInt32]) -> [UInt32] {
        var adj = [[Int]](repeating: [], count: n)
        for (s, d) in zip(src, dst) { adj[Int(s)].append(Int(d)); adj[Int(d)].append(Int(s)) }
        var label = [UInt32](repeating: UInt32.max, count: n)
        for start in 0..<n where label[start] == UInt32.max {
            var queue = [start], members: [Int] = []
            label[start] = 0
            while let v = queue.popLast() {
                members.append(v)
                for w in adj[v] where label[w] == UInt32.max { label[w] = 0; queue.append(w) }
            }
            let smallest = UInt32(members.min()!)
            for m in members { label[m] = smallest }
        }
        return label
    }

    /// Strong components by mutual reachability (O(V·E)); label = smallest member.
    static func strong(vertexCount n: Int, src: [UInt32], dst: [UInt32]) -> [UInt32] {
        var adj = [[Int]](repeating: [], count: n)
        for (s, d) in zip(src, dst) { adj[Int(s)].append(Int(d)) }
        func reach(_ a: Int) -> Set<Int> {
            var seen: Set<Int> = [a], stack = [a]
            while let v = stack.popLast() { for w in adj[v] where seen.insert(w).inserted { stack.append(w) } }
            return seen
        }
        let r = (0..<n).map(reach)
        return (0..<n).map { v in UInt32((0..<n).first { r[v].contains($0) && r[$0].contains(v) }!) }
    }
}

final class ComponentsTests: XCTestCase {
    func randomGraph(seed: UInt64, vertices: Int, edges: Int) -> (src: [UInt32], dst: [UInt32]) {
        var state = seed
        func next() -> UInt32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt32(truncatingIfNeeded: state >> 33) % UInt32(vertices)
        }
        var s: [UInt32] = [], d: [UInt32] = []
        for _ in 0..<edges { s.append(next()); d.append(next()) }
        return (s, d)
    }

    func testWeakMatchesBFSReferenceOnRandomGraphs() {
        for seed in 1...20 as ClosedRange<UInt64> {
            let n = 50 + Int(seed) * 37
            let (s, d) = randomGraph(seed: seed, vertices: n, edges: n * Int(seed % 3) / 2 + 3)
            let want = ReferenceComponents.weak(vertexCount: n, src: s, dst: d)
            XCTAssertEqual(WeaklyConnectedComponents.labels(vertexCount: n, src: s, dst: d, sampling: false), want, "seed \(seed)")
            XCTAssertEqual(WeaklyConnectedComponents.labels(vertexCount: n, src: s, dst: d, sampling: true), want, "seed \(seed), sampled")
        }
    }

    func testWeakIsDeterministicAcrossRunsOnALargeGraph() {
        // Large enough that many chunks run in parallel and race on the CAS.
        let n = 200_000
        let (s, d) = randomGraph(seed: 99, vertices: n, edges: 150_000)
        let first = WeaklyConnectedComponents.labels(vertexCount: n, src: s, dst: d)
        for _ in 0..<3 { XCTAssertEqual(WeaklyConnectedComponents.labels(vertexCount: n, src: s, dst: d), first) }
        XCTAssertEqual(first, ReferenceComponents.weak(vertexCount: n, src: s, dst: d))
    }

    func testStrongMatchesReachabilityReference() throws {
        for seed in 1...15 as ClosedRange<UInt64> {
            let n = 30 + Int(seed) * 5
            let (s, d) = randomGraph(seed: seed &* 7, vertices: n, edges: n + Int(seed) * 4)
            let out = CSRAdjacency(vertexCount: n, keys: s, others: d)
            XCTAssertEqual(StronglyConnectedComponents.labels(out), ReferenceComponents.strong(vertexCount: n, src: s, dst: d), "seed \(seed)")
        }
    }

    func testStrongHandlesALongPathWithoutRecursion() {
        let n = 300_000
        let s = (0..<UInt32(n - 1)).map { $0 }, d = (1..<UInt32(n)).map { $0 }
        let labels = StronglyConnectedComponents.labels(CSRAdjacency(vertexCount: n, keys: s + [UInt32(n - 1)], others: d + [0]))
        XCTAssertTrue(labels.allSatisfy { $0 == 0 }, "one cycle through every vertex is one SCC")
    }

    func testResultTableUsesSmallestExternalIDAndStats() throws {
        let edges = try Table([("src", .string(["m", "x", "c", "q"])), ("dst", .string(["k", "y", "m", "q"]))])
        var b = GraphBuilder()
        let g = try b.build(edges: edges)
        let r = WeaklyConnectedComponents.run(g)
        let t = try r.table()
        XCTAssertEqual(t.rows, [["c", "c"], ["k", "c"], ["m", "c"], ["q", "q"], ["x", "x"], ["y", "x"]].map { $0.map { Value.string($0) } })
        let stats = r.stats
        XCTAssertEqual(stats.count, 3)
        XCTAssertEqual(stats.largest, 3)
        XCTAssertEqual(stats.singletons, 1)
        XCTAssertEqual(stats.p50, 2)
        XCTAssertEqual(stats.mean, 2.0)
    }
}

final class ArticulationPointsTests: XCTestCase {
    func testPathStarAndCycle() {
        // Path 0-1-2-3-4: inner vertices cut; the middle one cuts evenly.
        let path = ArticulationPoints.compute(vertexCount: 5, src: [0, 1, 2, 3], dst: [1, 2, 3, 4], weight: [1, 1, 1, 1, 1])
        XCTAssertEqual(path.isArticulation, [false, true, true, true, false])
        XCTAssertEqual(path.score, [0, 0.25, 0.5, 0.25, 0])
        // A cycle has none; a star's centre cuts everything but the largest leaf.
        let cycle = ArticulationPoints.compute(vertexCount: 4, src: [0, 1, 2, 3], dst: [1, 2, 3, 0], weight: [1, 1, 1, 1])
        XCTAssertEqual(cycle.isArticulation, [false, false, false, false])
        let star = ArticulationPoints.compute(vertexCount: 4, src: [0, 0, 0], dst: [1, 2, 3], weight: [1, 1, 1, 1])
        XCTAssertEqual(star.separated[0], 2)
        XCTAssertEqual(star.score[0], 2.0 / 3, accuracy: 1e-15)
        // Zero weights: a vertex whose removal only cuts off weightless vertices separates nothing.
        let w = ArticulationPoints.compute(vertexCount: 3, src: [0, 1], dst: [1, 2], weight: [1, 1, 0])
        XCTAssertTrue(w.isArticulation[1])
        XCTAssertEqual(w.separated[1], 0)
        let empty = ArticulationPoints.compute(vertexCount: 0, src: [], dst: [], weight: [])
        XCTAssertEqual(empty.score, [])
    }
}
