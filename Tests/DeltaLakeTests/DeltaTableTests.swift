import Columnar
@testable import DeltaLake
import Foundation
import XCTest

/// Table operations end to end on local directories (data files through the Parquet module).
final class DeltaTableTests: XCTestCase {
    func tempDir() -> String {
        let d = NSTemporaryDirectory() + "delta-table-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    func sample(_ ids: [Int64], region: [String?]? = nil) throws -> Table {
        var r = ColumnBuilder(type: .string)
        for (i, id) in ids.enumerated() {
            if let region { if let s = region[i] { r.append(string: s) } else { r.appendNull() } } else { r.append(string: "r\(id % 3)") }
        }
        var amt = ColumnBuilder(type: .double)
        for id in ids { if id % 5 == 4 { amt.appendNull() } else { amt.append(double: Double(id) * 1.5) } }
        return try Table([("id", .int64(ids)), ("region", r.finish()), ("amount", amt.finish()),
                          ("ts", .timestamp(ids.map { 1_700_000_000_000_000 + $0 * 1_000_001 }))])
    }

    func sorted(_ t: Table) throws -> [[Value]] {
        t.rows.sorted { ($0[0].intValue ?? -1) < ($1[0].intValue ?? -1) }
    }

    func testCreateAppendOverwriteAndTimeTravel() throws {
        let root = tempDir() + "/t"
        XCTAssertEqual(try DeltaTable.write(try sample([1, 2, 3]), to: root), 0)
        XCTAssertEqual(try DeltaTable.write(try sample([4, 5]), to: root), 1)
        var o = DeltaWriteOptions()
        o.mode = .overwrite
        XCTAssertEqual(try DeltaTable.write(try sample([9]), to: root, options: o), 2)
        XCTAssertEqual(try sorted(DeltaTable.read(root, version: 1)), try sorted(sample([1, 2, 3, 4, 5])))
        XCTAssertEqual(try sorted(DeltaTable.read(root)), try sorted(sample([9])))
        XCTAssertEqual(try DeltaTable.read(root, version: 0).rowCount, 3)
        let proj = try DeltaTable.read(root, version: 1, columns: ["amount", "id"])
        XCTAssertEqual(proj.columnNames, ["amount", "id"])
        o.mode = .errorIfExists
        XCTAssertThrowsError(try DeltaTable.write(try sample([1]), to: root, options: o))
        let h = try DeltaTable.history(root)
        XCTAssertEqual(h.map(\.operation), ["WRITE", "WRITE", "CREATE TABLE AS SELECT"])
        // Exact sizes in the log.
        let snap = try Snapshot.load(root)
        for f in snap.files { XCTAssertEqual(f.size, LogStore.fileSize(try TablePaths.resolve(f.path, root: root))) }
    }

    func testPartitionedWithNullsAndOddValuesAndSkipping() throws {
        let root = tempDir() + "/p"
        var o = DeltaWriteOptions()
        o.partitionBy = ["region"]
        let data = try sample([1, 2, 3, 4], region: ["a b", nil, "../x/y", "a b"])
        try DeltaTable.write(data, to: root, options: o)
        let snap = try Snapshot.load(root)
        XCTAssertEqual(snap.files.count, 3)
        XCTAssertTrue(snap.files.contains { $0.path.hasPrefix("region=__HIVE_DEFAULT_PARTITION__/") && $0.partitionValues["region"]! == nil })
        XCTAssertTrue(snap.files.contains { $0.path.hasPrefix("region=a%20b/") })
        for f in snap.files { XCTAssertTrue(try TablePaths.resolve(f.path, root: snap.root).hasPrefix(snap.root + "/region=")) }
        XCTAssertEqual(try sorted(DeltaTable.read(root)), try sorted(data))
        let filtered = try DeltaTable.read(root, filters: [DeltaFilter("region", .eq, .string("a b"))])
        XCTAssertEqual(filtered.rows.map { $0[0] }, [.int(1), .int(4)])
        XCTAssertEqual(try DeltaTable.candidateFiles(snap, filters: [DeltaFilter("region", .eq, .string("a b"))]).count, 1)
        XCTAssertEqual(try DeltaTable.candidateFiles(snap, filters: [DeltaFilter("id", .gt, .int(3))]).count, 1)
        XCTAssertEqual(try DeltaTable.read(root, filters: [DeltaFilter("id", .ge, .int(2)), DeltaFilter("id", .lt, .int(4))]).rowCount, 2)
    }

