import Columnar
import Foundation
@testable import Parquet
import XCTest

/// A page whose type field disagrees with the header it carries (a dictionary page relabelled
/// as a data page) must be refused, not decoded as values.
final class RelabelledPageTests: XCTestCase {
    func testDictionaryPageRelabelledAsDataPageIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try Table([("s", .string((0..<500).map { "v\($0 % 7)" }))])
        try ParquetWriter.write(table, to: "\(dir)/f.parquet", options: ParquetWriteOptions())
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/f.parquet")))
        let reader = try ParquetReader(bytes: bytes)
        let offset = Int(try XCTUnwrap(reader.metadata.rowGroups[0].columns[0].metaData?.dictionaryPageOffset))
        // PageHeader field 1 (type, i32) in compact Thrift: 0x15, then zigzag(2) = 0x04 for DICTIONARY_PAGE.
        XCTAssertEqual(Array(bytes[offset..<(offset + 2)]), [0x15, 0x04])
        XCTAssertEqual(try reader.readTable(), table)
        bytes[offset + 1] = 0x00 // DATA_PAGE
        XCTAssertThrowsError(try ParquetReader(bytes: bytes, name: "relabelled.parquet").readTable()) { e in
            XCTAssertTrue("\(e)".contains("relabelled.parquet") && "\(e)".contains("header of another page type"), "\(e)")
        }
    }
}
