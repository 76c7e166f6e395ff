import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import AMLPipeline

final class StageMeterTests: XCTestCase {
    /// Touches `megabytes` of fresh memory (so it is resident) and frees it again; a block
    /// this large is its own mapping, returned to the kernel on free.
    private func touch(megabytes: Int) {
        let count = megabytes << 20
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        for i in stride(from: 0, to: count, by: 4096) { p[i] = 1 }
        p.deallocate()
    }

    func testStagesComeInRunOrderEachBeforeItsSubstages() {
        let meter = StageMeter()
        meter.begin("bronze")
        meter.begin("gold")
        meter.beginSubstage("synthetic_identity")
        meter.beginSubstage("write")
        meter.end()
        XCTAssertEqual(meter.measurements.map(\.stage), ["bronze", "gold", "gold.synthetic_identity", "gold.write"])
        XCTAssertEqual(meter.measurements.map(\.isSubstage), [false, false, true, true])
        XCTAssertTrue(meter.measurements.allSatisfy { $0.seconds >= 0 && $0.peakRSSMB > 0 })
    }

    func testAStageCarriesTheLargestPeakOfItsSubstages() {
        let meter = StageMeter()
        meter.begin("gold")
        meter.beginSubstage("big")
        touch(megabytes: 256)
        meter.beginSubstage("small")
        meter.end()
        let peak = Dictionary(uniqueKeysWithValues: meter.measurements.map { ($0.stage, $0.peakRSSMB) })
        XCTAssertEqual(peak["gold"], peak["gold.big"])
        XCTAssertGreaterThanOrEqual(peak["gold.big"]!, peak["gold.small"]!)
    }

    func testEachIntervalHasItsOwnPeakWhenTheKernelCanResetIt() throws {
        let probe = PeakMemoryProbe()
        try XCTSkipUnless(probe.method == .clearRefs, "/proc/self/clear_refs unavailable: peaks are the process's so far")
        // A fresh anonymous mapping, so the pages are new to the process whatever malloc has
        // cached; read while it is still mapped, reset after it is gone.
        let size = 256 << 20
        guard let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            throw XCTSkip("mmap of 256 MB failed")
        }
        probe.reset()
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        for i in stride(from: 0, to: size, by: 4096) { bytes[i] = 1 }
        let big = probe.peakMB()
        munmap(raw, size)
        probe.reset()
        let small = probe.peakMB()
        XCTAssertGreaterThan(big - small, 200, "the 256 MB touched in the first interval must not count in the second")
    }

    func testAPeakCoversMemoryTouchedSinceTheProbeStarted() {
        let probe = PeakMemoryProbe()
        touch(megabytes: 64)
        XCTAssertGreaterThan(probe.peakMB(), 64, "the 64 MB just touched is within the peak")
        XCTAssertNotNil(PeakMemoryProbe.statusKB("VmRSS:"), "Linux's /proc/self/status has VmRSS")
    }
}
