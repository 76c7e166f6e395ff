import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar
import Foundation

extension DetectionEvaluationError: UserFacingError {}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Grade a lake's alerts against planted ground truth, per typology.",
        discussion: """
        Reads the alerts gold table of --lake (gold/alerts, or an alerts table directly
        in the folder) and --truth/truth_pattern_entities.csv (pattern_id,
        pattern_type, entity_id, role; truth_patterns.csv too when present). Prints,
        per typology: planted instances, instances found (at least half their
        accounts alerted), instance recall, account recall, and precision of the
        alerts whose reasons are named after the typology (`fan_in`, or `fan_in_...`)
        counted against every planted account; then the alert list's precision,
        recall and precision at each k. Ids compare as text, so integer and string
        ids both work.

        Examples:
          amlgraph evaluate --lake lake --truth datasets/bank
          amlgraph evaluate --lake lake --truth datasets/bank --k 20,100 --json eval.json
        """
    )

    @Option(help: "Folder of the Delta lake (its gold/alerts is read).") var lake: String
    @Option(help: "Folder with truth_pattern_entities.csv (and optionally truth_patterns.csv).") var truth: String
    @Option(help: "Comma-separated ranks for precision at k.") var k: String = "50,100,500"
    @Option(name: .customLong("found-share"), help: "Share of an instance's accounts that must be alerted for it to count as found.")
    var foundShare: Double = 0.5
    @Option(help: "Also write the figures as JSON to this file.") var json: String?

    func run() throws {
        guard let alertsPath = TableIO.find("alerts", in: lake) else {
            throw CLIError("\(lake): no alerts table (expected gold/alerts as written by `amlgraph pipeline`)")
        }
        let entitiesPath = (truth as NSString).appendingPathComponent("truth_pattern_entities.csv")
        guard FileManager.default.fileExists(atPath: entitiesPath) else {
            throw CLIError("\(entitiesPath): no such file (expected the planted accounts: pattern_id, pattern_type, entity_id, role)")
        }
        var ks: [Int] = []
        for part in k.split(separator: ",") {
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw CLIError("--k \(k): expected positive integers separated by commas")
            }
            ks.append(value)
        }
        let text: [String: DataType] = ["entity_id": .string, "pattern_id": .string, "pattern_type": .string, "reasons": .string]
        let alerts = try TableIO.read(alertsPath, types: try TableIO.presentColumns(alertsPath, text))
        let entities = try TableIO.read(entitiesPath, types: try TableIO.presentColumns(entitiesPath, text))
        let transactionsPath = (truth as NSString).appendingPathComponent("truth_patterns.csv")
        let transactions = FileManager.default.fileExists(atPath: transactionsPath)
            ? try TableIO.read(transactionsPath, columns: ["pattern_type"], types: ["pattern_type": .string]) : nil
        let report = try DetectionEvaluation.evaluate(alerts: alerts, truthEntities: entities, truthTransactions: transactions,
                                                      settings: DetectionEvaluationSettings(foundShare: foundShare, ks: ks))
        print(Self.render(report))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let file = try AtomicFileWriter(path: json)
            try file.write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
            try file.commit()
        }
    }

    static func render(_ r: DetectionReport) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
        var lines = ["typology".padding(toLength: 20, withPad: " ", startingAt: 0) + "instances  found  inst_recall  accounts  acct_recall  reason_alerts  precision"]
        for t in r.typologies {
            lines.append(t.typology.padding(toLength: 20, withPad: " ", startingAt: 0)
                + String(t.plantedInstances).leftPad(9) + String(t.instancesFound).leftPad(7) + f(t.instanceRecall).leftPad(13)
                + String(t.plantedAccounts).leftPad(10) + f(t.accountRecall).leftPad(13)
                + String(t.reasonAlerts).leftPad(15) + f(t.precision).leftPad(11))
        }
        lines.append("alerts: \(r.alerts) entities, \(r.alertedPlanted) of them planted; precision \(f(r.precision)), recall \(f(r.recall)) of \(r.plantedAccounts) planted accounts")
        lines.append("precision at k: " + r.precisionAtK.map { "@\($0.k) \(f($0.precision)) (\($0.hits)/\($0.considered))" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
