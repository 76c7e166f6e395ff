import PropertyGraph
import XCTest
@testable import GraphAlgorithms

final class LabelPropagationTests: XCTestCase {
    /// The synchronous rule with a dictionary of counts per vertex.
    func reference(_ g: PropertyGraph, steps: Int) -> [UInt32] {
        var labels = (0..<g.vertexCount).map { UInt32($0) }
        for _ in 0..<steps {
            var heard = [[UInt32: Int]](repeating: [:], count: g.vertexCount)
            for (s, d) in zip(g.src, g.dst) {
                heard[Int(d)][labels[Int(s)], default: 0] += 1
                heard[Int(s)][labels[Int(d)], default: 0] += 1
            }
            labels = (0..<g.vertexCount).map { v in
                guard let top = heard[v].values.max() else { return labels[v] }
                return heard[v].filter { $0.value == top }.keys.min()!
            }
        }
        return labels
    }

    func testMatchesSynchronousReference() {
        for seed in 1...8 as ClosedRange<UInt64> {
            let g = TestGraphs.random(seed: seed, vertices: 60, edges: 90)
            for steps in [0, 1, 3, 7] {
                XCTAssertEqual(LabelPropagation.run(g, maxSteps: steps).labels, reference(g, steps: steps), "seed \(seed) steps \(steps)")
            }
        }
    }

    func testTwoCliquesJoinedByOneEdge() {
        // K4 on 0-3 and K4 on 4-7, bridge 3-4: two communities after a few steps.
        var s: [UInt32] = [], d: [UInt32] = []
        for base in [0, 4] as [UInt32] { for a in 0..<4 as Range<UInt32> { for b in (a + 1)..<4 { s.append(base + a); d.append(base + b) } } }
        s.append(3); d.append(4)
        let result = LabelPropagation.run(TestGraphs.make(vertices: 8, src: s, dst: d), maxSteps: 5)
        XCTAssertEqual(Set(result.labels[0..<4]).count, 1)
        XCTAssertEqual(Set(result.labels[4..<8]).count, 1)
    }
}
