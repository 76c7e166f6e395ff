import Columnar
import Foundation
import XCTest
@testable import EntityResolution

final class ResolutionQualityTests: XCTestCase {
    func testPairwiseAndClusterQuality() {
        // Truth: {0,1,2} one entity, {3,4} another, 5 alone, 6 unknown.
        let truth: [Int?] = [1, 1, 1, 2, 2, 3, nil]
        let q = ResolutionQuality.pairwise(predicted: [(0, 1), (1, 0), (1, 2), (2, 3), (5, 6), (4, 4)], truth: truth)
        XCTAssertEqual(q, ResolutionQuality(truePositives: 2, predictedPairs: 3, truePairs: 4))
        XCTAssertEqual(q.precision, 2.0 / 3); XCTAssertEqual(q.recall, 0.5)
        XCTAssertEqual(q.f1, 2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), accuracy: 1e-15)
        // Clusters {0,1,2,3} and {4}, {5}, {6}: 6 pairs within, 3 of them true.
        let c = ResolutionQuality.clusters([0, 0, 0, 0, 4, 5, 6], truth: truth)
        XCTAssertEqual(c, ResolutionQuality(truePositives: 3, predictedPairs: 6, truePairs: 4))
        XCTAssertEqual(ResolutionQuality.pairwise(predicted: [], truth: truth).precision, 1)
        XCTAssertEqual(ResolutionQuality.pairwise(predicted: [], truth: truth).f1, 0)
    }

    /// Golden: the committed organisation-dedupe settings, trained and resolved through the
    /// library, reproduce the counts in datasets/small/golden_er_quality.json (which the
    /// interop test checks against Splink 5 and an independent Python computation).
    func testOrganisationDedupeGolden() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../datasets/small").standardized
        let settingsPath = dir.appendingPathComponent("dedupe_settings.json").path
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: settingsPath))) as? [String: Any])
        let table = try CSVReader.read(path: dir.appendingPathComponent("dedupe.csv").path)
        var resolver = try EntityResolver(model: try SplinkModelJSON.parse(obj, file: settingsPath), table: table)
        try resolver.train(try TrainingPlan(json: try XCTUnwrap(obj["training"] as? [String: Any]), file: settingsPath))
        let prediction = try resolver.predict()

        let truthTable = try CSVReader.read(path: dir.appendingPathComponent("truth_dedupe.csv").path)
        var org: [String: String] = [:]
        let tid = try truthTable.column("record_id"), tor = try truthTable.column("org_id")
        for i in 0..<truthTable.rowCount { org[tid.value(at: i).stringValue ?? "\(tid.value(at: i))"] = tor.value(at: i).stringValue ?? "\(tor.value(at: i))" }
        let truth: [String?] = (0..<table.rowCount).map { org[resolver.ids.value(at: $0).stringValue ?? "\(resolver.ids.value(at: $0))"] }

        let kept = (0..<prediction.pairs.count).filter { prediction.scored.matchProbability[$0] >= 0.9 }
        let pairs = ResolutionQuality.pairwise(predicted: kept.map { (Int(prediction.pairs.left[$0]), Int(prediction.pairs.right[$0])) }, truth: truth)
        let clusters = ResolutionQuality.clusters(clusterPairs(recordCount: table.rowCount, pairs: prediction.pairs,
                                                               probability: prediction.scored.matchProbability, threshold: 0.9), truth: truth)

        let golden = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("golden_er_quality.json"))) as? [String: Any])
        let ours = try XCTUnwrap(golden["amlgraph"] as? [String: [String: Any]])
        for (name, q) in [("pairs", pairs), ("clusters", clusters)] {
            let g = try XCTUnwrap(ours[name])
            XCTAssertEqual(q.truePositives, g["true_positives"] as? Int, name)
            XCTAssertEqual(q.predictedPairs, g["predicted_pairs"] as? Int, name)
            XCTAssertEqual(q.truePairs, g["true_pairs"] as? Int, name)
            XCTAssertEqual(q.f1, try XCTUnwrap(g["f1"] as? Double), accuracy: 5e-4, name)
        }
    }
}
