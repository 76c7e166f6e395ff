import XCTest
@testable import Columnar

final class CSVReaderTests: XCTestCase {
    func testQuotesEmbeddedDelimitersNewlinesAndNulls() throws {
        let dir = ScratchDirectory()
        let path = dir.file("a.csv", "id,name,note\n1,\"Smith, John\",\"line1\nline2\"\n2,,\"\"\n3,\"say \"\"hi\"\"\",x\r\n")
        let t = try CSVReader.read(path: path)
        XCTAssertEqual(t.schema.fields.map(\.type), [.int64, .string, .string])
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(t.row(0), [.int(1), .string("Smith, John"), .string("line1\nline2")])
        // Unquoted empty is null; quoted empty is the empty string.
        XCTAssertEqual(t.row(1), [.int(2), .null, .string("")])
        XCTAssertEqual(t.row(2), [.int(3), .string("say \"hi\""), .string("x")])
    }

    func testInferenceOfEveryType() throws {
        let dir = ScratchDirectory()
        let path = dir.file("t.csv", "b,i,d,day,ts,s,phone\ntrue,1,1.5,2025-01-02,2025-01-02T03:04:05Z,a,0123\nFALSE,-7,2,2025-12-31,2025-12-31 23:59:59,b,0456\n")
        let t = try CSVReader.read(path: path)
        XCTAssertEqual(t.schema.fields.map(\.type), [.bool, .int64, .double, .date, .timestamp, .string, .string])
        XCTAssertEqual(t.row(0)[3], .date(Int32(CivilTime.days(year: 2025, month: 1, day: 2))))
        XCTAssertEqual(t.row(1)[4], .timestamp(CivilTime.parseTimestamp("2025-12-31T23:59:59Z")!))
        XCTAssertEqual(t.row(1)[6], .string("0456"), "leading zeros keep identifiers as text")
    }

    func testFractionsBelowOneAndZeroAreNumbers() throws {
        let dir = ScratchDirectory()
        let path = dir.file("t.csv", "small,zero,code,neg\n0.005,0,007,-0.25\n5.2e-05,0,01.5,0.0\n")
        let t = try CSVReader.read(path: path)
        XCTAssertEqual(t.schema.fields.map(\.type), [.double, .int64, .string, .double])
        XCTAssertEqual(t.row(1)[0], .double(5.2e-05))
        XCTAssertEqual(t.row(0)[3], .double(-0.25))
    }

    func testDeclaredSchemaAndProjection() throws {
        let dir = ScratchDirectory()
        let path = dir.file("t.csv", "a,b,c\n1,x,2.5\n2,y,3\n")
        let declared = try CSVReader(path: path, options: { var o = CSVReadOptions(); o.schema = try! Schema.parse("a:double,b:string,c:double"); return o }()).readAll()
        XCTAssertEqual(declared.row(0), [.double(1), .string("x"), .double(2.5)])
        var o = CSVReadOptions()
        o.columns = ["c", "a"]
        let projected = try CSVReader(path: path, options: o).readAll()
        XCTAssertEqual(projected.columnNames, ["c", "a"])
        XCTAssertEqual(projected.rows, [[.double(2.5), .int(1)], [.double(3), .int(2)]])
    }

    func testParallelChunksEqualSequential() throws {
        let dir = ScratchDirectory()
        var text = "id,name,amount\n"
        for i in 0..<50_000 { text += "\(i),\"n\(i % 7), \"\"q\"\"\nx\",\(Double(i) / 4)\n" }
        let path = dir.file("big.csv", text)
        var one = CSVReadOptions(); one.threads = 1
        var many = CSVReadOptions(); many.threads = 4; many.batchBytes = 100_000
        let a = try CSVReader(path: path, options: one).readAll()
        let b = try CSVReader(path: path, options: many).readAll()
        XCTAssertEqual(a.rowCount, 50_000)
        XCTAssertEqual(a, b)
        let expected: [Value] = [.int(49_999), .string("n\(49_999 % 7), \"q\"\nx"), .double(49_999.0 / 4)]
        XCTAssertEqual(b.row(49_999).map { String(reflecting: $0) }, expected.map { String(reflecting: $0) })
        var batches = 0
        var rows = 0
        try CSVReader(path: path, options: many).forEachBatch { batches += 1; rows += $0.rowCount }
        XCTAssertGreaterThan(batches, 1)
        XCTAssertEqual(rows, 50_000)
    }

    func testTypeErrorNamesFileLineAndColumn() throws {
        let dir = ScratchDirectory()
        var text = "id,amount\n"
        for i in 0..<30_000 { text += "\(i),\(i)\n" }
        text += "30000,12x\n"
        let path = dir.file("bad.csv", text)
        XCTAssertThrowsError(try CSVReader.read(path: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("bad.csv:30002"), message)
            XCTAssertTrue(message.contains("column 'amount'"), message)
            XCTAssertTrue(message.contains("expected an integer"), message)
        }
    }

