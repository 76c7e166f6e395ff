// `amlgraph evaluate`: how many planted laundering instances the alert list finds, and how
// much of the list is laundering, per typology and overall.
import Columnar
import Foundation

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
