import Foundation
@testable import Parquet
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Decompressed sizes are data: checked against what the compressed stream declares and a
/// memory budget before any output buffer is allocated.
final class AllocationBombTests: XCTestCase {
    func peakRSSBytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    func testSmallZstdPageClaimingGigabytesIsRefusedBeforeAllocating() throws {
        // 64 KiB that does not compress, so the frame is as large as in the report.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let payload = (0..<(64 << 10)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        var frame: [UInt8] = []
        try payload.withUnsafeBytes { try CompressionCodec.zstd.compress($0, into: &frame) }
        let claim = (2 << 30) - 64 // 2 GiB: within zstd's ratio bound for this frame
        let before = peakRSSBytes()
        XCTAssertThrowsError(try frame.withUnsafeBytes { try CompressionCodec.zstd.decompress($0, expectedSize: claim) }) { e in
            XCTAssertTrue("\(e)".contains("page header says"), "\(e)")
        }
        let grown = peakRSSBytes() - before
        XCTAssertLessThan(grown, 256 << 20, "the refused page still made the reader touch \(grown) bytes")
        // The honest size decodes.
        let ok = try frame.withUnsafeBytes { try CompressionCodec.zstd.decompress($0, expectedSize: payload.count) }
        XCTAssertEqual(ok, payload)
    }

    func testSnappyLengthIsCheckedBeforeAllocating() throws {
        let payload = [UInt8](repeating: 1, count: 4096)
        var block: [UInt8] = []
        try payload.withUnsafeBytes { try CompressionCodec.snappy.compress($0, into: &block) }
        XCTAssertThrowsError(try block.withUnsafeBytes { try CompressionCodec.snappy.decompress($0, expectedSize: 100_000) })
    }

    func testBudgetRefusesOversizedPagesAndMakesConcurrentOnesWait() throws {
        let budget = DecompressionBudget(bytes: 100)
        XCTAssertThrowsError(try budget.reserve(101))
        try budget.reserve(60)
        let second = DispatchSemaphore(value: 0)
        let held = Flag()
        DispatchQueue.global().async {
            try? budget.reserve(60)
            held.set()
            second.signal()
        }
        // The second reservation cannot complete while the first holds 60 of 100 bytes.
        XCTAssertEqual(second.wait(timeout: .now() + .milliseconds(200)), .timedOut)
        XCTAssertFalse(held.value)
        budget.release(60)
        second.wait()
        XCTAssertTrue(held.value)
        budget.release(60)
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
