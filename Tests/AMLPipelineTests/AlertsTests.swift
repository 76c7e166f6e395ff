import Columnar
import XCTest
@testable import AMLPipeline

final class AlertsTests: XCTestCase {
    func inputs() throws -> AlertInputs {
        var inputs = AlertInputs(entities: try Table([
            ("entity_id", .int64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])),
            ("name", .string(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"])),
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
        // Entity 10 has the highest KYC risk and no reason: risk alone never alerts.
        inputs.risk = try Table([
            ("entity_id", .int64([1, 2, 3, 9, 10])), ("base_risk", .double([50, 0, 0, 50, 100])),
            ("risk_score", .double([50, 25, 24, 50, 100])),
        ])
        return inputs
    }

    func ids(_ t: Table) -> [Int64] { (0..<t.rowCount).map { t.value(row: $0, column: 1).intValue! } }

    func testReasonsAddOnceRiskRaisesScoresAndRanksByScoreThenId() throws {
        let t = try Alerts.build(inputs())
        let scores = (0..<t.rowCount).map { t.value(row: $0, column: 3).doubleValue! }
        // Every mule-chain member: structuring 40; risk adds 10 · risk / 100 (the run's maximum).
        // 7, 8: high tier 30. 9 is low tier (off by default); 10 has risk only.
        XCTAssertEqual(ids(t), [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(scores, [45, 42.5, 42.4, 40, 40, 40, 30, 30])
        XCTAssertEqual(t.value(row: 0, column: 5), .string("structuring"))
        XCTAssertEqual(t.value(row: 0, column: 6), .string("structuring:variant=mule_chain;collector=3;beneficiary=4;total=18000.0;txns=10|11|12|13|14 || risk:base=50.0;score=50.0"))
        XCTAssertEqual(t.value(row: 0, column: 2), .string("A"))
        XCTAssertEqual((0..<t.rowCount).map { t.value(row: $0, column: 0).intValue! }, Array(1...8))
    }

    func testWeightsAndCutOffAreOptions() throws {
        var options = Alerts.Options()
        options.includeLowTier = true
        options.weights = ["structuring": 5]
        // The default cut-off (25): a reason of weight 5 with risk 5 (entity 1, 10 points) is
        // under it; the high identity tier (30) is not.
        XCTAssertEqual(ids(try Alerts.build(inputs(), options: options)), [7, 8])
        options.minScore = 10
        // 9: low tier 2 + risk 5 = 7, under 10; 1: 5 + 5 = 10.
        XCTAssertEqual(ids(try Alerts.build(inputs(), options: options)), [7, 8, 1])
        options.minScore = 0
        let all = try Alerts.build(inputs(), options: options)
        XCTAssertEqual(ids(all), [7, 8, 1, 2, 3, 9, 4, 5, 6])
        options.topN = 3
        XCTAssertEqual(ids(try Alerts.build(inputs(), options: options)), [7, 8, 1])
        let decoded = try JSONDecoder().decode(Alerts.Options.self, from: JSONEncoder().encode(options))
        XCTAssertEqual(decoded, options)
    }

    func testTypologyFindingsAreReasonsNamedByTheTypology() throws {
        var inputs = AlertInputs(entities: try Table([("entity_id", .string(["a", "b", "c"])), ("name", .string(["A", "B", "C"]))]))
        inputs.typologies = try Table([("instance_id", .int64([1, 2])), ("txn_ids", .string(["t1|t2|t3", "t4|t5"]))])
        inputs.typologyAccounts = try Table([
            ("instance_id", .int64([1, 1, 2, 2])), ("typology", .string(["fan_in", "fan_in", "cycle", "cycle"])),
            ("account_id", .string(["a", "b", "a", "c"])), ("role", .string(["hub", "originator", "origin", "member"])),
        ])
        let t = try Alerts.build(inputs)
        XCTAssertEqual((0..<t.rowCount).map { t.value(row: $0, column: 1).stringValue! }, ["a", "c", "b"])
        XCTAssertEqual(t.value(row: 0, column: 5), .string("cycle|fan_in"))
        XCTAssertEqual(t.value(row: 0, column: 3), .double(70))
        XCTAssertEqual(t.value(row: 0, column: 6), .string("cycle:instance=2;role=origin;txns=t4|t5 || fan_in:instance=1;role=hub;txns=t1|t2|t3"))
    }

    func testNoInputsGivesAnEmptyTableWithTheSchema() throws {
        let t = try Alerts.build(AlertInputs(entities: try Table([("entity_id", .int64([1])), ("name", .string(["A"]))])))
        XCTAssertEqual(t.rowCount, 0)
        XCTAssertEqual(t.columnNames, ["rank", "entity_id", "name", "score", "reason_count", "reasons", "evidence"])
    }
}
