// The `scenarios:` and `alerts:` sections of the pipeline config: one Codable section per
// scenario, decoded generically (see `ConfigDocument.section`). Defaults are the scenario
// settings' own defaults, which come from each typology's definition.
import Columnar
import Foundation

/// `scenarios.structuring`: the structuring (smurfing) detector.
public struct StructuringSection: ConfigSection, Equatable {
    public var threshold = StructuringConfig().threshold
    public var window = "7d"
    public var forwardShare = StructuringConfig().forwardShare
    public init() {}
    enum CodingKeys: String, CodingKey { case threshold, window, forwardShare = "forward_share" }
    public static let documentation: [(key: String, text: String)] = [
        ("threshold", "the per-transaction reporting threshold (a number ≥ 0)"),
        ("window", "each chain and its forwarding payment lie within this span (7d, 72h, ...)"),
        ("forward_share", "the forwarding payment carries at least this share of the chains' total (0..1; 0 disables)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        [SettingsCheck.nonNegative("threshold", threshold), SettingsCheck.duration(window).map { ("window", $0) },
         SettingsCheck.probability("forward_share", forwardShare)].compactMap { $0 }
    }
    func apply(to c: inout StructuringConfig) {
        c.threshold = threshold
        c.window = SettingsCheck.micros(window)
        c.forwardShare = forwardShare
    }
}

/// `scenarios.roundtrips`: money that returns to its origin through distinct intermediaries.
public struct RoundTripsSection: ConfigSection, Equatable {
    public var length = RoundTripConfig().length
    public var window = "7d"
    public var minAmount = RoundTripConfig().minAmount
    public init() {}
    enum CodingKeys: String, CodingKey { case length, window, minAmount = "min_amount" }
    public static let documentation: [(key: String, text: String)] = [
        ("length", "hops in the cycle (2 to 6)"),
        ("window", "all hops lie within this span (7d, 72h, ...)"),
        ("min_amount", "ignore hops below this amount (≥ 0)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        [(2...6).contains(length) ? nil : ("length", "\(length) is outside 2...6"), SettingsCheck.duration(window).map { ("window", $0) },
         SettingsCheck.nonNegative("min_amount", minAmount)].compactMap { $0 }
    }
    func apply(to c: inout RoundTripConfig) {
        c.length = length
        c.window = SettingsCheck.micros(window)
        c.minAmount = minAmount
    }
}

/// `scenarios.risk_propagation`: risk passed along payments (Pregel).
public struct RiskPropagationSection: ConfigSection, Equatable {
    public var rule = "weighted"
    public var decay = 0.5
    public var cap = 0.0
    public var seedThreshold = GoldSettings().riskSeedThreshold
    public var iterations = GoldSettings().riskIterations
    public init() {}
    enum CodingKeys: String, CodingKey { case rule, decay, cap, seedThreshold = "seed_threshold", iterations }
    public static let documentation: [(key: String, text: String)] = [
        ("rule", "weighted (amount-weighted, decaying, bounded by cap) or accelerator (src risk / 2 per payment)"),
        ("decay", "weighted rule: share passed on per hop (0..1)"),
        ("cap", "weighted rule: upper bound of a propagated score; 0 means the run's largest base risk (≥ 0)"),
        ("seed_threshold", "entities with base risk at or above this (and above 0) seed the propagation (≥ 0)"),
        ("iterations", "supersteps (≥ 0)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        [["weighted", "accelerator"].contains(rule) ? nil : ("rule", "'\(rule)' is not a rule (expected weighted or accelerator)"),
         SettingsCheck.probability("decay", decay), SettingsCheck.nonNegative("cap", cap), SettingsCheck.nonNegative("seed_threshold", seedThreshold),
         iterations >= 0 ? nil : ("iterations", "\(iterations) must be ≥ 0")].compactMap { $0 }
    }
    func apply(to g: inout GoldSettings) {
        g.riskRule = rule == "accelerator" ? .accelerator : .weighted(decay: decay, cap: cap)
        g.riskSeedThreshold = seedThreshold
        g.riskIterations = iterations
    }
}

