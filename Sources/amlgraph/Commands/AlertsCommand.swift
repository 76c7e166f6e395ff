import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar

struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Rank entities by every reason the scenarios raised (the alerts gold table).",
        discussion: """
        Combines the scenario outputs given (any subset) into one ranked row per entity:
        rank, entity_id, name, score, reason_count, reasons, evidence. Each distinct
        reason adds its weight once: cycle, stack, scatter_gather, gather_scatter and
        structuring 40, bipartite 35, fan_in, fan_out and synthetic identity (high) 30,
        rapid_pass_through 25, synthetic identity (medium) and behaviour anomaly 15,
        non-residential address 10, over-shared address 5, synthetic identity (low,
        with --include-low-tier) 2. --structuring raises structuring for every member
        of a mule chain, --roundtrips raises cycle. Risk (--risk) is not a reason: it
        adds up to --risk-weight points to an entity that has one. Alerts score at
        least --min-score; --top keeps the first N.

        Examples:
          amlgraph alerts --entities datasets/small/entities.csv \\
              --synthetic-identity si.csv --address-flags flags.csv --risk \\
              risk.csv --out alerts.csv
          amlgraph alerts --entities e.csv --structuring s.csv --roundtrips \\
              r.csv --out -
          amlgraph alerts --entities e.csv --typologies typ/typologies.csv \\
              --typology-accounts typ/typology_accounts.csv --top 200 --out a.csv
        """
    )

    @Option(help: "Entities table (entity_id, name).") var entities: String
    @Option(name: .customLong("synthetic-identity"), help: "synthetic_identity table.") var syntheticIdentity: String?
    @Option(help: "structuring table.") var structuring: String?
    @Option(help: "roundtrips table.") var roundtrips: String?
    @Option(help: "risk_propagation table.") var risk: String?
    @Option(name: .customLong("address-flags"), help: "address_flags table.") var addressFlags: String?
    @Option(help: "behaviour_anomaly table.") var anomaly: String?
    @Option(help: "typologies table (for the evidence txn ids).") var typologies: String?
    @Option(name: .customLong("typology-accounts"), help: "typology_accounts table.") var typologyAccounts: String?
    @Option(name: .customLong("risk-weight"), help: "Points added for the run's highest risk, proportionally below.") var riskWeight = 10.0
    @Option(name: .customLong("min-score"), help: "Alerts score at least this.") var minScore = Alerts.Options().minScore
    @Option(help: "Keep only the first N alerts (0: all).") var top = 0
    @Option(name: .customLong("anomaly-top"), help: "Anomaly ranks up to this raise an alert.") var anomalyTop = 50
    @Flag(name: .customLong("include-low-tier"), help: "Alert on low-tier synthetic identities too.") var includeLowTier = false
    @Option(help: "Output file (CSV); `-` for stdout.") var out: String
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var csv: CSVInputOptions
    @Option(name: .customLong("id-col"), help: "Entity id column of --entities (integers or strings).") var idCol = "entity_id"
    @Option(name: .customLong("name-col"), help: "Name column of --entities.") var nameCol = "name"

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        progress.stage("reading scenario outputs")
        var inputs = AlertInputs(entities: try csv.read(entities, columns: [idCol, nameCol], types: [nameCol: .string]).renaming([idCol: "entity_id", nameCol: "name"], context: entities))
        let stringy: [String: DataType] = ["source_ids": .string, "mule_ids": .string, "txn_ids": .string, "intermediary_ids": .string, "entity_ids": .string,
                                           "accounts": .string, "roles": .string, "amounts": .string]
        func load(_ path: String?) throws -> Table? {
            guard let path else { return nil }
            // Scenario outputs are amlgraph's own tables (comma-separated); --delimiter is the entities'.
            var o = TableReadOptions(types: stringy)
            o.typesForPresentColumnsOnly = true
            return try TableIO.read(path, options: o)
        }
        inputs.syntheticIdentity = try load(syntheticIdentity)
        inputs.structuring = try load(structuring)
        inputs.roundtrips = try load(roundtrips)
        inputs.risk = try load(risk)
        inputs.addressFlags = try load(addressFlags)
        inputs.typologies = try load(typologies)
        inputs.typologyAccounts = try load(typologyAccounts)
        inputs.behaviourAnomaly = try load(anomaly)
        guard [inputs.syntheticIdentity, inputs.structuring, inputs.roundtrips, inputs.addressFlags, inputs.behaviourAnomaly, inputs.typologyAccounts].contains(where: { $0 != nil }) else {
            throw CLIError("give at least one scenario output (--synthetic-identity, --structuring, --roundtrips, --typology-accounts, --address-flags, --anomaly); --risk only raises scores")
        }
        var options = Alerts.Options()
        options.riskWeight = riskWeight
        options.minScore = minScore
        options.topN = top
        options.anomalyTopRank = anomalyTop
        options.includeLowTier = includeLowTier
        progress.stage("ranking")
        let alerts = try Alerts.build(inputs, options: options)
        try TableIO.write(alerts, to: out)
        progress.finish()
        ExitReporting.printError("alerts: \(alerts.rowCount) entities raised")
    }
}
