import Columnar
import XCTest
@testable import EntityResolution

/// Splink 5's training semantics, step by step, on small hand-checked inputs.
final class TrainingSemanticsTests: XCTestCase {
    func testBlockingAdjustedLambdaUsesTheExactLevelOfEachBlockedColumn() {
        var country = ComparisonLibrary.exact("country")
        country.levels[1].m = 0.9; country.levels[1].u = 0.3
        var name = ComparisonLibrary.jaroWinkler("name")
        name.levels[1].m = 0.5; name.levels[1].u = 0.01
        let model = FellegiSunterModel(lambda: 0.01, comparisons: [country, name])
        let odds = 0.01 / 0.99
        XCTAssertEqual(blockingAdjustedLambda(model: model, blockedColumns: ["country"]), odds * 3 / (1 + odds * 3), accuracy: 1e-15)
        // A substr rule on name still claims name's exact level.
        XCTAssertEqual(blockingAdjustedLambda(model: model, blockedColumns: ["country", "name"]), odds * 150 / (1 + odds * 150), accuracy: 1e-15)
        XCTAssertEqual(blockingAdjustedLambda(model: model, blockedColumns: ["amount"]), 0.01, accuracy: 1e-15)
    }

    func testUnobservedLevelsCastNoVoteAndSessionsCombineByMedian() {
        var a = ComparisonLibrary.levenshtein("a", [1])  // null, exact, lev<=1, else
        a.levels[1].u = 0.01; a.levels[2].u = 0.02; a.levels[3].u = 0.97
        let b = ComparisonLibrary.exact("b")
        let model = FellegiSunterModel(lambda: 0.1, comparisons: [a, b])
        // Comparison a: pairs only at exact (1) and else (3); level 2 is never reached.
        let levels: [[UInt8]] = [[1, 1, 3, 3, 3], [1, 2, 2, 2, 2]]
        let s = expectationMaximisation(model: model, levels: levels, skip: [1])
        XCTAssertNil(s.m[1], "the blocked comparison is not estimated")
        XCTAssertNil(s.m[0]![2], "an unreached level is not observed")
        XCTAssertEqual(s.m[0]![1]! + s.m[0]![3]!, 1, accuracy: 1e-12)
        var trained = model
        applyEMSessions([s], to: &trained)
        XCTAssertNil(trained.comparisons[0].levels[2].m, "not observed keeps the untrained default")
        XCTAssertEqual(trained.comparisons[0].levels[1].m, s.m[0]![1])
        var t = s, u = s
        t.m[0]![1] = 0.2; u.m[0]![1] = 0.9
        applyEMSessions([s, t, u], to: &trained)
        XCTAssertEqual(trained.comparisons[0].levels[1].m, [s.m[0]![1]!, 0.2, 0.9].sorted()[1])
        XCTAssertEqual(median([4, 1, 3, 2]), 2.5)
        XCTAssertNil(median([]))
    }

    func testTermFrequencyAdjustmentsShiftTheEStep() {
        var a = ComparisonLibrary.exact("a", tf: true)
        a.levels[1].u = 0.1; a.levels[2].u = 0.9
        let model = FellegiSunterModel(lambda: 0.1, comparisons: [a])
        let levels: [[UInt8]] = [[1, 1, 2, 2]]
        let plain = expectationMaximisation(model: model, levels: levels, skip: [], maxIterations: 1)
        let boosted = expectationMaximisation(model: model, levels: levels, skip: [], tfAdjustment: [3, 3, 0, 0], maxIterations: 1)
        XCTAssertGreaterThan(boosted.m[0]![1]!, plain.m[0]![1]!)
    }

    func testUSampleIsExhaustiveWhenMaxPairsCoversAllPairs() {
        let all = uSamplePairs(recordCount: 10, source: [UInt8](repeating: 0, count: 10), linkType: .dedupeOnly, maxPairs: 45, seed: 7)
        XCTAssertEqual(all.count, 45)
        let some = uSamplePairs(recordCount: 2000, source: [UInt8](repeating: 0, count: 2000), linkType: .dedupeOnly, maxPairs: 5000, seed: 7)
        XCTAssertLessThan(some.count, 2000 * 1999 / 2)
        XCTAssertEqual(some.left, uSamplePairs(recordCount: 2000, source: [UInt8](repeating: 0, count: 2000), linkType: .dedupeOnly, maxPairs: 5000, seed: 7).left)
        let link = uSamplePairs(recordCount: 5, source: [0, 0, 1, 1, 1], linkType: .linkOnly, maxPairs: 100, seed: 1)
        XCTAssertEqual(link.count, 6)
        XCTAssertTrue(zip(link.left, link.right).allSatisfy { $0 < 2 && $1 >= 2 })
    }

    func testPercentageDifferenceFollowsSplink5() {
        let sql = #"(ABS("amount_l" - "amount_r") / (CASE WHEN "amount_r" > "amount_l" THEN "amount_r" ELSE "amount_l" END)) < 0.25"#
        let parsed = LevelCondition.parse(sql: sql)
        XCTAssertEqual(parsed?.0, .percentageDifference(0.25)); XCTAssertEqual(parsed?.column, "amount")
        XCTAssertEqual(LevelCondition.percentageDifference(0.25).sql("amount"), sql)
        XCTAssertEqual(percentageDifference(100, 80), 0.2, accuracy: 1e-12)
        XCTAssertFalse(percentageDifference(0, 0) < 0.5, "0/0 is NULL in DuckDB: the level does not hold")
    }
}
