import Columnar
import PropertyGraph
import XCTest
@testable import GraphAlgorithms

final class CycleTests: XCTestCase {
    /// Every sequence of distinct vertices starting at its minimum whose consecutive pairs
    /// (and last -> first) are edges, by brute-force extension without pruning.
    func referenceStatic(_ g: PropertyGraph, maxLength: Int) -> [[UInt32]] {
        var edge = Set<[UInt32]>()
        for (s, d) in zip(g.src, g.dst) { edge.insert([s, d]) }
        var cycles: [[UInt32]] = []
        func grow(_ seq: [UInt32]) {
            if edge.contains([seq.last!, seq[0]]) { cycles.append(seq) }
            guard seq.count < maxLength else { return }
            for w in 0..<UInt32(g.vertexCount) where w > seq[0] && !seq.contains(w) && edge.contains([seq.last!, w]) { grow(seq + [w]) }
        }
        for s in 0..<UInt32(g.vertexCount) { grow([s]) }
        return cycles.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Every edge sequence forming a simple cycle with strictly increasing times.
    func referenceTemporal(_ g: PropertyGraph, times: [Int64], maxLength: Int, span: Int64?) -> Set<[UInt32]> {
        var found = Set<[UInt32]>()
        func grow(_ edges: [Int], _ vertices: [UInt32]) {
            let first = edges[0], last = edges.last!
            for e in 0..<g.edgeCount where g.src[e] == g.dst[last] && times[e] > times[last] {
                if let span, times[e] - times[first] > span { continue }
                if g.dst[e] == vertices[0] { found.insert((edges + [e]).map(UInt32.init)) }
                else if !vertices.contains(g.dst[e]) && edges.count + 1 < maxLength { grow(edges + [e], vertices + [g.dst[e]]) }
            }
        }
        for e in 0..<g.edgeCount {
            if g.src[e] == g.dst[e] { found.insert([UInt32(e)]) } else if maxLength > 1 { grow([e], [g.src[e], g.dst[e]]) }
        }
        return found
    }

    func testStaticCyclesMatchBruteForce() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let g = TestGraphs.random(seed: seed, vertices: 12, edges: 30)
            for length in 1...5 {
                let r = try BoundedCycles.run(g, options: CycleOptions(maxLength: length))
                let got = (0..<r.count).map { Array(r.cycle($0)) }
                XCTAssertEqual(got, referenceStatic(g, maxLength: length), "seed \(seed) L \(length)")
            }
        }
    }

    func testTemporalCyclesMatchBruteForce() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let g = TestGraphs.random(seed: seed, vertices: 8, edges: 40)
            var state = seed
            let times: [Int64] = (0..<g.edgeCount).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int64(state >> 40) % 50
            }
            for (length, span) in [(3, nil), (4, nil), (4, Int64(20))] as [(Int, Int64?)] {
                let r = try BoundedCycles.run(g, options: CycleOptions(maxLength: length, timestamps: times, maxSpan: span))
                let got = (0..<r.count).map { i in Array(r.edges![r.offsets[i]..<r.offsets[i + 1]]) }
                XCTAssertEqual(Set(got).count, got.count, "each reported once")
                XCTAssertEqual(Set(got), referenceTemporal(g, times: times, maxLength: length, span: span), "seed \(seed)")
                for i in 0..<r.count { XCTAssertEqual(Array(r.cycle(i)), got[i].map { g.src[Int($0)] }) }
            }
        }
    }

    func testMaxCyclesKeepsTheFirstInOrder() throws {
        let g = TestGraphs.random(seed: 3, vertices: 12, edges: 40)
        let all = try BoundedCycles.run(g, options: CycleOptions(maxLength: 4))
        XCTAssertGreaterThan(all.count, 5)
        let some = try BoundedCycles.run(g, options: CycleOptions(maxLength: 4, maxCycles: 5))
        XCTAssertEqual(some.count, 5)
        XCTAssertTrue(some.truncated)
        XCTAssertEqual(Array(some.vertices), Array(all.vertices[0..<some.offsets[5]]))
    }

    func testTableShape() throws {
        let g = TestGraphs.make(vertices: 3, src: [0, 1, 2, 1], dst: [1, 2, 0, 0])
        let r = try BoundedCycles.run(g, options: CycleOptions(maxLength: 3))
        let t = try r.table()
        XCTAssertEqual(t.columnNames, ["cycle", "length", "path"])
        XCTAssertEqual(t.row(0), [.int(0), .int(2), .string("[0,1]")])
        XCTAssertEqual(t.row(1), [.int(1), .int(3), .string("[0,1,2]")])
        XCTAssertThrowsError(try BoundedCycles.run(g, options: CycleOptions(maxLength: 0)))
    }
}
