// What `amlgraph evaluate` reports: the settings it ran with and the figures, per typology
// and for the whole alert list.

/// What counts as found, and where precision at k is read.
public struct DetectionEvaluationSettings: Sendable, Codable, Equatable {
    /// An instance is found when at least this share of its accounts is alerted (0.5: half
    /// the accounts, the definition; an instance of 3 needs 2).
    public var foundShare: Double
    /// Ranks at which precision is read (precision at k).
    public var ks: [Int]

    public init(foundShare: Double = 0.5, ks: [Int] = [50, 100, 500]) {
        self.foundShare = foundShare
        self.ks = ks
    }
}

/// The figures of one typology (one `pattern_type` of the truth).
public struct TypologyFigures: Sendable, Equatable, Codable {
    public var typology: String
    public var plantedInstances: Int
    /// Instances with at least `foundShare` of their accounts alerted.
    public var instancesFound: Int
    public var instanceRecall: Double
    /// Distinct accounts in the typology's instances.
    public var plantedAccounts: Int
    public var accountsAlerted: Int
    public var accountRecall: Double
    /// Planted transactions of the typology (0 when the truth has no transaction file).
    public var plantedTransactions: Int
    /// Alerted entities with a reason named after the typology (`fan_in`, or `fan_in_` and
    /// a suffix such as `structuring_collector`).
    public var reasonAlerts: Int
    /// Of those, the ones that belong to any planted instance (of any typology).
    public var reasonTruePositives: Int
    /// reasonTruePositives / reasonAlerts; nil when no alert carries the reason.
    public var precision: Double?

    enum CodingKeys: String, CodingKey {
        case typology, plantedInstances, instancesFound, instanceRecall, plantedAccounts, accountsAlerted, accountRecall
        case plantedTransactions, reasonAlerts, reasonTruePositives, precision
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(typology, forKey: .typology); try c.encode(plantedInstances, forKey: .plantedInstances)
        try c.encode(instancesFound, forKey: .instancesFound); try c.encode(instanceRecall, forKey: .instanceRecall)
        try c.encode(plantedAccounts, forKey: .plantedAccounts); try c.encode(accountsAlerted, forKey: .accountsAlerted)
        try c.encode(accountRecall, forKey: .accountRecall); try c.encode(plantedTransactions, forKey: .plantedTransactions)
        try c.encode(reasonAlerts, forKey: .reasonAlerts); try c.encode(reasonTruePositives, forKey: .reasonTruePositives)
        try c.encode(precision, forKey: .precision)
    }
}

/// Precision of the first k alerts by rank.
public struct PrecisionAtK: Sendable, Equatable, Codable {
    public var k: Int
    /// min(k, alerts): a shorter list is not padded with misses.
    public var considered: Int
    public var hits: Int
    /// hits / considered; nil for an empty alert list.
    public var precision: Double?

    enum CodingKeys: String, CodingKey { case k, considered, hits, precision }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(k, forKey: .k); try c.encode(considered, forKey: .considered)
        try c.encode(hits, forKey: .hits); try c.encode(precision, forKey: .precision)
    }
}

/// The whole evaluation.
public struct DetectionReport: Sendable, Equatable, Codable {
    /// Distinct alerted entities.
    public var alerts: Int
    /// Distinct accounts in any planted instance.
    public var plantedAccounts: Int
    /// Alerted entities that are planted accounts.
    public var alertedPlanted: Int
    /// alertedPlanted / alerts; nil for an empty alert list.
    public var precision: Double?
    /// alertedPlanted / plantedAccounts; nil when nothing is planted.
    public var recall: Double?
    public var precisionAtK: [PrecisionAtK]
    /// Per typology, in the order the truth first names them.
    public var typologies: [TypologyFigures]
    public var settings: DetectionEvaluationSettings

    enum CodingKeys: String, CodingKey {
        case alerts, plantedAccounts, alertedPlanted, precision, recall, precisionAtK, typologies, settings
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alerts, forKey: .alerts); try c.encode(plantedAccounts, forKey: .plantedAccounts)
        try c.encode(alertedPlanted, forKey: .alertedPlanted); try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall); try c.encode(precisionAtK, forKey: .precisionAtK)
        try c.encode(typologies, forKey: .typologies); try c.encode(settings, forKey: .settings)
    }
}
