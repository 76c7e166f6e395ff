import Columnar
@testable import Parquet
import XCTest

/// Decimals of precision 19...38 (Int128 unscaled values) written as FIXED_LEN_BYTE_ARRAY and
/// read back; the pyarrow cross-checks are in Tests/interop/test_parquet_logical_types.py.
final class WideDecimalTests: XCTestCase {
    func testDecimal38RoundTripWithNullsAndExtremes() throws {
        let limit = Int128(Decimal128Bounds.limit(38)) - 1
        let values: [Value] = [.decimal128(limit, scale: 10), .decimal128(-limit, scale: 10), .null,
                               .decimal128(0, scale: 10), .decimal(-1, scale: 10), .decimal128(Int128(Int64.max) * 1000, scale: 10)]
        let column = try Column(type: .decimal(precision: 38, scale: 10), values: values)
        guard case .decimal128 = column.data else { return XCTFail("decimal(38,10) must hold 128-bit values") }
        let table = try Table([("d", column)])
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/d.parquet"
        let writer = try ParquetWriter(path: path, schema: table.schema)
        try writer.write(table)
        _ = try writer.close()
        let reader = try ParquetReader(path: path)
        let leaf = reader.schemaTree.leaves[0].element
        XCTAssertEqual(leaf.type, .fixedLenByteArray)
        XCTAssertEqual(leaf.typeLength, 16)
        let back = try reader.readTable()
        XCTAssertEqual(back.schema.fields[0].type, .decimal(precision: 38, scale: 10))
        let got = (0..<back.rowCount).map { back.columns[0].value(at: $0).decimalParts?.unscaled }
        XCTAssertEqual(got, values.map { $0.decimalParts?.unscaled })
        XCTAssertEqual(back.columns[0].value(at: 0).description, "9999999999999999999999999999.9999999999")
        let stats = reader.statistics(rowGroup: 0)["d"]!
        XCTAssertEqual(stats.min, .decimal128(-limit, scale: 10))
        XCTAssertEqual(stats.max, .decimal128(limit, scale: 10))
    }

    func testByteWidthsFollowTheFormatRule() {
        // parquet-format: precision <= floor(log10(2^(8n-1) - 1)).
        XCTAssertEqual(LogicalMapping.decimalByteWidth(precision: 19), 9)
        XCTAssertEqual(LogicalMapping.decimalByteWidth(precision: 20), 9)
        XCTAssertEqual(LogicalMapping.decimalByteWidth(precision: 38), 16)
        XCTAssertEqual(LogicalMapping.maxDigits(bytes: 4), 9)
        XCTAssertEqual(LogicalMapping.maxDigits(bytes: 8), 18)
    }

    func testHalfFloatConversionIsExact() {
        XCTAssertEqual(LogicalMapping.halfToFloat(0x3C00), 1)
        XCTAssertEqual(LogicalMapping.halfToFloat(0xC100), -2.5)
        XCTAssertEqual(LogicalMapping.halfToFloat(0x7BFF), 65504)
        XCTAssertEqual(LogicalMapping.halfToFloat(0x0001), 0x1p-24)
        XCTAssertEqual(LogicalMapping.halfToFloat(0x7C00), .infinity)
        XCTAssertTrue(LogicalMapping.halfToFloat(0x7E00).isNaN)
    }
}
