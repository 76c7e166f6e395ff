import Columnar
import PropertyGraph
import XCTest
@testable import AMLPipeline

final class RiskPropagationTests: XCTestCase {
    /// MISSION.md's seed example: vertices 1–10, base risk 10 on vertex 3.
    func seedGraph() throws -> (PropertyGraph, [Double]) {
        let vertices = try Table([("id", .int64(Array(1...10))), ("risk", .double((1...10).map { $0 == 3 ? 10 : 0 }))])
        let edges = try Table([("src", .int64([3, 3, 3, 4, 5, 6])), ("dst", .int64([4, 5, 6, 7, 7, 9]))])
        var b = GraphBuilder()
        let g = try b.build(edges: edges, vertices: vertices)
        guard case let .double(risk) = try g.vertexProperties.column("risk").data else { fatalError() }
        return (g, risk)
    }

    func testAcceleratorRuleMatchesTheSeedTable() throws {
        let (g, base) = try seedGraph()
        let r = try RiskPropagation.run(graph: g, baseRisk: base, rule: .accelerator, maxIterations: 3)
        // Columns: vertex ids 1...10 (internal 0...9); rows from MISSION.md's table.
        let expected: [[Double]] = [
            [0, 0, 10, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 10, 5, 5, 5, 0, 0, 0, 0],
            [0, 0, 10, 5, 5, 5, 5, 0, 2.5, 0],
            [0, 0, 10, 5, 5, 5, 5, 0, 2.5, 0],
        ]
        XCTAssertEqual(r.history, expected)
        XCTAssertEqual(r.scores, expected[3])
        XCTAssertEqual(r.hopsFromSeed, [nil, nil, 0, 1, 1, 1, 2, nil, 2, nil])
        XCTAssertEqual(r.topContributors[6], "4:2.5|5:2.5")
        XCTAssertEqual(r.topContributors[8], "6:2.5")
        let table = try r.table()
        XCTAssertEqual(table.columnNames, ["entity_id", "base_risk", "risk_score", "hops_from_seed", "top_contributors"])
        XCTAssertEqual(table.row(6), [.int(7), .double(0), .double(5), .int(2), .string("4:2.5|5:2.5")])
        XCTAssertEqual(try r.historyTable().columnNames, ["entity_id", "risk_score_0", "risk_score_1", "risk_score_2", "risk_score_3"])
    }

    func testWeightedRuleSplitsByAmountDecaysAndIsBounded() throws {
        let vertices = try Table([("id", .int64([1, 2, 3, 4])), ("risk", .double([10, 0, 0, 9]))])
        // 1 pays 2 three times as much as 3; 4 pays 1, pushing 1 above the cap.
        let edges = try Table([("src", .int64([1, 1, 4])), ("dst", .int64([2, 3, 1])), ("amount", .double([300, 100, 50]))])
        var b = GraphBuilder()
        let g = try b.build(edges: edges, vertices: vertices)
        let r = try RiskPropagation.run(graph: g, baseRisk: [10, 0, 0, 9], rule: .weighted(decay: 0.5, cap: 10), maxIterations: 1, amounts: [300, 100, 50])
        XCTAssertEqual(r.scores[1], 10 * 0.5 * 0.75)
        XCTAssertEqual(r.scores[2], 10 * 0.5 * 0.25)
        XCTAssertEqual(r.scores[0], 10, "10 + 4.5 is capped at 10")
        XCTAssertEqual(r.scores[3], 9, "no message: unchanged")
        XCTAssertThrowsError(try RiskPropagation.run(graph: g, baseRisk: [0, 0, 0, 0], rule: .defaultWeighted))
    }
}

final class RiskOnRealScalesTests: XCTestCase {
    /// A (80) pays B (20) 300 and C (0) 100; B pays D (0).
    func graph() throws -> PropertyGraph {
        let vertices = try Table([("id", .int64([1, 2, 3, 4])), ("risk", .double([80, 20, 0, 0]))])
        let edges = try Table([("src", .int64([1, 1, 2])), ("dst", .int64([2, 3, 4])), ("amount", .double([300, 100, 50]))])
        var b = GraphBuilder()
        return try b.build(edges: edges, vertices: vertices)
    }

    func testPropagationNeverLowersAnEntityBelowItsBase() throws {
        let g = try graph()
        for rule in [RiskRule.weighted(decay: 0.5, cap: 10), .defaultWeighted, .accelerator] {
            let r = try RiskPropagation.run(graph: g, baseRisk: [80, 20, 0, 0], rule: rule, maxIterations: 3, amounts: [300, 100, 50])
            XCTAssertEqual(r.scores[0], 80, "\(rule)")
            XCTAssertGreaterThanOrEqual(r.scores[1], 20, "\(rule)")
            for round in r.history { XCTAssertEqual(round[0], 80); XCTAssertGreaterThanOrEqual(round[1], 20) }
        }
        // Weighted, cap 0 (the largest base, 80), one round: B gets 80·0.5·¾ = 30 on top of its 20.
        let one = try RiskPropagation.run(graph: g, baseRisk: [80, 20, 0, 0], rule: .defaultWeighted, maxIterations: 1, amounts: [300, 100, 50])
        XCTAssertEqual(one.scores, [80, 50, 10, 20 * 0.5])
    }

    func testSeedThresholdChoosesWhoPropagates() throws {
        let g = try graph()
        // Seeds are base ≥ 50: only A. B (20) keeps its base as a floor but sends only what it received.
        let r = try RiskPropagation.run(graph: g, baseRisk: [80, 20, 0, 0], rule: .accelerator, maxIterations: 1, seedThreshold: 50)
        XCTAssertEqual(r.scores, [80, 40, 40, 0])
        XCTAssertEqual(r.hopsFromSeed.map { $0 ?? -1 }, [0, 1, 1, 2])
        let all = try RiskPropagation.run(graph: g, baseRisk: [80, 20, 0, 0], rule: .accelerator, maxIterations: 1)
        XCTAssertEqual(all.scores, [80, 60, 40, 10])
        XCTAssertThrowsError(try RiskPropagation.run(graph: g, baseRisk: [.nan, 0, 0, 0], rule: .accelerator))
    }
}
