import Columnar
@testable import Parquet
import XCTest

final class EncodingTests: XCTestCase {
    func testRLEHybridRoundTrip() throws {
        var rng = SplitMix(7)
        for width in [1, 2, 3, 7, 8, 13, 20, 32] {
            let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
            var values: [UInt32] = []
            for _ in 0..<50 {
                let v = UInt32(rng.next() & mask)
                let run = Int(rng.next() % 30) + 1
                if rng.next() % 2 == 0 { values.append(contentsOf: repeatElement(v, count: run)) }
                else { for _ in 0..<run { values.append(UInt32(rng.next() & mask)) } }
            }
            var enc = RLEHybridEncoder(width: width)
            for v in values { enc.append(v) }
            let bytes = enc.finish()
            var out = [UInt32](repeating: 0, count: values.count)
            try bytes.withUnsafeBytes { raw in
                var dec = try RLEHybridDecoder(ByteCursor(raw), width: width)
                // Decode in uneven pieces to exercise run bookkeeping.
                var done = 0
                try out.withUnsafeMutableBufferPointer { o in
                    while done < values.count {
                        let n = min(values.count - done, 5 + done % 11)
                        try dec.decode(into: o.baseAddress! + done, count: n)
                        done += n
                    }
                }
            }
            XCTAssertEqual(out, values, "width \(width)")
        }
    }

    func testDeltaBinaryPackedRoundTrip() throws {
        var rng = SplitMix(3)
        for count in [1, 2, 127, 128, 129, 1000] {
            let values = (0..<count).map { i in i % 5 == 0 ? Int64(bitPattern: rng.next()) : Int64(i * 3) }
            let bytes = DeltaEncoding.binaryPacked(values)
            var out: [Int64] = []
            try bytes.withUnsafeBytes { raw in
                var c = ByteCursor(raw)
                _ = try DeltaDecoding.binaryPacked(&c, count: count, appendTo: &out)
                XCTAssertEqual(c.position, raw.count)
            }
            XCTAssertEqual(out, values)
        }
    }

    func testThriftFooterRoundTrip() throws {
        let (elements, _) = try WriterSchema.build([NestedField("a", .timestamp), NestedField("b", .decimal(precision: 12, scale: 3), nullable: false)])
        let meta = FileMetaData(version: 1, schema: elements, numRows: 0, rowGroups: [], keyValueMetadata: ["k": "v"], createdBy: "x")
        var w = ThriftWriter()
        w.fileMetaData(meta)
        let back = try w.bytes.withUnsafeBytes { try ThriftReader($0).readFileMetaData() }
        XCTAssertEqual(back, meta)
    }

    func testCodecsRoundTripAndRejectWrongSizes() throws {
        let input = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 / 7) }
        for codec in [CompressionCodec.zstd, .snappy, .gzip, .lz4Raw, .uncompressed] {
            var packed: [UInt8] = []
            try input.withUnsafeBytes { try codec.compress($0, into: &packed) }
            let back = try packed.withUnsafeBytes { try codec.decompress($0, expectedSize: input.count) }
            XCTAssertEqual(back, input, "\(codec)")
            XCTAssertThrowsError(try packed.withUnsafeBytes { try codec.decompress($0, expectedSize: input.count + 1) }, "\(codec)")
            // A header claiming an impossible expansion is refused before allocating.
            XCTAssertThrowsError(try packed.prefix(10).withUnsafeBytes { try codec.decompress($0, expectedSize: Int(Int32.max)) }, "\(codec)")
        }
    }
}
