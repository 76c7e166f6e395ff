// Settings of the fan-in and fan-out detectors (AMLSim / AMLworld fan typologies).

/// Parameters of `FanIn` and `FanOut`. Defaults follow the typology definitions (AMLSim's
/// fan patterns, AMLworld's "Max 16-degree Fan-Out" and the ranges of issue 13: fan sizes
/// 3–20, windows up to 30 days, amounts from 1,000), not any generator's numbers.
public struct FanSettings: Sendable, Codable, Equatable {
    /// Fewest distinct novel counterparties in one window (3: the smallest fan).
    public var minCounterparties = 3
    /// A window with more distinct novel counterparties than this is a hub's ordinary
    /// traffic (a merchant's customers, a payroll run), not a fan (20: the largest fan);
    /// 0 disables the bound.
    public var maxCounterparties = 20
    /// Width of the window, in hours (720 = 30 days).
    public var windowHours = 720.0
    /// Payments below this are not counted (1,000: many small payments to a merchant are
    /// not a fan).
    public var minAmount = 1_000.0
    /// Lump forms: a single payment on the other side of the hub carrying between these
    /// shares of the fan's total (85%–100%: fees) marks split-then-lump (fan-in, the lump
    /// leaves after the fan) or lump-then-split (fan-out, the lump arrives before it),
    /// within `windowHours` of the fan.
    public var lumpMinRetention = 0.85
    public var lumpMaxRetention = 1.0
    /// A fan must be improbable for the hub's own rate of novel payments
    /// (`BurstSignificance`): at most this probability (1 disables the test).
    public var maxBurstProbability = 0.001
    /// At most this many payments are examined when looking for the lump, and per window for
    /// the significance test.
    public var maxCandidates = 256

    public init() {}

    var window: Int64 { Int64(windowHours * 3_600_000_000) }
}