    func testWrongFieldCountAndRejectFile() throws {
        let dir = ScratchDirectory()
        let path = dir.file("r.csv", "a,b\n1,2\n3\n4,5\n6,x\n")
        XCTAssertThrowsError(try CSVReader.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains("r.csv:3"), "\(error)")
            XCTAssertTrue("\(error)".contains("expected 2 fields, found 1"), "\(error)")
        }
        var o = CSVReadOptions()
        o.rejectPath = dir.path + "/rejects.csv"
        o.columnTypes = ["b": .int64]
        let reader = try CSVReader(path: path, options: o)
        let t = try reader.readAll()
        XCTAssertEqual(t.rows, [[.int(1), .int(2)], [.int(4), .int(5)]])
        XCTAssertEqual(reader.rejectedRowCount, 2)
        let rejects = try CSVReader.read(path: dir.path + "/rejects.csv")
        XCTAssertEqual(rejects.rowCount, 2)
        XCTAssertEqual(rejects.row(0)[0], .int(3))
        XCTAssertEqual(rejects.row(1)[2], .string("6,x"))
        XCTAssertEqual(t.rowCount + reader.rejectedRowCount, 4, "every input row is accounted for")
    }

    func testEmptyFileNonUTF8HugeFieldAndUnterminatedQuote() throws {
        let dir = ScratchDirectory()
        XCTAssertThrowsError(try CSVReader.read(path: dir.file("e.csv", ""))) { XCTAssertTrue("\($0)".contains("empty"), "\($0)") }
        let bad = dir.file("u.csv", bytes: Array("id,name\n1,ok\n2,ab".utf8) + [0xFF] + Array("c\n".utf8))
        XCTAssertThrowsError(try CSVReader.read(path: bad)) { error in
            XCTAssertTrue("\(error)".contains("u.csv:3 column 'name'"), "\(error)")
            XCTAssertTrue("\(error)".contains("0xFF"), "\(error)")
        }
        var o = CSVReadOptions()
        o.maxFieldBytes = 1000
        let huge = dir.file("h.csv", "id,blob\n1," + String(repeating: "z", count: 5000) + "\n")
        XCTAssertThrowsError(try CSVReader(path: huge, options: o).readAll()) { XCTAssertTrue("\($0)".contains("longer than the limit"), "\($0)") }
        let open = dir.file("q.csv", "id,name\n1,\"never closed\n2,x\n")
        XCTAssertThrowsError(try CSVReader.read(path: open)) { XCTAssertTrue("\($0)".contains("unterminated quoted field"), "\($0)") }
        XCTAssertThrowsError(try CSVReader.read(path: dir.path + "/missing.csv")) { XCTAssertTrue("\($0)".contains("missing.csv"), "\($0)") }
    }

    func testHeaderOnlyGivesEmptyTableAndDuplicateHeaderFails() throws {
        let dir = ScratchDirectory()
        let t = try CSVReader.read(path: dir.file("h.csv", "a,b\n"))
        XCTAssertEqual(t.rowCount, 0)
        XCTAssertEqual(t.columnNames, ["a", "b"])
        XCTAssertThrowsError(try CSVReader.read(path: dir.file("d.csv", "a,a\n1,2\n"))) { XCTAssertTrue("\($0)".contains("duplicate column"), "\($0)") }
    }

    func testWriterRoundTripsEveryType() throws {
        let dir = ScratchDirectory()
        let t = try Table([
            ("i", Column(type: .int64, values: [.int(-5), .null, .int(Int64.max)])),
            ("d", Column(type: .double, values: [.double(0.1), .double(1e300), .null])),
            ("s", Column(type: .string, values: [.string("a,\"b\"\nc"), .string(""), .null])),
            ("b", Column(type: .bool, values: [.bool(true), .null, .bool(false)])),
            ("day", Column(type: .date, values: [.date(0), .date(20000), .null])),
            ("ts", Column(type: .timestamp, values: [.timestamp(1_700_000_000_123_456), .null, .timestamp(-1)])),
        ])
        let path = dir.path + "/out.csv"
        try CSVWriter.write(t, to: path)
        var o = CSVReadOptions()
        o.schema = t.schema
        XCTAssertEqual(try CSVReader(path: path, options: o).readAll(), t)
        XCTAssertEqual(dir.entries.filter { $0.hasPrefix(".") }, [], "no temporary files left behind")
    }

    func testAbortedWriterLeavesPreviousFile() throws {
        let dir = ScratchDirectory()
        let path = dir.file("keep.csv", "old\n1\n")
        let w = try CSVWriter(path: path, schema: Schema([Field("x", .int64)]))
        try w.write(try Table([("x", .int64([1, 2, 3]))]))
        w.abort()
        XCTAssertEqual(dir.read("keep.csv"), "old\n1\n")
        XCTAssertEqual(dir.entries, ["keep.csv"])
    }
}
