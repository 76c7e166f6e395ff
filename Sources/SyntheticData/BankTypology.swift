// The typologies the bank world plants and `amlgraph evaluate` grades.

/// The laundering typologies the bank world plants, named as `truth_patterns.csv` and the
/// alert reasons name them. The shapes follow AMLSim's and AMLworld's definitions
/// (`ANCHORS.md`), plus structuring and rapid pass-through from the FATF typologies.
public enum BankTypology: String, CaseIterable, Sendable, Codable {
    case fanIn = "fan_in"
    case fanOut = "fan_out"
    case cycle
    case scatterGather = "scatter_gather"
    case gatherScatter = "gather_scatter"
    case bipartite
    case stack
    case structuring
    case rapidPassThrough = "rapid_pass_through"
}
