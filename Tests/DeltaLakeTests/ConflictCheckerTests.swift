import Columnar
@testable import DeltaLake
import Foundation
import XCTest

/// Conflict detection as a pure function of literal actions (no disk), and its use by merge.
final class ConflictCheckerTests: XCTestCase {
    func add(_ path: String, min: Int64, max: Int64, blind: Bool = false) -> AddAction {
        AddAction(path: path, partitionValues: [:], size: 10, modificationTime: 0, dataChange: true,
                  stats: "{\"numRecords\":3,\"minValues\":{\"id\":\(min)},\"maxValues\":{\"id\":\(max)},\"nullCount\":{\"id\":0}}")
    }

    func mergeFootprint(_ lo: Int64, _ hi: Int64, files: Set<String> = []) -> ReadFootprint {
        var r = ReadFootprint()
        r.predicates = [[DeltaFilter("id", .ge, .int(lo)), DeltaFilter("id", .le, .int(hi))]]
        r.columnTypes = ["id": .int64]
        r.files = files
        return r
    }

    func info(blind: Bool) -> DeltaAction { .commitInfo(.object([("isBlindAppend", .bool(blind))])) }

    func testAddedFilesConflictOnlyWhenTheyMayHoldKeysThatWereRead() {
        let read = mergeFootprint(100, 200)
        let overlapping = [info(blind: false), DeltaAction.add(add("a.parquet", min: 150, max: 400))]
        XCTAssertEqual(ConflictChecker.check(ours: [], read: read, isolation: .serializable, winner: overlapping, winnerVersion: 1)?.kind,
                       .concurrentAppend(path: "a.parquet"))
        let disjoint = [info(blind: false), DeltaAction.add(add("b.parquet", min: 201, max: 400))]
        XCTAssertNil(ConflictChecker.check(ours: [], read: read, isolation: .serializable, winner: disjoint, winnerVersion: 1))
        // Without stats nothing proves the file irrelevant.
        var bare = add("c.parquet", min: 0, max: 0)
        bare.stats = nil
        XCTAssertNotNil(ConflictChecker.check(ours: [], read: read, isolation: .serializable, winner: [.add(bare)], winnerVersion: 1))
        // A transaction that read nothing (blind append) never conflicts with adds.
        XCTAssertNil(ConflictChecker.check(ours: [], read: ReadFootprint(), isolation: .serializable, winner: overlapping, winnerVersion: 1))
    }

    func testWriteSerializableLetsBlindAppendsThroughButNotMerges() {
        let read = mergeFootprint(100, 200)
        let blind = [info(blind: true), DeltaAction.add(add("a.parquet", min: 150, max: 160))]
        XCTAssertNil(ConflictChecker.check(ours: [], read: read, isolation: .writeSerializable, winner: blind, winnerVersion: 1))
        XCTAssertNotNil(ConflictChecker.check(ours: [], read: read, isolation: .serializable, winner: blind, winnerVersion: 1))
        let merge = [info(blind: false), DeltaAction.add(add("a.parquet", min: 150, max: 160))]
        XCTAssertNotNil(ConflictChecker.check(ours: [], read: read, isolation: .writeSerializable, winner: merge, winnerVersion: 1))
    }

    func testRemovesProtocolMetadataAndTransactions() {
        let read = mergeFootprint(0, 10, files: ["x y.parquet"])
        let rm = DeltaAction.remove(RemoveAction(path: "x%20y.parquet", deletionTimestamp: 1, dataChange: true))
        XCTAssertEqual(ConflictChecker.check(ours: [], read: read, isolation: .writeSerializable, winner: [rm], winnerVersion: 4)?.kind,
                       .concurrentDeleteRead(path: "x%20y.parquet"))
        let ours = [DeltaAction.remove(RemoveAction(path: "z.parquet", deletionTimestamp: 1, dataChange: true))]
        let rmZ = DeltaAction.remove(RemoveAction(path: "z.parquet", deletionTimestamp: 2, dataChange: false))
        XCTAssertEqual(ConflictChecker.check(ours: ours, read: ReadFootprint(), isolation: .serializable, winner: [rmZ], winnerVersion: 2)?.kind,
                       .concurrentDeleteDelete(path: "z.parquet"))
        let md = DeltaAction.metadata(MetadataAction(id: "i", schemaString: "{}", partitionColumns: [], createdTime: nil))
        XCTAssertEqual(ConflictChecker.check(ours: [], read: ReadFootprint(), isolation: .serializable, winner: [md], winnerVersion: 3)?.kind, .metadataChanged)
        XCTAssertEqual(ConflictChecker.check(ours: [], read: ReadFootprint(), isolation: .serializable, winner: [.protocol(ProtocolAction())], winnerVersion: 3)?.kind, .protocolChanged)
        let txn = DeltaAction.txn(TxnAction(appId: "ingest", version: 7))
        XCTAssertEqual(ConflictChecker.check(ours: [txn], read: ReadFootprint(), isolation: .serializable, winner: [txn], winnerVersion: 3)?.kind,
                       .concurrentTransaction(appId: "ingest"))
        // Overwrite reads the whole table: any removal with dataChange conflicts.
        var whole = ReadFootprint()
        whole.wholeTable = true
        XCTAssertNotNil(ConflictChecker.check(ours: [], read: whole, isolation: .serializable, winner: [rmZ, rm], winnerVersion: 3))
    }

    func testPartitionPredicatesDecideByPartitionValues() {
        var read = ReadFootprint()
        read.predicates = [[DeltaFilter("region", .eq, .string("EU"))]]
        read.columnTypes = ["region": .string]
        read.partitionColumns = ["region"]
        var us = add("region=US/a.parquet", min: 0, max: 1)
        us.partitionValues = ["region": "US"]
        var eu = us
        eu.path = "region=EU/b.parquet"
        eu.partitionValues = ["region": "EU"]
        XCTAssertNil(ConflictChecker.check(ours: [], read: read, isolation: .serializable, winner: [.add(us)], winnerVersion: 1))
        XCTAssertNotNil(ConflictChecker.check(ours: [], read: read, isolation: .serializable, winner: [.add(eu)], winnerVersion: 1))
    }
}
