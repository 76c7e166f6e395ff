import Columnar
@testable import DeltaLake
import Foundation
import XCTest

/// The deletion vector codecs against published check values, and damaged bitmaps refused.
final class DeletionVectorTests: XCTestCase {
    func testCRC32CheckValue() {
        // The check value every CRC-32/ISO-HDLC implementation publishes for "123456789".
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
    }

    func testZ85SpecVector() throws {
        // ZeroMQ RFC 32's test vector.
        XCTAssertEqual(try Z85.decode("HelloWorld", context: "t"), [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
        XCTAssertThrowsError(try Z85.decode("Hello", context: "t") + Z85.decode("Hell", context: "t"))
        XCTAssertThrowsError(try Z85.decode("Hell~", context: "t"))
    }

    /// Magic, one bucket (key 0), then a run-cookie 32-bit bitmap with one run container.
    func runBitmap(start: UInt16, lengthMinusOne: UInt16) -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
        func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        var b = le32(DeletionVectors.magic) + [1, 0, 0, 0, 0, 0, 0, 0] + le32(0)
        b += le32(12347) + [1] + le16(0) + le16(lengthMinusOne) // cookie (1 container), run flags, key, card-1
        b += le16(1) + le16(start) + le16(lengthMinusOne) // one run
        return b
    }

    func testRunContainerDecodes() throws {
        XCTAssertEqual(try DeletionVectors.decodeBitmapArray(runBitmap(start: 5, lengthMinusOne: 3), limit: 100, context: "t"), [5, 6, 7, 8])
    }

    func testDamagedBitmapsAreErrors() {
        let good = runBitmap(start: 5, lengthMinusOne: 3)
        // Every truncation is an error, never a crash or a partial answer.
        for n in 0..<good.count {
            XCTAssertThrowsError(try DeletionVectors.decodeBitmapArray(Array(good.prefix(n)), limit: 100, context: "t"))
        }
        // A row past the file, trailing bytes, and a bucket count the bytes cannot hold.
        XCTAssertThrowsError(try DeletionVectors.decodeBitmapArray(good, limit: 8, context: "t"))
        XCTAssertThrowsError(try DeletionVectors.decodeBitmapArray(good + [0], limit: 100, context: "t"))
        var huge = good
        huge[4..<12] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        XCTAssertThrowsError(try DeletionVectors.decodeBitmapArray(huge, limit: 100, context: "t"))
    }

    func testMergeClauseParsing() throws {
        let d = try XCTUnwrap(MergeClauses.parseMatched("delete if source.closed and target.amount > 0"))
        XCTAssertEqual(d.action, .delete)
        XCTAssertEqual(d.condition?.source, "source.closed and target.amount > 0")
        XCTAssertNil(try MergeClauses.parseMatched("update")?.condition)
        XCTAssertNil(try MergeClauses.parseMatched("none"))
        XCTAssertNil(try MergeClauses.parseNotMatched("none"))
        XCTAssertThrowsError(try MergeClauses.parseMatched("update when x"))
        XCTAssertThrowsError(try MergeClauses.parseNotMatched("delete"))
    }
}
