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
