import XCTest
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

    func testEachStageHasItsOwnPeakWhenTheKernelCanResetIt() throws {
        let meter = StageMeter()
        try XCTSkipUnless(meter.probe.method == .clearRefs, "/proc/self/clear_refs unavailable: peaks are the process's so far")
        meter.begin("big")
        touch(megabytes: 256)
        meter.begin("small")
        meter.end()
        let big = meter.measurements[0].peakRSSMB, small = meter.measurements[1].peakRSSMB
        XCTAssertGreaterThan(big - small, 200, "the 256 MB touched in `big` must not count in `small`")
    }

    func testAPeakCoversMemoryTouchedSinceTheProbeStarted() {
        let probe = PeakMemoryProbe()
        touch(megabytes: 64)
        XCTAssertGreaterThan(probe.peakMB(), 64, "the 64 MB just touched is within the peak")
        XCTAssertNotNil(PeakMemoryProbe.statusKB("VmRSS:"), "Linux's /proc/self/status has VmRSS")
    }
}
