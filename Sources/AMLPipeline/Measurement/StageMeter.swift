// Wall time and peak resident memory per stage of a run, and per sub-stage inside one.
import Dispatch

/// One measured stage. Top-level stages have plain names (`bronze`); a sub-stage is named
/// `parent.child` (`gold.structuring`).
public struct StageMeasurement: Sendable, Equatable {
    /// The stage's name; sub-stages are `parent.child`.
    public var stage: String
    /// Wall seconds from the stage's start to its end (monotonic clock).
    public var seconds: Double
    /// The process's peak resident set during the stage, in MB (see `PeakMemoryProbe`):
    /// memory still held from earlier stages counts, as it occupies the machine all the same.
    public var peakRSSMB: Double

    /// Creates a measurement.
    public init(stage: String, seconds: Double, peakRSSMB: Double) {
        self.stage = stage
        self.seconds = seconds
        self.peakRSSMB = peakRSSMB
    }

    /// True for a sub-stage (`parent.child`).
    public var isSubstage: Bool { stage.contains(".") }
}

/// Measures consecutive stages, each optionally split into consecutive sub-stages. A stage's
/// peak is the largest of its sub-stages' peaks and of what followed the last one, so resetting
/// the probe for every sub-stage loses nothing. Each boundary costs O(1) /proc accesses.
final class StageMeter {
    let probe = PeakMemoryProbe()
    /// Finished measurements; a stage sits before its sub-stages.
    private(set) var measurements: [StageMeasurement] = []
    private var stage: (name: String, start: UInt64, peak: Double, slot: Int)?
    private var substage: (name: String, start: UInt64)?

    /// Starts `name`, ending the stage in progress if any.
    func begin(_ name: String) {
        end()
        measurements.append(StageMeasurement(stage: name, seconds: 0, peakRSSMB: 0))
        probe.reset()
        stage = (name, DispatchTime.now().uptimeNanoseconds, 0, measurements.count - 1)
    }

    /// Starts sub-stage `name` of the stage in progress, ending the previous sub-stage.
    func beginSubstage(_ name: String) {
        guard var s = stage else { return }
        if substage != nil {
            endSubstage()
        } else {
            // The stretch between the stage's start and its first sub-stage still counts for the stage.
            s.peak = max(s.peak, probe.peakMB())
            stage = s
        }
        probe.reset()
        substage = (name, DispatchTime.now().uptimeNanoseconds)
    }

    /// Ends the stage in progress (and its open sub-stage), recording it.
    func end() {
        endSubstage()
        guard let s = stage else { return }
        measurements[s.slot] = StageMeasurement(stage: s.name, seconds: Self.seconds(since: s.start),
                                                peakRSSMB: max(s.peak, probe.peakMB()))
        stage = nil
    }

    private func endSubstage() {
        guard let sub = substage, var s = stage else { return }
        let peak = probe.peakMB()
        measurements.append(StageMeasurement(stage: "\(s.name).\(sub.name)", seconds: Self.seconds(since: sub.start), peakRSSMB: peak))
        s.peak = max(s.peak, peak)
        stage = s
        substage = nil
    }

    private static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
