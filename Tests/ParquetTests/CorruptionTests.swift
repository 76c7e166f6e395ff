import Columnar
@testable import Parquet
import XCTest

/// Truncated and bit-flipped files must give `ParquetError` (naming the file) or read
/// correctly; never crash or allocate without bound.
final class CorruptionTests: XCTestCase {
    private func fileBytes(codec: CompressionCodec, dictionary: Bool) throws -> ([UInt8], Table) {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try sampleTable(rows: 300)
        var options = ParquetWriteOptions()
        options.codec = codec
        options.dictionary = dictionary
        options.rowGroupSize = 120
        try ParquetWriter.write(table, to: "\(dir)/f.parquet", options: options)
        return (Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/f.parquet"))), table)
    }

    /// Reads `bytes`; returns the table or nil after checking the error is a ParquetError naming the file.
    private func attempt(_ bytes: [UInt8], _ label: String) -> Table? {
        do {
            let reader = try ParquetReader(bytes: bytes, name: "fuzz.parquet")
            _ = reader.statistics(rowGroup: 0)
            return try reader.readTable()
        } catch let e as ParquetError {
            XCTAssertTrue(e.description.contains("fuzz.parquet"), "\(label): \(e)")
            return nil
        } catch {
            XCTFail("\(label): non-Parquet error \(error)")
            return nil
        }
    }

    func testTruncationAtEveryLengthIsACleanError() throws {
        let (bytes, _) = try fileBytes(codec: .zstd, dictionary: true)
        var step = max(1, bytes.count / 400)
        var length = 0
        while length < bytes.count {
            XCTAssertNil(attempt(Array(bytes[0..<length]), "truncated to \(length)"), "truncated file read as valid at \(length)")
            length += step
            if length > bytes.count - 64 { step = 1 }
        }
    }

    /// Data cut out of the middle while the footer survives: offsets now point past the data.
    func testMissingDataWithIntactFooterIsACleanError() throws {
        let (bytes, table) = try fileBytes(codec: .snappy, dictionary: false)
        let footerStart = bytes.count - 8 - Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self) })
        // The page index lies between the last row group and the footer: losing only it
        // costs page skipping, never rows.
        let meta = try ParquetReader(bytes: bytes).metadata
        let dataEnd = meta.rowGroups.flatMap(\.columns).compactMap(\.metaData).map { Int(($0.dictionaryPageOffset ?? $0.dataPageOffset) + $0.totalCompressedSize) }.max()!
        for k in stride(from: 0, to: footerStart, by: max(1, footerStart / 300)) {
            let got = attempt(Array(bytes[0..<k]) + Array(bytes[footerStart...]), "cut \(k)..<\(footerStart)")
            if k >= dataEnd { if let got { XCTAssertEqual(got, table) } } else { XCTAssertNil(got, "cut \(k)..<\(footerStart)") }
        }
    }

    /// Flips inside page data are caught by the page CRC; flips in headers and the footer give
    /// a clean error, or a table of the right shape (a flipped column name or statistic is not
    /// detectable: Parquet has no footer checksum).
    func testBitFlipsGiveCleanErrorsOrCorrectReads() throws {
        for (codec, dictionary) in [(CompressionCodec.zstd, true), (.uncompressed, false), (.snappy, true)] {
            let (bytes, table) = try fileBytes(codec: codec, dictionary: dictionary)
            let reader = try ParquetReader(bytes: bytes, name: "fuzz.parquet")
            let footerStart = bytes.count - 8 - Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self) })
            var rng = SplitMix(11)
            var errors = 0, reads = 0
            let positions = Array(stride(from: 0, to: bytes.count, by: max(1, bytes.count / 400))) + (0..<200).map { _ in Int(rng.next() % UInt64(bytes.count)) }
            for p in positions {
                var copy = bytes
                copy[p] ^= UInt8(1) << UInt8(rng.next() % 8)
                guard let got = attempt(copy, "flip at \(p)") else { errors += 1; continue }
                reads += 1
                if p >= 4 && p < footerStart {
                    // Page headers or bodies: a successful read must be exact.
                    XCTAssertNil(firstDifference(got, table), "\(codec): flip at \(p) read wrong data")
                } else {
                    XCTAssertEqual(got.rowCount, table.rowCount, "flip at \(p)")
                }
            }
            XCTAssertGreaterThan(errors, positions.count / 2, "\(codec): most flips should be detected")
            _ = reader
            _ = reads
        }
    }

    func testHugeClaimsAreRefusedWithoutAllocating() throws {
        // A footer length larger than the file.
        var bytes = Array("PAR1".utf8) + [0, 0, 0, 0] + [0xFF, 0xFF, 0xFF, 0x7F] + Array("PAR1".utf8)
        XCTAssertNil(attempt(bytes, "huge footer length"))
        // A thrift list claiming billions of schema elements.
        var w = ThriftWriter()
        w.fieldHeader(2, .list)
        w.bytes.append(0xFC)
        w.varint(3_000_000_000)
        w.bytes.append(0)
        bytes = Array("PAR1".utf8) + w.bytes
        withUnsafeBytes(of: UInt32(w.bytes.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += Array("PAR1".utf8)
        XCTAssertNil(attempt(bytes, "huge list"))
    }

    /// Row groups that all point at the same chunk bytes, each claiming millions of rows: the
    /// chunks are one range of the file, so the direct-to-output read (which allocates and
    /// prefaults the claimed rows before decoding) must not be taken, and the read fails on
    /// the counts with a ParquetError.
    func testRowGroupsSharingBytesAreNotTrustedForAllocation() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let table = try Table([("v", .int64((0..<2_000).map { Int64($0) }))])
        var options = ParquetWriteOptions()
        options.dictionary = false
        try ParquetWriter.write(table, to: "\(dir)/f.parquet", options: options)
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/f.parquet")))
        let honest = try ParquetReader(bytes: original, name: "fuzz.parquet")
        XCTAssertTrue(FlatColumnRead.plausible(honest.pieces(Array(honest.metadata.rowGroups.indices), leaves: [0])))

        var meta = honest.metadata
        XCTAssertEqual(meta.rowGroups.count, 1)
        var group = meta.rowGroups[0]
        let claimed: Int64 = 7_200_000
        group.numRows = claimed
        group.columns[0].metaData?.numValues = claimed
        meta.rowGroups = Array(repeating: group, count: 300)
        meta.numRows = claimed * 300
        var w = ThriftWriter()
        w.fileMetaData(meta)
        let footerLength = Int(original[original.count - 8]) | Int(original[original.count - 7]) << 8
            | Int(original[original.count - 6]) << 16 | Int(original[original.count - 5]) << 24
        var bytes = Array(original[0..<(original.count - 8 - footerLength)]) + w.bytes
        withUnsafeBytes(of: UInt32(w.bytes.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += Array("PAR1".utf8)

        let forged = try ParquetReader(bytes: bytes, name: "fuzz.parquet")
        XCTAssertEqual(forged.metadata.rowGroups.count, 300)
        XCTAssertFalse(FlatColumnRead.plausible(forged.pieces(Array(forged.metadata.rowGroups.indices), leaves: [0])))
        // Two groups claim 14.4M slots, under the 2^24 floor that needs no stored bytes at all:
        // refused only because the two chunks are the same bytes.
        XCTAssertFalse(FlatColumnRead.plausible(forged.pieces([0, 1], leaves: [0])))
        XCTAssertTrue(FlatColumnRead.plausible(forged.pieces([0], leaves: [0])))
        XCTAssertNil(attempt(bytes, "row groups sharing one chunk"))
    }
}