    func testSchemaEnforcementAndMergeSchema() throws {
        let root = tempDir() + "/s"
        try DeltaTable.write(try sample([1, 2]), to: root)
        let wrongType = try Table([("id", .string(["x"])), ("region", .string(["a"])), ("amount", .double([1])), ("ts", .timestamp([0]))])
        XCTAssertThrowsError(try DeltaTable.write(wrongType, to: root)) { e in XCTAssertTrue("\(e)".contains("schema mismatch"), "\(e)") }
        let extra = try sample([3]).adding("note", .string(["hi"]))
        XCTAssertThrowsError(try DeltaTable.write(extra, to: root)) { e in XCTAssertTrue("\(e)".contains("mergeSchema"), "\(e)") }
        var o = DeltaWriteOptions()
        o.mergeSchema = true
        try DeltaTable.write(extra, to: root, options: o)
        let t = try DeltaTable.read(root)
        XCTAssertEqual(t.columnNames, ["id", "region", "amount", "ts", "note"])
        let notes = try sorted(t).map { $0[4] }
        XCTAssertEqual(notes, [.null, .null, .string("hi")])
    }

    func testIdempotentTransactionLandsOnce() throws {
        let root = tempDir() + "/i"
        var o = DeltaWriteOptions()
        o.transaction = (appId: "ingest", version: 1)
        XCTAssertEqual(try DeltaTable.write(try sample([1, 2]), to: root, options: o), 0)
        XCTAssertNil(try DeltaTable.write(try sample([1, 2]), to: root, options: o))
        o.transaction = (appId: "ingest", version: 2)
        XCTAssertEqual(try DeltaTable.write(try sample([3]), to: root, options: o), 1)
        XCTAssertEqual(try DeltaTable.read(root).rowCount, 3)
        XCTAssertEqual(try Snapshot.load(root).appVersions["ingest"], 2)
    }

    func testMergeUpsertsByKey() throws {
        let root = tempDir() + "/m"
        var o = DeltaWriteOptions()
        o.maxRowsPerFile = 2
        try DeltaTable.write(try sample([1, 2, 3, 4, 5, 6]), to: root, options: o)
        let updates = try Table([("id", .int64([2, 7])), ("region", .string(["new", "new"])), ("amount", .double([0, 0])), ("ts", .timestamp([0, 0]))])
        let r = try DeltaTable.merge(updates, into: root, on: ["id"])
        XCTAssertEqual(r.rowsUpdated, 1)
        XCTAssertEqual(r.rowsInserted, 1)
        XCTAssertEqual(r.filesRewritten, 1, "only the file holding id 2 is rewritten")
        let t = try sorted(DeltaTable.read(root))
        XCTAssertEqual(t.map { $0[0] }, (1...7).map { .int(Int64($0)) })
        XCTAssertEqual(t[1][1], .string("new"))
        XCTAssertEqual(t[0][1], .string("r1"))
        // Re-running the same merge changes nothing but the version.
        _ = try DeltaTable.merge(updates, into: root, on: ["id"])
        XCTAssertEqual(try sorted(DeltaTable.read(root)), t)
        let dup = try Table([("id", .int64([1, 1])), ("region", .string(["a", "b"])), ("amount", .double([0, 0])), ("ts", .timestamp([0, 0]))])
        XCTAssertThrowsError(try DeltaTable.merge(dup, into: root, on: ["id"]))
    }

    func testCheckpointEveryTenCommitsIsReadBack() throws {
        let root = tempDir() + "/c"
        for i in 0..<12 { try DeltaTable.write(try sample([Int64(i)]), to: root) }
        let store = LogStore(root: root)
        XCTAssertNotNil(LogStore.fileSize(store.checkpointPath(10)))
        XCTAssertEqual(store.readLastCheckpoint(), 10)
        let viaCheckpoint = try CheckpointReader.readActions(path: store.checkpointPath(10))
        XCTAssertEqual(viaCheckpoint.filter { if case .add = $0 { return true }; return false }.count, 11)
        // Delete the JSON commits the checkpoint covers: the table must still read fully.
        for v in 0...9 { try FileManager.default.removeItem(atPath: store.commitPath(Int64(v))) }
        XCTAssertEqual(try sorted(DeltaTable.read(root)), try sorted(sample((0..<12).map(Int64.init))))
        XCTAssertEqual(try DeltaTable.read(root, version: 10).rowCount, 11)
        XCTAssertThrowsError(try DeltaTable.read(root, version: 5))
    }

