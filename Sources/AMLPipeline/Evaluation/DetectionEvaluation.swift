// `amlgraph evaluate`: how many planted laundering instances the alert list finds, and how
// much of the list is laundering, per typology and overall.
import Columnar
import Foundation

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

/// Why an evaluation cannot run.
public enum DetectionEvaluationError: Error, CustomStringConvertible, Equatable {
    case missingColumn(table: String, column: String, expected: String)
    case invalidSettings(String)

    public var description: String {
        switch self {
        case let .missingColumn(table, column, expected): return "\(table): no column \(column) (expected \(expected))"
        case let .invalidSettings(message): return message
        }
    }
}

/// Grades an alert list against planted ground truth, at the account level.
///
/// Ids are compared as text (an integer id 42 equals the text "42"), so integer and string
/// account ids both work. Alerts are ranked by their `rank` column when there is one, else by
/// row order; an entity listed twice counts once, at its best rank. A reason belongs to a
/// typology when it equals the typology's name or starts with the name and `_`
/// (`structuring_collector` is a structuring reason). Nothing is tuned here: an instance is
/// found at `foundShare` of its accounts, and precision counts every alerted entity outside
/// the truth as a false positive, whatever else the alert says.
/// - Complexity: O(A + T) expected time and memory for A alert rows and T truth rows, plus
///   O(A log A) to order by rank.
public enum DetectionEvaluation {
    /// - Parameters:
    ///   - alerts: the `alerts` gold table: `entity_id`, `reasons` (`|`-separated), optional `rank`.
    ///   - truthEntities: `truth_pattern_entities.csv`: `pattern_id`, `pattern_type`, `entity_id`.
    ///   - truthTransactions: optional `truth_patterns.csv` (`pattern_type` per planted txn).
    public static func evaluate(alerts: Table, truthEntities: Table, truthTransactions: Table? = nil,
                                settings: DetectionEvaluationSettings = .init()) throws -> DetectionReport {
        guard settings.foundShare > 0, settings.foundShare <= 1 else {
            throw DetectionEvaluationError.invalidSettings("found share must be in (0, 1] (got \(settings.foundShare))")
        }
        guard settings.ks.allSatisfy({ $0 > 0 }) else {
            throw DetectionEvaluationError.invalidSettings("every k must be positive (got \(settings.ks.map(String.init).joined(separator: ", ")))")
        }
        let alertIDs = try texts(alerts, "entity_id", table: "alerts", expected: "the alerted entity ids")
        let reasons = try texts(alerts, "reasons", table: "alerts", expected: "the |-separated alert reasons")
        var order = Array(alertIDs.indices)
        if alerts.columnNames.contains("rank") {
            let rankColumn = try alerts.column("rank")
            let ranks = (0..<alerts.rowCount).map { rankColumn.value(at: $0).doubleValue ?? .infinity }
            order.sort { (ranks[$0], $0) < (ranks[$1], $1) }
        }
        var ranked: [String] = []
        var reasonsOf: [String: Set<String>] = [:]
        for row in order {
            let id = alertIDs[row]
            if reasonsOf[id] == nil { ranked.append(id); reasonsOf[id] = [] }
            for r in reasons[row].split(separator: "|") {
                let name = r.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { reasonsOf[id]!.insert(name) }
            }
        }
        let alerted = Set(ranked)

        let patternIDs = try texts(truthEntities, "pattern_id", table: "truth_pattern_entities", expected: "the planted instance ids")
        let patternTypes = try texts(truthEntities, "pattern_type", table: "truth_pattern_entities", expected: "the typology names")
        let memberIDs = try texts(truthEntities, "entity_id", table: "truth_pattern_entities", expected: "the planted account ids")
        var typologyOrder: [String] = []
        var instancesOf: [String: [String]] = [:]           // typology -> pattern ids in order
        var membersOf: [String: Set<String>] = [:]          // pattern id -> accounts
        var typologyOfPattern: [String: String] = [:]
        for row in 0..<truthEntities.rowCount {
            let p = patternIDs[row], t = patternTypes[row]
            if instancesOf[t] == nil { typologyOrder.append(t); instancesOf[t] = [] }
            if membersOf[p] == nil { membersOf[p] = []; instancesOf[t]!.append(p); typologyOfPattern[p] = t }
            membersOf[p]!.insert(memberIDs[row])
        }
        let planted = Set(memberIDs)

        var plantedTransactions: [String: Int] = [:]
        if let truthTransactions {
            for t in try texts(truthTransactions, "pattern_type", table: "truth_patterns", expected: "the typology of each planted transaction") {
                plantedTransactions[t, default: 0] += 1
            }
        }

        var figures: [TypologyFigures] = []
        for t in typologyOrder {
            let instances = instancesOf[t]!
            var found = 0
            var accounts = Set<String>()
            for p in instances {
                let members = membersOf[p]!
                accounts.formUnion(members)
                let hit = members.reduce(0) { $0 + (alerted.contains($1) ? 1 : 0) }
                if Double(hit) >= settings.foundShare * Double(members.count) { found += 1 }
            }
            let accountsAlerted = accounts.reduce(0) { $0 + (alerted.contains($1) ? 1 : 0) }
            let withReason = ranked.filter { id in reasonsOf[id]!.contains { matches(reason: $0, typology: t) } }
            let truePositives = withReason.reduce(0) { $0 + (planted.contains($1) ? 1 : 0) }
            figures.append(TypologyFigures(
                typology: t, plantedInstances: instances.count, instancesFound: found,
                instanceRecall: Double(found) / Double(instances.count),
                plantedAccounts: accounts.count, accountsAlerted: accountsAlerted,
                accountRecall: Double(accountsAlerted) / Double(accounts.count),
                plantedTransactions: plantedTransactions[t] ?? 0,
                reasonAlerts: withReason.count, reasonTruePositives: truePositives,
                precision: withReason.isEmpty ? nil : Double(truePositives) / Double(withReason.count)))
        }

        let hits = ranked.reduce(0) { $0 + (planted.contains($1) ? 1 : 0) }
        let atK = settings.ks.map { k -> PrecisionAtK in
            let top = ranked.prefix(k)
            let h = top.reduce(0) { $0 + (planted.contains($1) ? 1 : 0) }
            return PrecisionAtK(k: k, considered: top.count, hits: h, precision: top.isEmpty ? nil : Double(h) / Double(top.count))
        }
        return DetectionReport(
            alerts: ranked.count, plantedAccounts: planted.count, alertedPlanted: hits,
            precision: ranked.isEmpty ? nil : Double(hits) / Double(ranked.count),
            recall: planted.isEmpty ? nil : Double(hits) / Double(planted.count),
            precisionAtK: atK, typologies: figures, settings: settings)
    }

    /// True when `reason` is named after `typology`: equal, or the name followed by `_`.
    public static func matches(reason: String, typology: String) -> Bool {
        reason == typology || reason.hasPrefix(typology + "_")
    }

    /// A column's values as text (nulls as empty text).
    static func texts(_ table: Table, _ name: String, table label: String, expected: String) throws -> [String] {
        guard table.columnNames.contains(name) else {
            throw DetectionEvaluationError.missingColumn(table: label, column: name, expected: expected)
        }
        let column = try table.column(name)
        if case let .string(a) = column.data {
            return (0..<column.count).map { column.isNull($0) ? "" : a[$0] }
        }
        return (0..<column.count).map { column.isNull($0) ? "" : column.value(at: $0).description }
    }
}
