import Dispatch

/// Wall-clock stopwatch for stage timings.
public struct Stopwatch: Sendable {
    private var last = DispatchTime.now()
    private let first = DispatchTime.now()

    public init() {}

    /// Seconds since the previous lap (or start).
    public mutating func lap() -> Double {
        let now = DispatchTime.now()
        defer { last = now }
        return Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9
    }

    /// Seconds since the start.
    public var total: Double { Double(DispatchTime.now().uptimeNanoseconds - first.uptimeNanoseconds) / 1e9 }
}
