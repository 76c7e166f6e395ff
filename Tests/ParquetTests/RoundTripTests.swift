import Columnar
@testable import Parquet
import XCTest

final class RoundTripTests: XCTestCase {
    func testAllTypesEveryCodecWithAndWithoutDictionary() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try sampleTable(rows: 2500)
        for codec in [CompressionCodec.zstd, .snappy, .gzip, .uncompressed, .lz4Raw] {
            for dictionary in [true, false] {
                var options = ParquetWriteOptions()
                options.codec = codec
                options.dictionary = dictionary
                options.rowGroupSize = 1000
                let path = "\(dir)/t-\(codec)-\(dictionary).parquet"
                let info = try ParquetWriter.write(table, to: path, options: options)
                XCTAssertEqual(info.numRows, 2500)
                XCTAssertEqual(info.rowGroups, 3)
                XCTAssertEqual(info.size, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
                let reader = try ParquetReader(path: path)
                XCTAssertEqual(reader.fileSize, info.size)
                let back = try reader.readTable()
                XCTAssertNil(firstDifference(back, table), "\(codec) dictionary=\(dictionary)")
            }
        }
    }

    func testStreamingBatchesAcrossRowGroups() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try sampleTable(rows: 1000)
        var options = ParquetWriteOptions()
        options.rowGroupSize = 300
        let writer = try ParquetWriter(path: "\(dir)/s.parquet", schema: table.schema, options: options)
        for start in stride(from: 0, to: 1000, by: 170) {
            try writer.write(table.slice(start..<min(1000, start + 170)))
        }
        let info = try writer.close()
        XCTAssertEqual(info.rowGroups, 4)
        let reader = try ParquetReader(path: "\(dir)/s.parquet")
        XCTAssertEqual(reader.metadata.rowGroups.map(\.numRows), [300, 300, 300, 100])
        XCTAssertNil(firstDifference(try reader.readTable(), table))
    }

    func testStatisticsAndPredicateSkipping() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ids = (0..<10_000).map { Int64($0) }
        let table = try Table([("k", .int64(ids)), ("s", .string(ids.map { "x\($0)" }))])
        var options = ParquetWriteOptions()
        options.rowGroupSize = 1000
        let info = try ParquetWriter.write(table, to: "\(dir)/k.parquet", options: options)
        XCTAssertEqual(info.statistics["k"]?.min, .int(0))
        XCTAssertEqual(info.statistics["k"]?.max, .int(9999))
        XCTAssertEqual(info.statistics["k"]?.nullCount, 0)
        XCTAssertEqual(info.statistics["s"]?.min, .string("x0"))
        XCTAssertEqual(info.statistics["s"]?.max, .string("x9999"))
        let reader = try ParquetReader(path: "\(dir)/k.parquet")
        XCTAssertEqual(reader.statistics(rowGroup: 2)["k"]?.min, .int(2000))
        XCTAssertEqual(reader.statistics(rowGroup: 2)["k"]?.max, .int(2999))
        XCTAssertEqual(reader.rowGroups(matching: [ParquetPredicate("k", .ge, .int(8500))]), [8, 9])
        XCTAssertEqual(reader.rowGroups(matching: [ParquetPredicate("k", .eq, .int(4321))]), [4])
        XCTAssertEqual(reader.rowGroups(matching: [ParquetPredicate("k", .lt, .int(0))]), [])
        let part = try reader.readTable(columns: ["k"], where: [ParquetPredicate("k", .gt, .int(8999))])
        XCTAssertEqual(part.columnNames, ["k"])
        XCTAssertEqual(part.rowCount, 1000)
        XCTAssertEqual(part.value(row: 0, column: 0), .int(9000))
    }

    func testNullsOnlyAndEmptyFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let nulls = try Column(type: .string, values: Array(repeating: .null, count: 5000))
        let table = try Table([("n", nulls), ("i", .int64(Array(repeating: 7, count: 5000)))])
        try ParquetWriter.write(table, to: "\(dir)/n.parquet")
        XCTAssertNil(firstDifference(try ParquetReader(path: "\(dir)/n.parquet").readTable(), table))
        let empty = try ParquetWriter(path: "\(dir)/e.parquet", schema: Schema([Field("a", .int64)]))
        try empty.close()
        let r = try ParquetReader(path: "\(dir)/e.parquet")
        XCTAssertEqual(r.numRows, 0)
        XCTAssertEqual(try r.schema(), Schema([Field("a", .int64)]))
    }

    /// Delta checkpoint-shaped rows: struct actions with a string map, a list and nulls.
    func testNestedCheckpointRowsRoundTrip() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let addType = NestedType.structure([
            NestedField("path", .string, nullable: false),
            NestedField("partitionValues", .map(key: .string, value: NestedField("value", .string))),
            NestedField("size", .int64),
            NestedField("dataChange", .bool),
            NestedField("stats", .string),
        ])
        let metaType = NestedType.structure([
            NestedField("id", .string),
            NestedField("format", .structure([NestedField("provider", .string), NestedField("options", .map(key: .string, value: NestedField("value", .string)))])),
            NestedField("partitionColumns", .list(NestedField("element", .string))),
            NestedField("configuration", .map(key: .string, value: NestedField("value", .string))),
        ])
        let protocolType = NestedType.structure([NestedField("minReaderVersion", .int32), NestedField("minWriterVersion", .int32)])
        let txnType = NestedType.structure([NestedField("appId", .string), NestedField("version", .int64)])
        let fields = [NestedField("add", addType), NestedField("metaData", metaType),
                      NestedField("protocol", protocolType), NestedField("txn", txnType)]
        var rows: [[NestedValue]] = [
            [.null, .structure([.string("abc"), .structure([.string("parquet"), .map([])]),
                                .list([.string("date"), .string("region")]), .stringMap([("k", "v"), ("n", nil)])]), .null, .null],
            [.null, .null, .structure([.primitive(.int(1)), .primitive(.int(2))]), .null],
            [.null, .null, .null, .structure([.string("app"), .int(3)])],
        ]
        for i in 0..<40 {
            rows.append([.structure([.string("date=2024-01-0\(i % 9 + 1)/part-\(i).parquet"),
                                     .stringMap([("date", "2024-01-0\(i % 9 + 1)"), ("region", i % 3 == 0 ? nil : "eu")]),
                                     .int(Int64(1000 + i)), .bool(true), i % 4 == 0 ? .null : .string("{\"numRecords\":\(i)}")]),
                         .null, .null, .null])
        }
        let writer = try ParquetWriter(path: "\(dir)/c.parquet", fields: fields)
        try writer.write(rows: rows)
        try writer.close()
        let reader = try ParquetReader(path: "\(dir)/c.parquet")
        XCTAssertEqual(try reader.nestedFields().map(\.type), fields.map(\.type))
        let back = try reader.readRows()
        XCTAssertEqual(back.count, rows.count)
        for (i, (a, b)) in zip(back, rows).enumerated() { XCTAssertEqual(a, b, "row \(i)") }
        XCTAssertEqual(try reader.readRows(columns: ["txn"])[2], [.structure([.string("app"), .int(3)])])
        // Struct-only leaves flatten to dotted columns.
        let flat = try reader.readTable(columns: ["protocol", "txn.appId"])
        XCTAssertEqual(flat.columnNames, ["protocol.minReaderVersion", "protocol.minWriterVersion", "txn.appId"])
        XCTAssertEqual(flat.value(row: 1, column: 1), .int(2))
        XCTAssertThrowsError(try reader.readTable(columns: ["add"]))
        let json = try reader.readTable(columns: ["metaData"], nestedAsJSON: true)
        XCTAssertEqual(json.value(row: 0, column: 0),
                       .string(#"{"id":"abc","format":{"provider":"parquet","options":{}},"partitionColumns":["date","region"],"configuration":{"k":"v","n":null}}"#))
    }

    func testBatchSchemaMismatchIsRejected() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try ParquetWriter(path: "\(dir)/m.parquet", schema: Schema([Field("a", .int64)]))
        XCTAssertThrowsError(try writer.write(try Table([("a", .string(["x"]))])))
        XCTAssertThrowsError(try writer.write(try Table([("b", .int64([1]))])))
        writer.abort()
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir)/m.parquet"))
    }
}

final class DictionaryFallbackTests: XCTestCase {
    func testLargeDictionaryFallsBackToPlain() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let unique = (0..<50_000).map { Int64($0) * 7919 }
        let few = (0..<50_000).map { "c\($0 % 5)" }
        let table = try Table([("u", .int64(unique)), ("f", .string(few))])
        var options = ParquetWriteOptions()
        options.dictionaryPageSizeLimit = 64 << 10
        try ParquetWriter.write(table, to: "\(dir)/d.parquet", options: options)
        let reader = try ParquetReader(path: "\(dir)/d.parquet")
        let columns = reader.metadata.rowGroups[0].columns.map { $0.metaData! }
        XCTAssertFalse(columns[0].encodings.contains(Encoding.rleDictionary.rawValue))
        XCTAssertNil(columns[0].dictionaryPageOffset)
        XCTAssertTrue(columns[1].encodings.contains(Encoding.rleDictionary.rawValue))
        XCTAssertNotNil(columns[1].dictionaryPageOffset)
        XCTAssertNil(firstDifference(try reader.readTable(), table))
    }
}
