// Every typology detector's parameters in one value (the config file's `scenarios.<typology>`).

/// The typology detectors' settings. `GoldSettings.typologies` holds one. Coded with Swift's
/// names; a config file in snake case (`fan_in.min_counterparties`) reads it with
/// `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase`.
public struct TypologySettings: Sendable, Codable, Equatable {
    /// The typologies to run (raw names); empty runs every one.
    public var enabled: [String] = []
    /// A pair with payments at least this many hours apart is recurring, an established
    /// relationship (600 hours = 25 days: a monthly cadence); see `TypologyPayments`.
    public var recurringSpanHours = 600.0
    /// A finding whose payments are at least this share evidence of a more specific typology
    /// (`TypologyKind.specificity`) is dropped; 0 keeps everything.
    public var subsumeShare = 0.5
    public var fanIn = FanSettings()
    public var fanOut = FanSettings()
    public var cycle = CycleSettings()
    public var scatterGather = ScatterGatherSettings()
    public var gatherScatter = GatherScatterSettings()
    public var bipartite = BipartiteSettings()
    public var stack = StackSettings()
    public var structuring = StructuringTypologySettings()
    public var rapidPassThrough = RapidPassThroughSettings()

    public init() {}


    /// The kinds to run: `enabled` parsed (unknown names are an error naming the valid ones).
    public func kinds() throws -> [TypologyKind] {
        if enabled.isEmpty { return TypologyKind.allCases }
        return try enabled.map { name in
            guard let k = TypologyKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw StructuringError.badColumn("unknown typology '\(name)'; expected one of \(TypologyKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return k
        }.sorted()
    }

    /// Sets the amount floor of every detector (the structuring band is relative to its
    /// threshold and is left alone).
    public mutating func setMinAmount(_ a: Double) {
        fanIn.minAmount = a; fanOut.minAmount = a; cycle.minAmount = a; scatterGather.minAmount = a
        gatherScatter.minAmount = a; bipartite.minAmount = a; stack.layer.minAmount = a; rapidPassThrough.minAmount = a
    }
}

extension TypologySettings {
    /// Checks every value's range: counts at least 1 (cycle lengths 2...10), windows and
    /// delays positive, amounts and shares finite and not negative, retention bands ordered,
    /// probabilities in (0, 1]. The error names the key (`fan_in.window_hours`).
    /// - Complexity: O(1).
    public func validate() throws {
        func fail(_ key: String, _ value: Any, _ expected: String) throws -> Never {
            throw StructuringError.badColumn("typology setting \(key) = \(value): expected \(expected)")
        }
        func positive(_ key: String, _ v: Double) throws { if !(v.isFinite && v > 0) { try fail(key, v, "a number > 0") } }
        func nonNegative(_ key: String, _ v: Double) throws { if !(v.isFinite && v >= 0) { try fail(key, v, "a number ≥ 0") } }
        func atLeast(_ key: String, _ v: Int, _ m: Int) throws { if v < m { try fail(key, v, "an integer ≥ \(m)") } }
        func band(_ key: String, _ lo: Double, _ hi: Double) throws {
            try nonNegative(key + "_min", lo); try nonNegative(key + "_max", hi)
            if lo > hi { try fail(key, "\(lo)...\(hi)", "min ≤ max") }
        }
        func probability(_ key: String, _ v: Double) throws { if !(v > 0 && v <= 1) { try fail(key, v, "a probability in (0, 1]") } }
        _ = try kinds()
        try positive("recurring_span_hours", recurringSpanHours)
        if !(subsumeShare >= 0 && subsumeShare <= 1) { try fail("subsume_share", subsumeShare, "a share in [0, 1]") }
        for (name, f) in [("fan_in", fanIn), ("fan_out", fanOut)] {
            try atLeast("\(name).min_counterparties", f.minCounterparties, 1); try atLeast("\(name).max_counterparties", f.maxCounterparties, 0)
            try positive("\(name).window_hours", f.windowHours); try nonNegative("\(name).min_amount", f.minAmount)
            try band("\(name).lump_retention", f.lumpMinRetention, f.lumpMaxRetention)
            try probability("\(name).max_burst_probability", f.maxBurstProbability); try atLeast("\(name).max_candidates", f.maxCandidates, 1)
        }
        if !(2...10).contains(cycle.minLength) || !(cycle.minLength...10).contains(cycle.maxLength) {
            try fail("cycle.min_length...max_length", "\(cycle.minLength)...\(cycle.maxLength)", "2 ≤ min ≤ max ≤ 10")
        }
        try positive("cycle.max_hop_delay_hours", cycle.maxHopDelayHours); try positive("cycle.window_hours", cycle.windowHours)
        try band("cycle.retention", cycle.minRetention, cycle.maxRetention); try nonNegative("cycle.min_amount", cycle.minAmount)
        try nonNegative("cycle.repayment_share", cycle.repaymentShare); try atLeast("cycle.max_expansions", cycle.maxExpansions, 1)
        try atLeast("scatter_gather.min_intermediaries", scatterGather.minIntermediaries, 1)
        try atLeast("scatter_gather.max_intermediaries", scatterGather.maxIntermediaries, 0)
        try positive("scatter_gather.window_hours", scatterGather.windowHours)
        try band("scatter_gather.retention", scatterGather.minRetention, scatterGather.maxRetention)
        try nonNegative("scatter_gather.min_amount", scatterGather.minAmount); try atLeast("scatter_gather.max_candidates", scatterGather.maxCandidates, 1)
        try atLeast("gather_scatter.min_originators", gatherScatter.minOriginators, 1)
        try atLeast("gather_scatter.min_beneficiaries", gatherScatter.minBeneficiaries, 1)
        try atLeast("gather_scatter.max_counterparties", gatherScatter.maxCounterparties, 0)
        try positive("gather_scatter.window_hours", gatherScatter.windowHours); try nonNegative("gather_scatter.min_amount", gatherScatter.minAmount)
        try band("gather_scatter.retention", gatherScatter.minRetention, gatherScatter.maxRetention)
        try probability("gather_scatter.max_burst_probability", gatherScatter.maxBurstProbability)
        try atLeast("gather_scatter.max_candidates", gatherScatter.maxCandidates, 1)
        for (name, b) in [("bipartite", bipartite), ("stack.layer", stack.layer)] {
            try atLeast("\(name).min_originators", b.minOriginators, 1); try atLeast("\(name).min_beneficiaries", b.minBeneficiaries, 1)
            try atLeast("\(name).max_side", b.maxSide, 1); try positive("\(name).window_hours", b.windowHours)
            try nonNegative("\(name).min_amount", b.minAmount); try atLeast("\(name).max_candidates", b.maxCandidates, 1)
            try probability("\(name).max_burst_probability", b.maxBurstProbability)
        }
        try positive("structuring.threshold", structuring.threshold)
        if !(structuring.lowerShare >= 0 && structuring.lowerShare < 1) { try fail("structuring.lower_share", structuring.lowerShare, "a share in [0, 1)") }
        try atLeast("structuring.min_payments", structuring.minPayments, 1); try positive("structuring.window_hours", structuring.windowHours)
        try probability("structuring.max_burst_probability", structuring.maxBurstProbability)
        try atLeast("structuring.max_candidates", structuring.maxCandidates, 1)
        try nonNegative("structuring.mule_forward_share", structuring.muleForwardShare)
        try positive("rapid_pass_through.max_delay_hours", rapidPassThrough.maxDelayHours)
        try band("rapid_pass_through.retention", rapidPassThrough.minRetention, rapidPassThrough.maxRetention)
        try nonNegative("rapid_pass_through.min_amount", rapidPassThrough.minAmount)
        try atLeast("rapid_pass_through.min_events", rapidPassThrough.minEvents, 1)
        try atLeast("rapid_pass_through.max_candidates", rapidPassThrough.maxCandidates, 1)
    }
}
