@testable import AMLPipeline
import Columnar
import GraphAlgorithms
import PropertyGraph
import XCTest

final class StructuringTests: XCTestCase {
    static let day: Int64 = 86_400_000_000

    /// Payments (src, dst, amount, day) as a graph with txn ids 1...n.
    func graph(_ payments: [(Int64, Int64, Double, Double)]) throws -> PropertyGraph {
        var b = GraphBuilder()
        b.srcColumn = "originator_id"
        b.dstColumn = "beneficiary_id"
        return try b.build(edges: Table([
            ("txn_id", .int64((1...payments.count).map(Int64.init))),
            ("originator_id", .int64(payments.map(\.0))),
            ("beneficiary_id", .int64(payments.map(\.1))),
            ("txn_amount", .double(payments.map(\.2))),
            ("txn_ts", .timestamp(payments.map { Int64($0.3 * Double(Self.day)) })),
        ]))
    }

    func testThreeChainsIntoACollectorAreOneAlert() throws {
        // Sources 1,2,3 -> mules 11,12,13 -> collector 50 -> beneficiary 60.
        let g = try graph([
            (1, 11, 9000, 1.0), (11, 50, 8900, 1.5),
            (2, 12, 9100, 1.1), (12, 50, 9000, 1.6),
            (3, 13, 9200, 1.2), (13, 50, 9100, 1.7),
            (4, 13, 9300, 1.3),                       // a second source through mule 13: not a distinct chain
            (5, 14, 12000, 1.2), (14, 50, 11000, 1.4), // over the threshold: ignored
            (6, 15, 5000, 2.5), (15, 50, 5000, 2.6),   // after the forward: ignored
            (50, 60, 26000, 2.0),
        ])
        let alerts = try Structuring.detect(g)
        XCTAssertEqual(alerts.count, 1)
        let a = try XCTUnwrap(alerts.first)
        XCTAssertEqual(g.ids.text(a.collector), "50")
        XCTAssertEqual(g.ids.text(a.beneficiary), "60")
        XCTAssertEqual(a.chains.count, 3)
        XCTAssertEqual(a.total, 8900 + 9000 + 9100, accuracy: 1e-9)
        let t = try Structuring.table(alerts, graph: g)
        XCTAssertEqual(t.value(row: 0, column: 2), .int(3))
        XCTAssertEqual(try Structuring.levelsTable(alerts, graph: g).rowCount, 3)
    }

    func testForwardMustCarryTheAggregateAndWindowHolds() throws {
        let base: [(Int64, Int64, Double, Double)] = [(1, 11, 9000, 1.0), (11, 50, 8900, 1.5), (2, 12, 9100, 1.1), (12, 50, 9000, 1.6)]
        XCTAssertEqual(try Structuring.detect(graph(base + [(50, 60, 1000, 2.0)])).count, 0, "a small onward payment is not the aggregate")
        var c = StructuringConfig()
        c.window = 2 * Self.day
        XCTAssertEqual(try Structuring.detect(graph(base + [(50, 60, 17000, 4.0)]), config: c).count, 0, "outside the window")
        XCTAssertEqual(try Structuring.detect(graph(base + [(50, 60, 17000, 2.0)]), config: c).count, 1)
    }

    /// The accelerator's rule counted analytically equals materialising its motif and self-join.
    func testAcceleratorRuleEqualsBruteForce() throws {
        let g = try graph([
            (1, 2, 500, 1), (2, 3, 600, 2), (4, 2, 9000, 3), (5, 6, 700, 4), (6, 3, 800, 5),
            (3, 7, 6000, 6), (3, 7, 4500, 7), (8, 9, 100, 8), (9, 3, 200, 9), (3, 10, 20000, 10), (3, 3, 50, 11),
        ])
        let amounts = try Structuring.amounts(g, "txn_amount")
        let m = try MotifMatcher(graph: g, query: MotifValidator.query("(a)-[e1]->(b); (b)-[e2]->(c); (d)-[e3]->(f); (f)-[e5]->(c); (c)-[e6]->(g)"))
        var rows: [(g: UInt32, a6: Double)] = []
        try m.run { b in for r in 0..<b.count { rows.append((b.ids[r * b.stride + 10], amounts[Int(b.ids[r * b.stride + 9])])) } }
        var pairs = 0.0
        for x in rows { for y in rows where x.g == y.g && x.a6 + y.a6 > 10000 { pairs += 1 } }
        let ours = try Structuring.acceleratorRule(g)
        XCTAssertEqual(ours.reduce(0) { $0 + $1.pairs }, pairs)
        XCTAssertGreaterThan(pairs, 0)
    }

    func testRoundTripsNeedTimeOrderAndDistinctVertices() throws {
        let g = try graph([
            (1, 2, 50000, 1), (2, 3, 49000, 2), (3, 4, 48000, 3), (4, 1, 47000, 4),   // a round trip from 1
            (5, 6, 50000, 4), (6, 7, 49000, 3), (7, 8, 48000, 2), (8, 5, 47000, 1),   // time runs backwards
            (9, 10, 100, 1), (10, 9, 100, 2), (9, 10, 100, 3), (10, 9, 100, 4),       // repeats vertices
        ])
        let trips = try RoundTrips.detect(g)
        XCTAssertEqual(trips.count, 1)
        XCTAssertEqual(trips[0].vertices.map { g.ids.text($0) }, ["1", "2", "3", "4"])
        let t = try RoundTrips.table(trips, graph: g)
        XCTAssertEqual(t.value(row: 0, column: 8), .double(194000))
        var c = RoundTripConfig()
        c.length = 2
        // 9 -> 10 -> 9 on days (1,2), (1,4), (3,4) and 10 -> 9 -> 10 on days (2,3).
        XCTAssertEqual(try RoundTrips.detect(g, config: c).count, 4)
    }
}
