import Columnar
import Foundation
import XCTest
@testable import SyntheticData

/// The bank world's promises that the CLI cannot reach: output independent of the batch size,
/// the exact payment count, and the structural checks in `Tests/interop/test_bank_world.py`
/// (DuckDB, networkx) complementing these.
final class BankWorldGeneratorTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "amlgraph-bank-" + UUID().uuidString
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    static let files = ["entities.csv", "transactions.csv", "truth_patterns.csv", "truth_pattern_entities.csv", "truth_pattern_parameters.csv"]

    func config(seed: UInt64 = 3, batch: Int = 1 << 16) -> BankWorldConfig {
        var c = BankWorldConfig(accounts: 400, transactions: 9_000, seed: seed)
        c.days = 62
        c.instancesPerTypology = 2
        c.batchSize = batch
        return c
    }

    func write(_ dir: String, _ c: BankWorldConfig) throws { try BankWorldGenerator(config: c).write(to: scratch + "/" + dir) }

    func bytes(_ dir: String, _ file: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: scratch + "/" + dir + "/" + file)) }

    func testSameConfigurationGivesIdenticalFilesWhateverTheBatchSize() throws {
        try write("a", config())
        try write("b", config(batch: 777))
        try write("c", config(batch: 5_000))
        for f in Self.files {
            XCTAssertEqual(try bytes("a", f), try bytes("b", f), f)
            XCTAssertEqual(try bytes("a", f), try bytes("c", f), f)
        }
        try write("d", config(seed: 4))
        XCTAssertNotEqual(try bytes("a", "transactions.csv"), try bytes("d", "transactions.csv"))
    }

    func testExactCountsAndEveryTypologyPlanted() throws {
        try write("a", config())
        let tx = try CSVReader.read(path: scratch + "/a/transactions.csv")
        XCTAssertEqual(tx.rowCount, 9_000)
        guard case let .int64(ids) = try tx.column("txn_id").data else { return XCTFail("txn_id type") }
        XCTAssertEqual(ids, Array(1...9_000))
        let truth = try CSVReader.read(path: scratch + "/a/truth_pattern_entities.csv")
        guard case let .string(types) = try truth.column("pattern_type").data else { return XCTFail("pattern_type type") }
        var patterns: [String: Set<Int64>] = [:]
        guard case let .int64(pids) = try truth.column("pattern_id").data else { return XCTFail("pattern_id type") }
        for r in 0..<truth.rowCount { patterns[types[r], default: []].insert(pids[r]) }
        XCTAssertEqual(Set(patterns.keys), Set(BankTypology.allCases.map(\.rawValue)))
        XCTAssertTrue(patterns.values.allSatisfy { $0.count == 2 })
    }

    func testTooSmallWorldsAreClearErrors() {
        XCTAssertThrowsError(try BankWorldGenerator(config: BankWorldConfig(accounts: 50, transactions: 10_000, seed: 1))) {
            XCTAssertTrue("\($0)".contains("--entities must be at least 200"))
        }
        var c = config()
        c.transactions = 100
        XCTAssertThrowsError(try BankWorldGenerator(config: c)) { XCTAssertTrue("\($0)".contains("--transactions must be at least")) }
        c = config()
        c.days = 10
        XCTAssertThrowsError(try BankWorldGenerator(config: c)) { XCTAssertTrue("\($0)".contains("--days must be between 31")) }
        c = config()
        c.instancesPerTypology = 40
        XCTAssertThrowsError(try BankWorldGenerator(config: c)) { XCTAssertTrue("\($0)".contains("without sharing accounts")) }
    }
}
