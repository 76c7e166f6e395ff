import Columnar
import Foundation
import XCTest
@testable import SyntheticData

final class DatasetGeneratorTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "amlgraph-gen-" + UUID().uuidString
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    static let files = ["entities.csv", "transactions.csv", "dedupe.csv", "truth_synthetic_identity.csv",
                        "truth_patterns.csv", "truth_pattern_entities.csv", "truth_risky_seeds.csv", "truth_dedupe.csv", "truth_address_flags.csv"]

    func generate(_ dir: String, seed: UInt64 = 42, entities: Int = 500, transactions: Int = 6_000, batch: Int = 1 << 16) throws {
        var config = GeneratorConfig(entities: entities, transactions: transactions, seed: seed)
        config.batchSize = batch
        try DatasetGenerator(config: config).write(to: scratch + "/" + dir)
    }

    func read(_ dir: String, _ file: String) throws -> Table { try CSVReader.read(path: scratch + "/" + dir + "/" + file) }

    func bytes(_ dir: String, _ file: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: scratch + "/" + dir + "/" + file)) }

    func testSameSeedGivesIdenticalFilesWhateverTheBatchSize() throws {
        try generate("a")
        try generate("b", batch: 777)
        for f in Self.files { XCTAssertEqual(try bytes("a", f), try bytes("b", f), f) }
        try generate("c", seed: 43)
        XCTAssertNotEqual(try bytes("a", "transactions.csv"), try bytes("c", "transactions.csv"))
    }

    func testRowCountsIdsAndSchemas() throws {
        try generate("a")
        let entities = try read("a", "entities.csv")
        XCTAssertEqual(entities.rowCount, 500)
        XCTAssertEqual(entities.columnNames, ["entity_id", "name", "address", "email_addr", "phone_number", "ssn", "entity_type", "risk_score"])
        let tx = try read("a", "transactions.csv")
        XCTAssertEqual(tx.rowCount, 6_000)
        XCTAssertEqual(tx.columnNames, ["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts", "rptd_originator_address", "rptd_originator_name"])
        guard case let .int64(ids) = try tx.column("txn_id").data else { return XCTFail("txn_id type") }
        XCTAssertEqual(ids, Array(1...6_000))
        guard case let .int64(orig) = try tx.column("originator_id").data,
              case let .int64(bene) = try tx.column("beneficiary_id").data else { return XCTFail("id types") }
        XCTAssertTrue(orig.allSatisfy { (1...500).contains($0) })
        XCTAssertTrue(bene.allSatisfy { (1...500).contains($0) })
        XCTAssertTrue(zip(orig, bene).allSatisfy { $0 != $1 }, "no self-payments")
        XCTAssertEqual(try tx.column("txn_ts").type, .timestamp)
    }

    /// Every planted structuring pattern has the MISSION.md shape: chain hops under 10,000,
    /// time moving forward from source to collector to beneficiary, and an aggregate over
    /// the threshold reaching the collector.
    func testPlantedStructuringHasTheDocumentedShape() throws {
        try generate("a", entities: 2_000, transactions: 20_000)
        let tx = try read("a", "transactions.csv")
        let truth = try read("a", "truth_patterns.csv")
        let roles = try read("a", "truth_pattern_entities.csv")
        let txns = transactionsByID(tx)
        var patternTxns: [Int64: [Int64]] = [:]
        for r in 0..<truth.rowCount where truth.value(row: r, column: 1).stringValue == "structuring" {
            patternTxns[truth.value(row: r, column: 0).intValue!, default: []].append(truth.value(row: r, column: 2).intValue!)
        }
        var roleOf: [Int64: [Int64: String]] = [:]
        for r in 0..<roles.rowCount where roles.value(row: r, column: 1).stringValue == "structuring" {
            roleOf[roles.value(row: r, column: 0).intValue!, default: [:]][roles.value(row: r, column: 2).intValue!] = roles.value(row: r, column: 3).stringValue!
        }
        XCTAssertEqual(patternTxns.count, 10)
        for (pattern, ids) in patternTxns {
            let rows = ids.map { txns[$0]! }
            let role = roleOf[pattern]!
            let collector = role.first { $0.value == "collector" }!.key
            let forward = rows.filter { $0.from == collector }
            XCTAssertEqual(forward.count, 1)
            let intoCollector = rows.filter { $0.to == collector }
            XCTAssertGreaterThanOrEqual(intoCollector.count, 3)
            XCTAssertGreaterThan(intoCollector.map(\.amount).reduce(0, +), 10_000)
            for hop in rows where hop.from != collector {
                XCTAssertLessThan(hop.amount, 10_000)
                XCTAssertLessThan(hop.ts, forward[0].ts)
            }
            for second in intoCollector {
                let first = rows.filter { $0.to == second.from }
                XCTAssertEqual(first.count, 1)
                XCTAssertLessThan(first[0].ts, second.ts)
            }
        }
    }

    func testPlantedRoundTripsAreTimeOrderedCyclesOfFourDistinctEntities() throws {
        try generate("a", entities: 2_000, transactions: 20_000)
        let txns = transactionsByID(try read("a", "transactions.csv"))
        let truth = try read("a", "truth_patterns.csv")
        var patternTxns: [Int64: [Int64]] = [:]
        for r in 0..<truth.rowCount where truth.value(row: r, column: 1).stringValue == "roundtrip" {
            patternTxns[truth.value(row: r, column: 0).intValue!, default: []].append(truth.value(row: r, column: 2).intValue!)
        }
        XCTAssertEqual(patternTxns.count, 10)
        for ids in patternTxns.values {
            let hops = ids.map { txns[$0]! }.sorted { $0.ts < $1.ts }
            XCTAssertEqual(hops.count, 4)
            XCTAssertEqual(Set(hops.map(\.from)).count, 4)
            for i in 0..<4 { XCTAssertEqual(hops[i].to, hops[(i + 1) % 4].from) }
        }
    }

    /// Ring members share exactly the attribute values their truth row names, and nothing
    /// else is shared with another ring.
    func testRingMembersShareTheirTruthTypes() throws {
        try generate("a", entities: 2_000, transactions: 20_000)
        let e = try read("a", "entities.csv")
        let truth = try read("a", "truth_synthetic_identity.csv")
        var rowOf: [Int64: Int] = [:]
        for r in 0..<e.rowCount { rowOf[e.value(row: r, column: 0).intValue!] = r }
        var rings: [Int64: (members: [Int64], types: String)] = [:]
        for r in 0..<truth.rowCount {
            let ring = truth.value(row: r, column: 0).intValue!
            rings[ring, default: ([], truth.value(row: r, column: 2).stringValue!)].members.append(truth.value(row: r, column: 1).intValue!)
        }
        XCTAssertEqual(rings.count, 20)
        let columns = ["address": 2, "email": 3, "phone": 4, "ssn": 5]
        for (_, ring) in rings {
            let shared = Set(ring.types.split(separator: "|").map(String.init))
            for (type, col) in columns {
                let values = ring.members.map { e.value(row: rowOf[$0]!, column: col) }
                if shared.contains(type) {
                    XCTAssertEqual(Set(values).count, 1, "\(type) shared in ring")
                    XCTAssertFalse(values[0].isNull)
                } else {
                    let present = values.filter { !$0.isNull }
                    XCTAssertEqual(Set(present).count, present.count, "\(type) not shared in ring")
                }
            }
        }
    }

    func testDedupeRecordsCarryTheirOrganisationAndTheCanadaSquarePair() throws {
        try generate("a")
        let d = try read("a", "dedupe.csv")
        let truth = try read("a", "truth_dedupe.csv")
        XCTAssertEqual(d.rowCount, truth.rowCount)
        let addresses = (0..<d.rowCount).map { d.value(row: $0, column: 2).stringValue ?? "" }
        let full = addresses.firstIndex(of: "Canada Square, Canary Wharf, London, United Kingdom")
        let short = addresses.firstIndex(of: "Canada Square, Canary Wharf, London, UK")
        XCTAssertNotNil(full); XCTAssertNotNil(short)
        XCTAssertEqual(truth.value(row: full!, column: 1), truth.value(row: short!, column: 1))
    }

    func testTooSmallSizesAreClearErrors() {
        XCTAssertThrowsError(try DatasetGenerator(config: GeneratorConfig(entities: 10, transactions: 1000, seed: 1))) {
            XCTAssertTrue("\($0)".contains("--entities must be at least 100"))
        }
        XCTAssertThrowsError(try DatasetGenerator(config: GeneratorConfig(entities: 500, transactions: 20, seed: 1))) {
            XCTAssertTrue("\($0)".contains("--transactions must be at least"))
        }
    }

    func testIndexScatterIsABijection() {
        for n in [1, 7, 100, 1_000] {
            let s = IndexScatter(count: n, multiplier: 2_654_435_761, offset: 99)
            XCTAssertEqual(Set((0..<n).map { s($0) }).count, n)
        }
    }

    struct Txn { let from: Int64; let to: Int64; let amount: Double; let ts: Int64 }

    func transactionsByID(_ tx: Table) -> [Int64: Txn] {
        var out: [Int64: Txn] = [:]
        for r in 0..<tx.rowCount {
            guard case let .timestamp(ts) = tx.value(row: r, column: 4) else { continue }
            out[tx.value(row: r, column: 0).intValue!] = Txn(
                from: tx.value(row: r, column: 1).intValue!, to: tx.value(row: r, column: 2).intValue!,
                amount: tx.value(row: r, column: 3).doubleValue!, ts: ts)
        }
        return out
    }
}
