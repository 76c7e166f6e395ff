import PropertyGraph
import XCTest
@testable import GraphAlgorithms

final class ShortestPathsTests: XCTestCase {
    /// Bellman-Ford style relaxation to a fixed point: d(v) = min over v->w of d(w) + 1.
    func reference(_ g: PropertyGraph, landmark: Int, directed: Bool, keep: [Bool]?) -> [Int32] {
        var d = [Int32](repeating: -1, count: g.vertexCount)
        d[landmark] = 0
        var changed = true
        while changed {
            changed = false
            for e in 0..<g.edgeCount where keep?[e] ?? true {
                let pairs = directed ? [(Int(g.src[e]), Int(g.dst[e]))] : [(Int(g.src[e]), Int(g.dst[e])), (Int(g.dst[e]), Int(g.src[e]))]
                for (v, w) in pairs where d[w] >= 0 && (d[v] < 0 || d[w] + 1 < d[v]) { d[v] = d[w] + 1; changed = true }
            }
        }
        return d
    }

    func testMatchesRelaxationWithAndWithoutFilter() {
        for seed in 1...6 as ClosedRange<UInt64> {
            let g = TestGraphs.random(seed: seed, vertices: 80, edges: 150)
            let keep = (0..<g.edgeCount).map { $0 % 3 != 0 }
            let marks: [UInt32] = [0, 5, 5, 79]
            for directed in [true, false] {
                for mask in [nil, keep] {
                    let r = ShortestPaths.run(g, landmarks: marks, directed: directed, edgeMask: mask)
                    XCTAssertEqual(r.landmarks, [0, 5, 79])
                    for (i, l) in r.landmarks.enumerated() {
                        XCTAssertEqual(r.distances[i], reference(g, landmark: Int(l), directed: directed, keep: mask))
                    }
                }
            }
        }
    }

    func testTablesOnAPath() throws {
        // 0 -> 1 -> 2; landmark 2: distances 2, 1, 0; landmark 0 reachable only from 0.
        let g = TestGraphs.make(vertices: 3, src: [0, 1], dst: [1, 2])
        let r = ShortestPaths.run(g, landmarks: [2, 0])
        let wide = try r.table()
        XCTAssertEqual(try wide.column("distances").value(at: 0), .string("{\"2\":2,\"0\":0}"))
        XCTAssertEqual(try wide.column("distances").value(at: 2), .string("{\"2\":0}"))
        let long = try r.longTable()
        XCTAssertEqual(long.rowCount, 4)
        XCTAssertEqual(long.row(0), [.int(0), .int(2), .int(2)])
        XCTAssertEqual(long.row(1), [.int(0), .int(0), .int(0)])
    }
}
