import Columnar
import XCTest
@testable import EntityResolution

/// The library entry behind `amlgraph resolve` and the dedupe gold tables.
final class EntityResolverTests: XCTestCase {
    let table = try! Table([
        ("id", .int64([1, 2, 3, 4, 5, 6])),
        ("a", .string(["x", "x", "x", "y", "y", "z"])),
        ("b", .string(["p", "q", "p", "p", "p", "p"])),
    ])

    func resolver() throws -> EntityResolver {
        try EntityResolver(model: FellegiSunterModel(uniqueIdColumn: "id", comparisons: [ComparisonLibrary.exact("b")], blockingRules: ["l.a = r.a"]), table: table)
    }

    func testCountedPairsEqualTheBlockedPairs() throws {
        let r = try resolver()
        // Symmetric equality rules are counted from their key groups: x has 3 records, y 2.
        XCTAssertEqual(try r.pairCount(["l.a = r.a"]), 3 + 1)
        XCTAssertEqual(try r.pairCount(["l.a = r.a and l.b = r.b"]), 1 + 1)
        for rules in [["l.a = r.a"], ["l.a = r.a and l.b = r.b"], ["l.a = r.b"], ["l.a = r.a", "l.b = r.b"], ["l.a = r.a and l.id != r.id"]] {
            XCTAssertEqual(try r.pairCount(rules), try r.block(rules).pairs.count, "\(rules)")
        }
    }

    func testClustersAreComponentsNamedByTheirFirstRecord() throws {
        let r = try resolver()
        var pairs = CandidatePairs()
        pairs.left = [1, 3, 0]; pairs.right = [2, 4, 5]; pairs.matchKey = [0, 0, 0]
        let prediction = Prediction(pairs: pairs, ruleCounts: [], scored: ScoredPairs(levels: [[0, 0, 0]], matchWeight: [0, 0, 0], matchProbability: [0.95, 0.9, 0.5]))
        XCTAssertEqual(r.clusters(prediction, threshold: 0.9), .int64([1, 2, 2, 4, 4, 6]))
    }

    /// Scoring in slices and keeping the pairs at or above a threshold gives exactly the pairs
    /// and probabilities of the whole prediction filtered afterwards, for any slice size.
    func testPredictAtLeastIsTheFilteredPrediction() throws {
        var names: [String] = [], towns: [String] = []
        for i in 0..<60 { names.append(["anna", "anne", "ana", "bob", "rob"][i % 5] + (i % 7 == 0 ? "x" : "")); towns.append(["oslo", "osl", "rome"][i % 3]) }
        let t = try Table([("id", .int64((0..<60).map(Int64.init))), ("name", .string(names)), ("town", .string(towns))])
        let model = FellegiSunterModel(uniqueIdColumn: "id", comparisons: [ComparisonLibrary.jaroWinkler("name", [0.9, 0.7]), ComparisonLibrary.exact("town")],
                                       blockingRules: ["substr(l.name, 1, 1) = substr(r.name, 1, 1)", "l.town = r.town"])
        let r = try EntityResolver(model: model, table: t)
        let whole = try r.predict()
        let sorted = whole.scored.matchProbability.sorted()
        XCTAssertGreaterThan(sorted.count, 100)
        XCTAssertLessThan(sorted[sorted.count / 2], sorted.last!, "the median splits the pairs")
        for threshold in [0.0, sorted[sorted.count / 2], sorted.last!, 1.5] {
            let keep = (0..<whole.pairs.count).filter { whole.scored.matchProbability[$0] >= threshold }
            for slice in [1, 7, 1 << 22] {
                let part = try r.predict(atLeast: threshold, slice: slice)
                XCTAssertEqual(part.candidates, whole.pairs.count)
                XCTAssertEqual(part.pairs.left, keep.map { whole.pairs.left[$0] })
                XCTAssertEqual(part.pairs.right, keep.map { whole.pairs.right[$0] })
                XCTAssertEqual(part.pairs.matchKey, keep.map { whole.pairs.matchKey[$0] })
                XCTAssertEqual(part.probability, keep.map { whole.scored.matchProbability[$0] })
            }
        }
    }

    func testMissingIdColumnIsNamed() {
        XCTAssertThrowsError(try EntityResolver(model: FellegiSunterModel(uniqueIdColumn: "record_id", comparisons: [ComparisonLibrary.exact("b")], blockingRules: []), table: table)) {
            XCTAssertTrue("\($0)".contains("record_id"))
        }
    }

    func testTrainingPlanRejectsUnknownAndMistypedKeys() throws {
        XCTAssertThrowsError(try TrainingPlan(json: ["em_blocking_rule": ["l.a = r.a"]], file: "s.json")) {
            XCTAssertTrue("\($0)".contains("s.json") && "\($0)".contains("training.em_blocking_rule: unknown key"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingPlan(json: ["recall": 1.5], file: "s.json")) { XCTAssertTrue("\($0)".contains("training.recall")) }
        let plan = try TrainingPlan(json: ["recall": 0.5, "max_pairs": 1e6, "em_blocking_rules": ["l.a = r.a"]], file: "s.json")
        XCTAssertEqual(plan, TrainingPlan(recall: 0.5, maxPairs: 1_000_000, emBlockingRules: ["l.a = r.a"]))
    }

    func testMinHashSettingsAreCheckedNotDefaulted() throws {
        let lsh = try MinHashLSH(json: ["columns": ["a"], "num_perm": 64, "bands": 16, "rows": 4, "q": 2, "seed": 7], file: "s.json")
        XCTAssertEqual([lsh.numPerm, lsh.bands, lsh.rows, lsh.q], [64, 16, 4, 2])
        XCTAssertEqual(lsh.seed, 7)
        for (bad, key) in [(["columns": ["a"], "band": 16], "minhash.band: unknown key"), (["q": 3], "minhash.columns"),
                           (["columns": ["a"], "bands": 16], "minhash.rows"), (["columns": ["a"], "bands": 40, "rows": 4], "bands × rows"),
                           (["columns": ["a"], "q": 2.5], "minhash.q"), (["columns": ["a"], "threshold": 1.2], "minhash.threshold")] as [([String: Any], String)] {
            XCTAssertThrowsError(try MinHashLSH(json: bad, file: "s.json")) { XCTAssertTrue("\($0)".contains(key), "\($0)") }
        }
    }
}
