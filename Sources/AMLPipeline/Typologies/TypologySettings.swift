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
