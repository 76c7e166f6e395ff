import Columnar
@testable import DeltaLake
import Foundation
import XCTest

/// The log layer on its own: JSON, actions, schema strings, paths, stats, put-if-absent and
/// replay over hand-written logs (no data files needed).
final class DeltaLogTests: XCTestCase {
    func tempDir() -> String {
        let d = NSTemporaryDirectory() + "delta-log-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    func testJSONRoundTripKeepsIntegersAndEscapes() throws {
        let text = #"{"a":9007199254740993,"b":-1.5e3,"c":"x\"y\\z\n\u00e9\ud83d\ude00","d":[true,false,null],"e":{}}"#
        let v = try JSONValue.parse(text, context: "t")
        XCTAssertEqual(v["a"]?.int64Value, 9_007_199_254_740_993)
        XCTAssertEqual(v["b"]?.doubleValue, -1500)
        XCTAssertEqual(v["c"]?.stringValue, "x\"y\\z\né😀")
        XCTAssertEqual(try JSONValue.parse(v.serialized, context: "t"), v)
        XCTAssertThrowsError(try JSONValue.parse("{\"a\":1,}", context: "f.json:3")) { e in
            XCTAssertTrue("\(e)".contains("f.json:3"))
        }
        XCTAssertThrowsError(try JSONValue.parse(String(repeating: "[", count: 1000), context: "deep"))
    }

