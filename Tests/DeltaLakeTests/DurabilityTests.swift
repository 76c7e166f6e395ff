import Columnar
@testable import DeltaLake
import Foundation
import XCTest

/// Log parsing and landing details that decide whether a valid table reads.
final class DurabilityTests: XCTestCase {
    func testCRLFTerminatedCommitLinesParse() throws {
        let text = "{\"commitInfo\":{\"operation\":\"WRITE\"}}\r\n{\"txn\":{\"appId\":\"a\",\"version\":3}}\r\n"
        let actions = try LogStore.parseActions(data: Data(text.utf8), file: "00000000000000000000.json")
        XCTAssertEqual(actions.count, 2)
        XCTAssertEqual(actions[1], .txn(TxnAction(appId: "a", version: 3)))
    }

    func testMultipartCheckpointWithoutLaterCommitsReads() throws {
        let root = NSTemporaryDirectory() + "durability-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        for i in 0..<3 { try DeltaTable.write(try Table([("id", .int64([Int64(i)]))]), to: root) }
        try DeltaTable.checkpoint(root)
        let store = LogStore(root: root)
        // Re-label the checkpoint as part 1 of 1 and drop everything else, as log cleanup may.
        let part = store.logDirectory + "/" + LogStore.padded(2) + ".checkpoint.0000000001.0000000001.parquet"
        try FileManager.default.moveItem(atPath: store.checkpointPath(2), toPath: part)
        for v in 0...2 { try FileManager.default.removeItem(atPath: store.commitPath(Int64(v))) }
        try? FileManager.default.removeItem(atPath: store.logDirectory + "/_last_checkpoint")
        let snapshot = try Snapshot.load(root)
        XCTAssertEqual(snapshot.version, 2)
        XCTAssertEqual(try DeltaTable.read(root).column("id").count, 3)
    }
}

extension DurabilityTests {
    func testCheckpointsExpireTombstonesPastTheRetention() throws {
        let root = NSTemporaryDirectory() + "tombstones-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        try DeltaTable.write(try Table([("id", .int64([1]))]), to: root)
        let store = LogStore(root: root)
        let day: Int64 = 86_400_000
        let now = DeltaTransaction.nowMillis()
        let old = RemoveAction(path: "gone-long-ago.parquet", deletionTimestamp: now - 8 * day, dataChange: true)
        let recent = RemoveAction(path: "gone-yesterday.parquet", deletionTimestamp: now - day, dataChange: true)
        XCTAssertTrue(try store.putIfAbsent(version: 1, bytes: LogStore.serialize([.remove(old), .remove(recent)])))
        try DeltaTable.checkpoint(root)
        let kept = try CheckpointReader.readActions(path: store.checkpointPath(1)).compactMap { a -> String? in
            if case let .remove(r) = a { return r.path }; return nil
        }
        XCTAssertEqual(kept, ["gone-yesterday.parquet"])
        XCTAssertEqual(CheckpointWriter.retentionMillis(["delta.deletedFileRetentionDuration": "interval 2 hours"]), 2 * 3_600_000)
        XCTAssertNil(CheckpointWriter.retentionMillis(["delta.deletedFileRetentionDuration": "soon"]))
    }
}

extension DurabilityTests {
    func testPutIfAbsentFallbackWithoutHardLinksIsExclusiveAndNeverPartial() throws {
        let root = NSTemporaryDirectory() + "nolinks-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        var store = LogStore(root: root)
        store.useHardLinks = false
        let first = LogStore.serialize([.txn(TxnAction(appId: "a", version: 1))])
        XCTAssertTrue(try store.putIfAbsent(version: 0, bytes: first))
        XCTAssertFalse(try store.putIfAbsent(version: 0, bytes: LogStore.serialize([.txn(TxnAction(appId: "b", version: 2))])))
        XCTAssertEqual(try store.readCommit(0), [.txn(TxnAction(appId: "a", version: 1))])
        // Only the commit and its claim remain: no temp file is left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: store.logDirectory).sorted()
        XCTAssertEqual(names, [".00000000000000000000.json.lock", "00000000000000000000.json"])
    }
}
