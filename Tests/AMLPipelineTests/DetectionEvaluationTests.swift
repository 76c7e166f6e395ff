import Columnar
import XCTest
@testable import AMLPipeline

/// `DetectionEvaluation` on a list small enough to grade by hand (the figures in the comments
/// are counted from the tables, not read from the code's output). The randomised cross-check
/// against plain Python and DuckDB is `Tests/interop/test_evaluate.py`.
final class DetectionEvaluationTests: XCTestCase {
    // Instance 1 (cycle): 1, 2, 3, 4. Instance 2 (cycle): 5, 6. Instance 3 (fan_in): 7, 8, 9.
    let truth = try! Table([
        ("pattern_id", .int64([1, 1, 1, 1, 2, 2, 3, 3, 3])),
        ("pattern_type", .string(["cycle", "cycle", "cycle", "cycle", "cycle", "cycle", "fan_in", "fan_in", "fan_in"])),
        ("entity_id", .int64([1, 2, 3, 4, 5, 6, 7, 8, 9])),
    ])
    // Alerted, by rank: 2 (cycle), 50 (cycle_member: a false positive), 1 (fan_in), 7, 3, 60, 5.
    // Rows are out of rank order on purpose.
    let alerts = try! Table([
        ("rank", .int64([3, 1, 2, 4, 5, 6, 7])),
        ("entity_id", .string(["1", "2", "50", "7", "3", "60", "5"])),
        ("reasons", .string(["fan_in", "cycle|risky_seed", "cycle_member", "", "cycles", "fan_in_hub", "cycle"])),
    ])

    func testFiguresCountedByHand() throws {
        let r = try DetectionEvaluation.evaluate(alerts: alerts, truthEntities: truth, settings: .init(ks: [2, 5, 100]))
        XCTAssertEqual(r.alerts, 7)
        XCTAssertEqual(r.plantedAccounts, 9)
        XCTAssertEqual(r.alertedPlanted, 5)                    // 1, 2, 3, 5, 7
        XCTAssertEqual(r.precision!, 5.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(r.recall!, 5.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(r.precisionAtK.map(\.hits), [1, 4, 5])  // top 2: 2, 50; top 5: 2, 50, 1, 7, 3
        XCTAssertEqual(r.precisionAtK.map(\.considered), [2, 5, 7])

        let cycle = r.typologies[0], fan = r.typologies[1]
        XCTAssertEqual(cycle.typology, "cycle")
        XCTAssertEqual(cycle.plantedInstances, 2)
        XCTAssertEqual(cycle.instancesFound, 2)                // 3 of 4, and 1 of 2 (half counts)
        XCTAssertEqual(cycle.plantedAccounts, 6)
        XCTAssertEqual(cycle.accountsAlerted, 4)
        XCTAssertEqual(cycle.reasonAlerts, 3)                  // 2, 50, 5 ("cycles" is not a cycle reason)
        XCTAssertEqual(cycle.reasonTruePositives, 2)
        XCTAssertEqual(cycle.precision!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(fan.instancesFound, 0)                  // 1 of 3
        XCTAssertEqual(fan.accountRecall, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(fan.reasonAlerts, 2)                    // 1 (a cycle account: still planted) and 60
        XCTAssertEqual(fan.precision!, 0.5, accuracy: 1e-12)
    }

    func testAStricterFoundShareAndAnEmptyList() throws {
        let strict = try DetectionEvaluation.evaluate(alerts: alerts, truthEntities: truth, settings: .init(foundShare: 0.75))
        XCTAssertEqual(strict.typologies[0].instancesFound, 1)
        let none = try DetectionEvaluation.evaluate(alerts: alerts.slice(0..<0), truthEntities: truth)
        XCTAssertNil(none.precision)
        XCTAssertEqual(none.recall, 0)
        XCTAssertNil(none.typologies[0].precision)
        XCTAssertEqual(none.precisionAtK.map(\.considered), [0, 0, 0])
    }

    func testMissingColumnsAndBadSettingsAreErrors() {
        XCTAssertThrowsError(try DetectionEvaluation.evaluate(alerts: try! alerts.select(["rank", "entity_id"]), truthEntities: truth)) {
            XCTAssertEqual("\($0)", "alerts: no column reasons (expected the |-separated alert reasons)")
        }
        XCTAssertThrowsError(try DetectionEvaluation.evaluate(alerts: alerts, truthEntities: truth, settings: .init(foundShare: 0)))
        XCTAssertThrowsError(try DetectionEvaluation.evaluate(alerts: alerts, truthEntities: truth, settings: .init(ks: [0])))
    }
}
