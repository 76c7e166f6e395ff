import Columnar
import Foundation
@testable import Parquet
import XCTest

/// Page skipping by the page index returns the same rows as reading whole row groups, and
/// decodes fewer rows. The index bytes themselves are checked against pyarrow's values by an
/// independent decoder in Tests/interop/test_parquet_page_index.py.
final class PageIndexTests: XCTestCase {
    func testSkippingPagesKeepsExactlyTheRowsOfWholeRowGroups() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let n = 200_000
        var k = ColumnBuilder(type: .int64), v = ColumnBuilder(type: .string), w = ColumnBuilder(type: .double)
        for i in 0..<n {
            k.append(int: Int64(i))
            if i % 5 == 0 { v.appendNull() } else { v.append(string: "value-\(i % 1000)") }
            w.append(double: Double((i * 37) % 1001))
        }
        let table = try Table([("k", k.finish()), ("v", v.finish()), ("w", w.finish())])
        var options = ParquetWriteOptions()
        options.dictionary = false
        options.pageSize = 64 << 10
        options.rowGroupSize = 120_000
        try ParquetWriter.write(table, to: "\(dir)/f.parquet", options: options)
        let reader = try ParquetReader(path: "\(dir)/f.parquet")
        XCTAssertNotNil(reader.pageIndex(rowGroup: 0, leaf: 0).offsets)
        XCTAssertNotNil(reader.pageIndex(rowGroup: 0, leaf: 0).columns)
        let cases: [[ParquetPredicate]] = [
            [ColumnComparison("k", .ge, .int(100_000)), ColumnComparison("k", .lt, .int(100_050))],
            [ColumnComparison("k", .eq, .int(7))],
            [ColumnComparison("k", .gt, .int(199_990))],
            [ColumnComparison("w", .gt, .double(999))],
        ]
        for predicates in cases {
            reader.usePageIndex = true
            let skipped = try reader.readTable(where: predicates)
            let decoded = reader.rowsDecoded(where: predicates)
            reader.usePageIndex = false
            let whole = try reader.readTable(where: predicates)
            let wholeDecoded = reader.rowsDecoded(where: predicates)
            // Same rows after the exact filter the callers apply.
            func matching(_ t: Table) -> [[Value]] {
                t.rows.filter { row in predicates.allSatisfy { $0.matches(row[t.schema.index(of: $0.column)!]) } }
            }
            XCTAssertEqual(matching(skipped), matching(whole), "\(predicates)")
            XCTAssertEqual(skipped.rowCount, decoded)
            XCTAssertEqual(whole.rowCount, wholeDecoded)
            if predicates[0].column == "k" { XCTAssertLessThan(decoded, wholeDecoded / 4, "\(predicates)") }
        }
    }
}
