import Columnar
import XCTest
@testable import AMLPipeline

final class AlertsTests: XCTestCase {
    func inputs() throws -> AlertInputs {
        var inputs = AlertInputs(entities: try Table([
            ("entity_id", .int64([1, 2, 3, 4, 5, 6, 7, 8, 9])),
            ("name", .string(["A", "B", "C", "D", "E", "F", "G", "H", "I"])),
        ]))
        inputs.structuring = try Table([
            ("collector_id", .int64([3])), ("beneficiary_id", .int64([4])),
            ("source_ids", .string(["1|5"])), ("mule_ids", .string(["2|6"])),
            ("txn_ids", .string(["10|11|12|13|14"])), ("total_amount", .double([18_000])),
        ])
        inputs.syntheticIdentity = try Table([
            ("entity_id", .int64([7, 8, 9])), ("component", .int64([7, 7, 9])),
            ("shared_types", .string(["ssn", "ssn", "address"])), ("tier", .string(["high", "high", "low"])),
        ])
        inputs.risk = try Table([
            ("entity_id", .int64([1, 2, 3])), ("base_risk", .double([10, 0, 0])), ("risk_score", .double([10, 5, 4.9])),
        ])
        return inputs
    }

    func testReasonsAddUpAndRankByScoreThenId() throws {
        let t = try Alerts.build(inputs())
        let ids = (0..<t.rowCount).map { t.value(row: $0, column: 1).intValue! }
        let scores = (0..<t.rowCount).map { t.value(row: $0, column: 3).doubleValue! }
        // 3: collector 40; 4: beneficiary 30; 7, 8: high tier 30; 1: source 15 + seed 10;
        // 2: mule 15 + propagated 8; 5, 6: 15. Entity 9 is low tier, off by default.
        XCTAssertEqual(ids, [3, 4, 7, 8, 1, 2, 5, 6])
        XCTAssertEqual(scores, [40, 30, 30, 30, 25, 23, 15, 15])
        XCTAssertEqual(t.value(row: 4, column: 5), .string("structuring_source|risky_seed"))
        XCTAssertEqual(t.value(row: 0, column: 6), .string("structuring_collector:beneficiary=4;total=18000.0;txns=10|11|12|13|14"))
        XCTAssertEqual(t.value(row: 0, column: 2), .string("C"))
        XCTAssertEqual((0..<t.rowCount).map { t.value(row: $0, column: 0).intValue! }, Array(1...8))
    }

    func testOptionsControlTheWeakSignals() throws {
        var options = Alerts.Options()
        options.includeLowTier = true
        options.riskThreshold = 4.9
        let t = try Alerts.build(inputs(), options: options)
        var reasons: [Int64: String] = [:]
        for r in 0..<t.rowCount { reasons[t.value(row: r, column: 1).intValue!] = t.value(row: r, column: 5).stringValue! }
        XCTAssertEqual(reasons[9], "synthetic_identity_low")
        XCTAssertEqual(reasons[3], "structuring_collector|risk_propagated")
    }

    func testNoInputsGivesAnEmptyTableWithTheSchema() throws {
        let t = try Alerts.build(AlertInputs(entities: try Table([("entity_id", .int64([1])), ("name", .string(["A"]))])))
        XCTAssertEqual(t.rowCount, 0)
        XCTAssertEqual(t.columnNames, ["rank", "entity_id", "name", "score", "reason_count", "reasons", "evidence"])
    }
}
