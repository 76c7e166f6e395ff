import CCodecs
@testable import Parquet
import XCTest

/// Codecs pyarrow and older writers use beyond the common four: brotli, and the deprecated
/// LZ4 codec id written either Hadoop-framed or as a bare LZ4 block.
final class CodecFallbackTests: XCTestCase {
    private let text = Array(String(repeating: "payments between accounts 0123456789 ", count: 300).utf8)

    func testLZ4CodecReadsABareBlockWhenHadoopFramingDoesNotParse() throws {
        // A raw block made by liblz4 itself (what non-Hadoop writers stored under codec 5).
        var block = [UInt8](repeating: 0, count: Int(LZ4_compressBound(Int32(text.count))))
        let n = text.withUnsafeBufferPointer { src in
            block.withUnsafeMutableBufferPointer { dst in
                LZ4_compress_default(UnsafeRawPointer(src.baseAddress!).assumingMemoryBound(to: CChar.self),
                                     UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
                                     Int32(src.count), Int32(dst.count))
            }
        }
        block.removeLast(block.count - Int(n))
        let out = try block.withUnsafeBytes { try CompressionCodec.lz4.decompress($0, expectedSize: text.count) }
        XCTAssertEqual(out, text)
        // Hadoop framing still reads: [u32 BE raw][u32 BE packed][block].
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        let framed = be(text.count) + be(block.count) + block
        XCTAssertEqual(try framed.withUnsafeBytes { try CompressionCodec.lz4.decompress($0, expectedSize: text.count) }, text)
        // Neither: an error, not garbage.
        let junk = [UInt8](repeating: 0xFF, count: 40)
        XCTAssertThrowsError(try junk.withUnsafeBytes { try CompressionCodec.lz4.decompress($0, expectedSize: 100) })
    }

    func testBrotliRoundTripAndSizeChecks() throws {
        var packed: [UInt8] = []
        try text.withUnsafeBytes { try CompressionCodec.brotli.compress($0, into: &packed, level: 5) }
        XCTAssertLessThan(packed.count, text.count / 4)
        // Decoded by libbrotli's one-shot decoder as an independent check of the stream.
        var length = text.count
        var check = [UInt8](repeating: 0, count: text.count)
        XCTAssertEqual(BrotliDecoderDecompress(packed.count, packed, &length, &check), BROTLI_DECODER_RESULT_SUCCESS)
        XCTAssertEqual(check, text)
        XCTAssertEqual(try packed.withUnsafeBytes { try CompressionCodec.brotli.decompress($0, expectedSize: text.count) }, text)
        // A header that claims less or more than the stream holds is an error.
        XCTAssertThrowsError(try packed.withUnsafeBytes { try CompressionCodec.brotli.decompress($0, expectedSize: text.count - 1) })
        XCTAssertThrowsError(try packed.withUnsafeBytes { try CompressionCodec.brotli.decompress($0, expectedSize: text.count + 1) })
        XCTAssertThrowsError(try Array(packed.dropLast(3)).withUnsafeBytes { try CompressionCodec.brotli.decompress($0, expectedSize: text.count) })
    }

    func testBrotliPageClaimingGigabytesDoesNotAllocateThem() throws {
        var packed: [UInt8] = []
        try text.withUnsafeBytes { try CompressionCodec.brotli.compress($0, into: &packed) }
        let budget = DecompressionBudget.shared.bytes
        let claim = min(1 << 30, budget)
        // The buffer grows with what decodes (11 KiB here), so this fails fast and small.
        XCTAssertThrowsError(try packed.withUnsafeBytes { try CompressionCodec.brotli.decompress($0, expectedSize: claim) }) { e in
            XCTAssertTrue("\(e)".contains("header says"), "\(e)")
        }
    }
}
