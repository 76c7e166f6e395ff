import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar
import DeltaLake
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the self-contained HTML dashboard from a lake's gold tables.",
        discussion: """
        Looks in --lake (and its gold/ and silver/ folders) for the tables alerts,
        synthetic_identity, structuring, roundtrips, risk_propagation,
        address_flags, quality_metrics, entities and transactions, each as a Delta
        table directory, a .parquet or a .csv file. Sections whose table is missing
        say so. The page has inline CSS and SVG only: no scripts, no network.

        Examples:
          amlgraph report --lake lake --out lake/report.html
          amlgraph report --lake out/demo --transactions \\
              datasets/small/transactions.csv --entities \\
              datasets/small/entities.csv --out report.html
        """
    )

    @Option(help: "Folder holding the gold tables.") var lake: String
    @Option(help: "Transactions table (default: looked up in the lake).") var transactions: String?
    @Option(help: "Entities table (default: looked up in the lake).") var entities: String?
    @Option(name: .customLong("top-alerts"), help: "Alert rows shown.") var topAlerts = 25
    @Option(help: "Alerted entities whose neighbourhood is drawn.") var draw = 5
    @Option(help: "Output HTML file.") var out: String
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var csv: CSVInputOptions
    @Option(name: .customLong("id-col"), help: "Entity id column of --entities.") var idCol = "entity_id"
    @Option(name: .customLong("name-col"), help: "Name column of --entities.") var nameCol = "name"
    @Option(name: .customLong("src-col"), help: "Originator column of --transactions.") var srcCol = "originator_id"
    @Option(name: .customLong("dst-col"), help: "Beneficiary column of --transactions.") var dstCol = "beneficiary_id"
    @Option(name: .customLong("amount-col"), help: "Amount column of --transactions.") var amountCol = "txn_amount"

    func run() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: lake, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError("\(lake): no such folder (expected the lake written by `amlgraph pipeline`)")
        }
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        progress.stage("reading gold tables")
        let ids: [String: DataType] = ["entity_id": .string, "collector_id": .string, "beneficiary_id": .string, "origin_id": .string,
                                       "originator_id": .string, "source_ids": .string, "mule_ids": .string, "txn_ids": .string,
                                       "intermediary_ids": .string, "entity_ids": .string, "name": .string]
        // Lake tables as the last complete pipeline run left them (see `lake/runs`).
        let complete = try LakeRuns.versionsAtLastCompleteRun(lake: lake)
        func load(_ name: String, explicit: String? = nil) throws -> Table? {
            guard let path = explicit ?? TableIO.find(name, in: lake) else { return nil }
            if explicit != nil { return try csv.read(path, types: ids) }
            let key = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent + "/" + (path as NSString).lastPathComponent
            if let version = complete[key] { return try DeltaTable.read(path, version: version) }
            // The lake's own tables: --delimiter and --encoding describe --entities/--transactions only.
            var o = TableReadOptions(types: ids)
            o.typesForPresentColumnsOnly = true
            return try TableIO.read(path, options: o)
        }
        var inputs = ReportInputs()
        // Explicit tables may use the bank's column names; lake tables have the canonical ones.
        inputs.entities = try load("entities", explicit: entities).map { t in
            entities == nil ? t : try t.renaming([idCol: "entity_id", nameCol: "name"].filter { $0.key != $0.value }, context: entities!)
        }
        inputs.transactions = try load("transactions", explicit: transactions).map { t in
            transactions == nil ? t : try t.renaming([srcCol: "originator_id", dstCol: "beneficiary_id", amountCol: "txn_amount"].filter { $0.key != $0.value }, context: transactions!)
        }
        inputs.alerts = try load("alerts")
        inputs.syntheticIdentity = try load("synthetic_identity")
        inputs.structuring = try load("structuring")
        inputs.roundtrips = try load("roundtrips")
        inputs.risk = try load("risk_propagation")
        inputs.addressFlags = try load("address_flags")
        inputs.qualityMetrics = try load("quality_metrics")
        inputs.subtitle = "lake: \(lake)"
        var options = AMLReport.Options()
        options.topAlerts = topAlerts
        options.drawnNeighbourhoods = draw
        progress.stage("rendering")
        let html = try AMLReport.html(inputs, options: options)
        let file = try AtomicFileWriter(path: out)
        try file.write(html)
        try file.commit()
        progress.finish()
        let found = [inputs.alerts, inputs.syntheticIdentity, inputs.structuring, inputs.roundtrips, inputs.risk, inputs.addressFlags, inputs.qualityMetrics].compactMap { $0 }.count
        ExitReporting.printError("report: \(found) of 7 gold tables found; wrote \(out)")
    }
}