    func testConcurrentBlindAppendsRetryAndOverwriteConflicts() throws {
        let root = tempDir() + "/cc"
        try DeltaTable.write(try sample([1]), to: root)
        let snap = try Snapshot.load(root)
        // A blind append computed against version 0 while another writer commits version 1.
        var tx = DeltaTransaction(store: LogStore(root: root), readVersion: 0, isBlindAppend: true)
        tx.actions = try DeltaTable.writeDataFiles(try sample([2]), root: snap.root, partitionColumns: [], options: DeltaWriteOptions())
            .map { .add($0) }
        try DeltaTable.write(try sample([3]), to: root)
        XCTAssertEqual(try tx.commit(operation: "WRITE"), 2)
        XCTAssertEqual(try DeltaTable.read(root).rowCount, 3)
        // An overwrite computed against version 2 loses to an append: it must fail.
        let s2 = try Snapshot.load(root)
        var over = DeltaTransaction(store: LogStore(root: root), readVersion: 2, isBlindAppend: false)
        over.readWholeTable = true
        over.actions = s2.files.map { .remove(RemoveAction(path: $0.path, deletionTimestamp: 0, dataChange: true)) }
        for f in s2.files { over.readFiles.insert(f.path) }
        try DeltaTable.write(try sample([4]), to: root)
        XCTAssertThrowsError(try over.commit(operation: "WRITE")) { e in XCTAssertTrue("\(e)".contains("concurrent modification"), "\(e)") }
        // A concurrent metadata change fails a blind append too.
        var late = DeltaTransaction(store: LogStore(root: root), readVersion: 3, isBlindAppend: true)
        late.actions = []
        var o = DeltaWriteOptions()
        o.mergeSchema = true
        try DeltaTable.write(try sample([5]).adding("x", .int64([1])), to: root, options: o)
        XCTAssertThrowsError(try late.commit(operation: "WRITE")) { e in XCTAssertTrue("\(e)".contains("metadata"), "\(e)") }
    }

    func testVacuumRespectsRetention() throws {
        let root = tempDir() + "/v"
        try DeltaTable.write(try sample([1]), to: root)
        var o = DeltaWriteOptions()
        o.mode = .overwrite
        try DeltaTable.write(try sample([2]), to: root, options: o)
        FileManager.default.createFile(atPath: root + "/orphan.parquet", contents: Data([1]))
        XCTAssertThrowsError(try DeltaTable.vacuum(root, retentionHours: 1))
        XCTAssertTrue(try DeltaTable.vacuum(root).files.isEmpty, "nothing is older than 7 days")
        let future = Date().addingTimeInterval(8 * 86400)
        let dry = try DeltaTable.vacuum(root, dryRun: true, now: future)
        XCTAssertEqual(dry.files.count, 2)
        XCTAssertEqual(try DeltaTable.vacuum(root, now: future).files.count, 2)
        XCTAssertEqual(try sorted(DeltaTable.read(root)), try sorted(sample([2])))
        XCTAssertThrowsError(try DeltaTable.read(root, version: 0), "time travel past vacuum fails loudly")
    }

    func testEscapingAddPathIsRejectedOnRead() throws {
        let root = tempDir() + "/e"
        try DeltaTable.write(try sample([1]), to: root)
        let evil = DeltaAction.add(AddAction(path: "../../etc/passwd", partitionValues: [:], size: 1, modificationTime: 0, dataChange: true, stats: nil))
        XCTAssertTrue(try LogStore(root: root).putIfAbsent(version: 1, bytes: LogStore.serialize([evil])))
        XCTAssertThrowsError(try DeltaTable.read(root)) { e in XCTAssertTrue("\(e)".contains("unsafe path"), "\(e)") }
    }
}
