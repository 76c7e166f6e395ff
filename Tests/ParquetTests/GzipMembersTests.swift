@testable import Parquet
import XCTest

/// gzip pages may hold several concatenated members (RFC 1952 2.2); gunzip and pyarrow read
/// them as one stream.
final class GzipMembersTests: XCTestCase {
    func testConcatenatedMembersDecodeAsOneStream() throws {
        let a = Array("first member, ".utf8), b = Array(String(repeating: "second member ", count: 50).utf8)
        var first: [UInt8] = [], second: [UInt8] = []
        try a.withUnsafeBytes { try CompressionCodec.gzip.compress($0, into: &first) }
        try b.withUnsafeBytes { try CompressionCodec.gzip.compress($0, into: &second) }
        let joined = first + second
        let out = try joined.withUnsafeBytes { try CompressionCodec.gzip.decompress($0, expectedSize: a.count + b.count) }
        XCTAssertEqual(out, a + b)
        // Trailing bytes beyond what the header allows are still an error.
        XCTAssertThrowsError(try joined.withUnsafeBytes { try CompressionCodec.gzip.decompress($0, expectedSize: a.count) })
    }
}
