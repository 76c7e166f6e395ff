import Columnar
import XCTest

/// Decimals of precision 19...38 hold 128-bit unscaled values: read from CSV with a declared
/// schema, written back with every digit, compared exactly.
final class WideDecimalTests: XCTestCase {
    func testCSVDecimal38KeepsEveryDigit() throws {
        let dir = ScratchDirectory()
        let max38 = String(repeating: "9", count: 34) + ".9999"
        let text = "id,amount\n1,\(max38)\n2,-\(max38)\n3,\n4,0.5\n5,12345678901234567890123\n"
        let path = dir.file("d.csv", text)
        let table = try CSVReader.read(path: path) { $0.schema = try! Schema.parse("id:int64,amount:decimal(38,4)") }
        XCTAssertEqual(table.schema.fields[1].type, .decimal(precision: 38, scale: 4))
        XCTAssertEqual(CSVWriter.string(table), "id,amount\n1,\(max38)\n2,-\(max38)\n3,\n4,0.5000\n5,12345678901234567890123.0000\n")
        // 39 digits do not fit decimal(38,4): an error naming what was expected.
        let bad = dir.file("bad.csv", "id,amount\n1,1\(max38)\n")
        XCTAssertThrowsError(try CSVReader.read(path: bad) { $0.schema = try! Schema.parse("id:int64,amount:decimal(38,4)") }) { e in
            XCTAssertTrue("\(e)".contains("at most 38 digits"), "\(e)")
        }
    }

    func testComparisonsAcrossWidthsAndScalesAreExact() {
        let big = Int128(Int64.max) * 10 + 7
        XCTAssertEqual(compareValues(.decimal128(big, scale: 0), .int(Int64.max)), 1)
        XCTAssertEqual(compareValues(.decimal(150, scale: 2), .decimal128(15, scale: 1)), 0)
        XCTAssertEqual(compareValues(.int(2), .decimal(199, scale: 2)), 1)
        XCTAssertEqual(compareValues(.decimal128(-big, scale: 3), .decimal(-1, scale: 0)), -1)
        XCTAssertEqual(Value.decimal128(-big, scale: 3).description, "-92233720368547758.077")
        XCTAssertNil(DataType(name: "decimal(39,2)"))
        XCTAssertEqual(DataType(name: "decimal(38,2)"), .decimal(precision: 38, scale: 2))
    }
}