    func testActionsRoundTrip() throws {
        let actions: [DeltaAction] = [
            .protocol(ProtocolAction()),
            .metadata(MetadataAction(id: "id-1", schemaString: DeltaSchema.schemaString(Schema([Field("a", .int64), Field("p", .string)])),
                                     partitionColumns: ["p"], configuration: ["k": "v"], createdTime: 5)),
            .add(AddAction(path: "p=x%20y/part-0.parquet", partitionValues: ["p": "x y"], size: 123, modificationTime: 7, dataChange: true, stats: "{\"numRecords\":1}")),
            .add(AddAction(path: "p=__HIVE_DEFAULT_PARTITION__/f.parquet", partitionValues: ["p": nil], size: 1, modificationTime: 7, dataChange: true, stats: nil)),
            .remove(RemoveAction(path: "old.parquet", deletionTimestamp: 9, dataChange: true, extendedFileMetadata: true, partitionValues: [:], size: 3)),
            .txn(TxnAction(appId: "app", version: 4, lastUpdated: 1)),
        ]
        let bytes = LogStore.serialize(actions)
        let back = try LogStore.parseActions(data: Data(bytes), file: "x")
        XCTAssertEqual(back, actions)
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains(#""partitionValues":{"p":null}"#))
    }

    func testSchemaStringRoundTripAndSparkNames() throws {
        let schema = Schema([Field("b", .bool), Field("i", .int32), Field("l", .int64), Field("f", .float), Field("d", .double),
                             Field("s", .string), Field("bin", .binary), Field("dt", .date), Field("ts", .timestamp),
                             Field("dec", .decimal(precision: 10, scale: 2))])
        let text = DeltaSchema.schemaString(schema)
        XCTAssertTrue(text.contains(#""type":"long""#) && text.contains(#""type":"decimal(10,2)""#))
        let parsed = try DeltaSchema.columnarSchema(DeltaSchema.parse(text, context: "t"), strict: true)
        XCTAssertEqual(parsed.fields.map(\.type), schema.fields.map(\.type))
        let nested = #"{"type":"struct","fields":[{"name":"a","type":{"type":"struct","fields":[]},"nullable":true,"metadata":{}}]}"#
        XCTAssertThrowsError(try DeltaSchema.columnarSchema(DeltaSchema.parse(nested, context: "t"), strict: true))
    }

    func testPathsNeverEscapeTheRoot() throws {
        let root = "/data/table"
        XCTAssertEqual(try TablePaths.resolve("a%20b/c.parquet", root: root), "/data/table/a b/c.parquet")
        XCTAssertThrowsError(try TablePaths.resolve("../x.parquet", root: root))
        XCTAssertThrowsError(try TablePaths.resolve("p=1/../../x.parquet", root: root))
        XCTAssertThrowsError(try TablePaths.resolve("%2E%2E/x.parquet", root: root))
        XCTAssertThrowsError(try TablePaths.resolve("/etc/passwd", root: root))
        XCTAssertThrowsError(try TablePaths.resolve("file:///etc/passwd", root: root))
        XCTAssertThrowsError(try TablePaths.resolve("s3://bucket/x.parquet", root: root))
        XCTAssertEqual(try TablePaths.resolve("/data/table/p=1/x.parquet", root: root), "/data/table/p=1/x.parquet")
        XCTAssertEqual(TablePaths.partitionSegment("p", "../a/b"), "p=..%2Fa%2Fb")
        XCTAssertEqual(TablePaths.partitionSegment("p", ".."), "p=%2E%2E")
        XCTAssertEqual(TablePaths.partitionSegment("p", nil), "p=__HIVE_DEFAULT_PARTITION__")
        XCTAssertEqual(TablePaths.uriEncode("p=a b%/x.parquet"), "p=a%20b%25/x.parquet")
    }

    func testStatsComputeAndParse() throws {
        var ts = ColumnBuilder(type: .timestamp)
        ts.append(int: 1_500_123)
        ts.appendNull()
        ts.append(int: 2_000_999)
        let t = try Table([("x", .int64([3, 1, 2])), ("s", .string(["b", "a", "c"])), ("ts", ts.finish())])
        let s = FileStats.compute(t)
        XCTAssertEqual(s.numRecords, 3)
        XCTAssertEqual(s.minValues["x"], .int(1))
        XCTAssertEqual(s.maxValues["s"], .string("c"))
        XCTAssertEqual(s.nullCount["ts"], 1)
        // Timestamps are rounded outward to milliseconds.
        XCTAssertEqual(s.minValues["ts"], .timestamp(1_500_000))
        XCTAssertEqual(s.maxValues["ts"], .timestamp(2_001_000))
        let back = FileStats.parse(s.json, types: ["x": .int64, "s": .string, "ts": .timestamp], context: "t")
        XCTAssertEqual(back, s)
    }

    func testPutIfAbsentIsExclusive() throws {
        let store = LogStore(root: tempDir())
        XCTAssertTrue(try store.putIfAbsent(version: 0, bytes: Array("a\n".utf8)))
        XCTAssertFalse(try store.putIfAbsent(version: 0, bytes: Array("b\n".utf8)))
        XCTAssertEqual(String(decoding: FileManager.default.contents(atPath: store.commitPath(0))!, as: UTF8.self), "a\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: store.logDirectory)
        XCTAssertEqual(names, ["00000000000000000000.json"], "temp files are cleaned up")
    }

    func writeLog(_ root: String, _ version: Int64, _ actions: [DeltaAction]) throws {
        XCTAssertTrue(try LogStore(root: root).putIfAbsent(version: version, bytes: LogStore.serialize(actions)))
    }

    func testReplayNewestActionWinsAndTimeTravel() throws {
        let root = tempDir()
        let schema = DeltaSchema.schemaString(Schema([Field("a", .int64)]))
        func add(_ p: String) -> DeltaAction { .add(AddAction(path: p, partitionValues: [:], size: 1, modificationTime: 0, dataChange: true, stats: nil)) }
        func info(_ t: Int64) -> DeltaAction { .commitInfo(.object([("timestamp", .int(t)), ("operation", .string("WRITE"))])) }
        try writeLog(root, 0, [info(1000), .protocol(ProtocolAction()), .metadata(MetadataAction(id: "x", schemaString: schema, partitionColumns: [], createdTime: 0)), add("a.parquet")])
        try writeLog(root, 1, [info(2000), add("b.parquet"), .txn(TxnAction(appId: "job", version: 1))])
        try writeLog(root, 2, [info(3000), .remove(RemoveAction(path: "a.parquet", deletionTimestamp: 3000, dataChange: true)), add("c.parquet"), .txn(TxnAction(appId: "job", version: 2))])
        try writeLog(root, 3, [info(4000), add("a.parquet")])
        // A commit's time is its file's modification time (no in-commit timestamps here).
        for v in 0...3 {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(v + 1))], ofItemAtPath: LogStore(root: root).commitPath(Int64(v)))
        }
        let s2 = try Snapshot.load(root, version: 2)
        XCTAssertEqual(s2.files.map(\.path), ["b.parquet", "c.parquet"])
        XCTAssertEqual(s2.tombstones.map(\.path), ["a.parquet"])
        XCTAssertEqual(s2.appVersions["job"], 2)
        let s3 = try Snapshot.load(root)
        XCTAssertEqual(s3.version, 3)
        XCTAssertEqual(s3.files.map(\.path), ["b.parquet", "c.parquet", "a.parquet"])
        XCTAssertTrue(s3.tombstones.isEmpty)
        XCTAssertEqual(try Snapshot.load(root, timestamp: 2500).version, 1)
        XCTAssertEqual(try Snapshot.load(root, timestamp: 4000).version, 3)
        XCTAssertThrowsError(try Snapshot.load(root, timestamp: 999))
        XCTAssertThrowsError(try Snapshot.load(root, version: 9))
        let h = try DeltaTable.history(root)
        XCTAssertEqual(h.map(\.version), [3, 2, 1, 0])
        XCTAssertEqual(h.first?.timestamp, 4000)
    }

    func testUnsupportedFeaturesAreRefused() throws {
        let root = tempDir()
        let schema = DeltaSchema.schemaString(Schema([Field("a", .int64)]))
        try writeLog(root, 0, [.protocol(ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["variantShredding"], writerFeatures: ["variantShredding"])),
                               .metadata(MetadataAction(id: "x", schemaString: schema, partitionColumns: [], createdTime: 0))])
        XCTAssertThrowsError(try Snapshot.load(root)) { e in XCTAssertTrue("\(e)".contains("variantShredding"), "\(e)") }
        // Deletion vectors are read, but such tables are not written.
        let dv = tempDir()
        try writeLog(dv, 0, [.protocol(ProtocolAction(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors"], writerFeatures: ["deletionVectors"])),
                             .metadata(MetadataAction(id: "x", schemaString: schema, partitionColumns: [], createdTime: 0))])
        let s = try Snapshot.load(dv)
        XCTAssertThrowsError(try ProtocolSupport.checkWritable(s.protocolAction, s.metadata, root: dv)) { e in XCTAssertTrue("\(e)".contains("deletionVectors"), "\(e)") }
        // Column mapping without physical names in the schema is a corrupt table, not a guess.
        let root2 = tempDir()
        try writeLog(root2, 0, [.protocol(ProtocolAction(minReaderVersion: 2, minWriterVersion: 5)),
                                .metadata(MetadataAction(id: "x", schemaString: schema, partitionColumns: [], configuration: ["delta.columnMapping.mode": "name"], createdTime: 0))])
        let s2 = try Snapshot.load(root2)
        XCTAssertThrowsError(try s2.columnMapping()) { e in XCTAssertTrue("\(e)".contains("physicalName"), "\(e)") }
        XCTAssertThrowsError(try ProtocolSupport.checkWritable(s2.protocolAction, s2.metadata, root: root2)) { e in XCTAssertTrue("\(e)".contains("column mapping"), "\(e)") }
    }

    func testGapInLogIsReported() throws {
        let root = tempDir()
        let schema = DeltaSchema.schemaString(Schema([Field("a", .int64)]))
        try writeLog(root, 0, [.protocol(ProtocolAction()), .metadata(MetadataAction(id: "x", schemaString: schema, partitionColumns: [], createdTime: 0))])
        try writeLog(root, 2, [.commitInfo(.object([]))])
        XCTAssertThrowsError(try Snapshot.load(root)) { e in XCTAssertTrue("\(e)".contains("missing"), "\(e)") }
    }
}