/// `scenarios.address_flags`: non-residential and over-shared addresses.
public struct AddressFlagsSection: ConfigSection, Equatable {
    public var minShared = AddressFlags.Options().minShared
    public init() {}
    enum CodingKeys: String, CodingKey { case minShared = "min_shared" }
    public static let documentation: [(key: String, text: String)] = [
        ("min_shared", "an address held by at least this many entities is over-shared (≥ 1)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        minShared >= 1 ? [] : [("min_shared", "\(minShared) must be ≥ 1")]
    }
}

/// `scenarios.behaviour_anomaly`: robust Mahalanobis distance of behaviour features.
public struct BehaviourAnomalySection: ConfigSection, Equatable {
    public var threshold = BehaviourAnomaly.Options().threshold
    public var nearThresholdFrom = BehaviourAnomaly.Options().nearThresholdFrom
    public var forwardWindow = "72h"
    public var support = 0.75
    public var shrinkage = 0.2
    public init() {}
    enum CodingKeys: String, CodingKey {
        case threshold, nearThresholdFrom = "near_threshold_from", forwardWindow = "forward_window", support, shrinkage
    }
    public static let documentation: [(key: String, text: String)] = [
        ("threshold", "the reporting threshold (≥ 0)"),
        ("near_threshold_from", "lower end of the just-under-threshold band (≥ 0, below threshold)"),
        ("forward_window", "a payment out within this span of one in is a rapid forward (72h, ...)"),
        ("support", "share of entities in the covariance subset (0.5..1)"),
        ("shrinkage", "shrinkage of the covariance towards the identity (0..1, above 0)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        [SettingsCheck.nonNegative("threshold", threshold), SettingsCheck.nonNegative("near_threshold_from", nearThresholdFrom),
         nearThresholdFrom <= threshold ? nil : ("near_threshold_from", "\(nearThresholdFrom) is above threshold \(threshold)"),
         SettingsCheck.duration(forwardWindow).map { ("forward_window", $0) },
         (0.5...1).contains(support) ? nil : ("support", "\(support) is outside [0.5, 1]"),
         shrinkage > 0 && shrinkage <= 1 ? nil : ("shrinkage", "\(shrinkage) is outside (0, 1]")].compactMap { $0 }
    }
}

/// `scenarios.transaction_dedupe` and `scenarios.entity_dedupe`: match probability cut-off.
public struct DedupeSection: ConfigSection, Equatable {
    public var threshold = 0.9
    public init() {}
    public static let documentation: [(key: String, text: String)] = [
        ("threshold", "pairs at or above this match probability are duplicates (0..1)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        [SettingsCheck.probability("threshold", threshold)].compactMap { $0 }
    }
}

/// `scenarios.transaction_dedupe`: match probability cut-off and an optional saved model
/// (`TransactionDedupe.Options.modelFile`).
public struct TransactionDedupeSection: ConfigSection, Equatable {
    public var threshold = TransactionDedupe.Options().threshold
    /// A Splink model JSON file, relative to the config file; empty trains on every run.
    public var model = ""
    public init() {}
    public static let documentation: [(key: String, text: String)] = [
        ("threshold", "pairs at or above this match probability are duplicates (0..1)"),
        ("model", "a saved Splink model (JSON) used as is, so runs do not train and a day's run scores only pairs with its new payments; written by the first run when missing; empty trains every run"),
    ]
    public func problems() -> [(key: String, message: String)] {
        [SettingsCheck.probability("threshold", threshold)].compactMap { $0 }
    }
}

/// `alerts`: reason weights and the queue's cut-off. Risk raises a score but never alerts alone.
public struct AlertsSection: ConfigSection, Equatable {
    public var weights: [String: Double] = Dictionary(uniqueKeysWithValues: AlertReason.allCases.map { ($0.rawValue, $0.defaultWeight) })
    public var riskWeight = Alerts.Options().riskWeight
    public var minScore = Alerts.Options().minScore
    public var topN = Alerts.Options().topN
    public var anomalyTop = Alerts.Options().anomalyTopRank
    public var includeLowTier = Alerts.Options().includeLowTier
    public var maxEvidence = Alerts.Options().maxEvidence
    public init() {}
    enum CodingKeys: String, CodingKey {
        case weights, riskWeight = "risk_weight", minScore = "min_score", topN = "top_n", anomalyTop = "anomaly_top"
        case includeLowTier = "include_low_tier", maxEvidence = "max_evidence"
    }
    public static let documentation: [(key: String, text: String)] = [
        ("weights", "points per reason (\(AlertReason.allCases.map(\.rawValue).joined(separator: ", "))); each ≥ 0"),
        ("risk_weight", "points added for the run's highest KYC/propagated risk, proportionally below; never alerts alone (≥ 0)"),
        ("min_score", "an entity alerts when its score reaches this (≥ 0)"),
        ("top_n", "keep only the first N alerts of a run; 0 keeps all (≥ 0)"),
        ("anomaly_top", "behaviour-anomaly ranks up to this are a reason (≥ 0)"),
        ("include_low_tier", "alert on low-tier synthetic identities (one shared address) too (true/false)"),
        ("max_evidence", "findings and txn ids listed per reason in the evidence (≥ 1)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        let known = AlertReason.allCases.map(\.rawValue)
        var out: [(key: String, message: String)] = []
        for (reason, w) in weights.sorted(by: { $0.key < $1.key }) {
            if !known.contains(reason) { out.append(("weights", KeySuggestion.unknownKeyMessage(reason, path: "alerts.weights", valid: known))) }
            if !(w.isFinite && w >= 0) { out.append(("weights", "\(reason): \(w) must be a number ≥ 0")) }
        }
        out += [SettingsCheck.nonNegative("risk_weight", riskWeight), SettingsCheck.nonNegative("min_score", minScore),
                topN >= 0 ? nil : ("top_n", "\(topN) must be ≥ 0"), anomalyTop >= 0 ? nil : ("anomaly_top", "\(anomalyTop) must be ≥ 0"),
                maxEvidence >= 1 ? nil : ("max_evidence", "\(maxEvidence) must be ≥ 1")].compactMap { $0 }
        return out
    }
    func apply(to o: inout Alerts.Options) {
        o.weights = weights
        o.riskWeight = riskWeight
        o.minScore = minScore
        o.topN = topN
        o.anomalyTopRank = anomalyTop
        o.includeLowTier = includeLowTier
        o.maxEvidence = maxEvidence
    }
}

/// `quality`: when silver's quarantine stops a run.
public struct QualitySection: ConfigSection, Equatable {
    public var maxQuarantineShare = 0.05
    public init() {}
    enum CodingKeys: String, CodingKey { case maxQuarantineShare = "max_quarantine_share" }
    public static let documentation: [(key: String, text: String)] = [
        ("max_quarantine_share", "stop before gold when more than this share of a table's rows is quarantined (0..1)"),
    ]
    public func problems() -> [(key: String, message: String)] {
        [SettingsCheck.probability("max_quarantine_share", maxQuarantineShare)].compactMap { $0 }
    }
}

/// One scenario of the `scenarios:` mapping: its name, how to decode its section and apply it
/// to the gold settings, and its commented defaults for `config init`. A new scenario plugs in
/// with one `ScenarioEntry` line in `PipelineConfig.scenarios`.
public struct ScenarioEntry: @unchecked Sendable {
    public let name: String
    let decode: (ConfigDocument, Node?, String) throws -> (inout GoldSettings) -> Void
    let section: any ConfigSection.Type

    public init<S: ConfigSection>(_ name: String, _ type: S.Type, apply: @escaping (S, inout GoldSettings) -> Void) {
        self.name = name
        section = type
        decode = { doc, node, path in
            let value = try doc.section(S.self, node, path: path)
            return { apply(value, &$0) }
        }
    }
}

import Yams
