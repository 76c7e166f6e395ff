import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar
import DeltaLake
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the self-contained HTML report from a lake's gold tables.",
        discussion: """
        Alerts come first: a searchable, paged queue of every alert, each linked to
        its own section with its reasons and evidence, its payments on a timeline and
        its one-hop neighbourhood. Then one section per table in --lake/gold (or, for
        a flat folder, per table in --lake other than entities, transactions and
        dedupe), plus silver/quality_metrics: each a Delta table directory, a .parquet
        or a .csv file. Entities and transactions are looked up in the lake (gold/,
        silver/, then the folder itself) unless given. The page has inline CSS, SVG
        and one small script; nothing is loaded from the network. Open it at
        report.html?q=TEXT to filter the queue, ?page=N for a page, #alert-N for an
        alert's section.

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
    @Option(name: .customLong("page-size"), help: "Alerts per page of the queue.") var pageSize = 25
    @Option(help: "Alerts whose timeline and neighbourhood are drawn, highest ranked first.") var draw = 500
    @Option(name: .customLong("table-rows"), help: "Rows shown per table section.") var tableRows = 50
    @Option(help: "Output HTML file.") var out: String
    @Flag(help: "No progress display.") var quiet = false
    @Flag(name: .customLong("show-identifiers"), help: "Show SSNs, phone numbers, emails and account numbers in full (masked like ***-**-1234 by default).") var showIdentifiers = false
    @OptionGroup var csv: CSVInputOptions
    @Option(name: .customLong("id-col"), help: "Entity id column of --entities.") var idCol = "entity_id"
    @Option(name: .customLong("name-col"), help: "Name column of --entities.") var nameCol = "name"
    @Option(name: .customLong("src-col"), help: "Originator column of --transactions.") var srcCol = "originator_id"
    @Option(name: .customLong("dst-col"), help: "Beneficiary column of --transactions.") var dstCol = "beneficiary_id"
    @Option(name: .customLong("amount-col"), help: "Amount column of --transactions.") var amountCol = "txn_amount"

    /// Inputs the pipeline keeps in silver; in a flat folder they are not gold tables.
    static let silverInputs: Set<String> = ["entities", "transactions", "dedupe"]

    func validate() throws {
        guard pageSize >= 1 else { throw ValidationError("--page-size \(pageSize): expected 1 or more") }
        guard draw >= 0 else { throw ValidationError("--draw \(draw): expected 0 or more") }
        guard tableRows >= 0 else { throw ValidationError("--table-rows \(tableRows): expected 0 or more") }
    }

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
                                       "txn_id": .string, "intermediary_ids": .string, "entity_ids": .string, "name": .string]
        // Lake tables as the last complete pipeline run left them (see `lake/runs`).
        let complete = try LakeRuns.versionsAtLastCompleteRun(lake: lake)
        func load(_ name: String, explicit: String? = nil) throws -> Table? {
            guard let path = explicit ?? TableIO.find(name, in: lake) else { return nil }
            return try read(path, explicit: explicit != nil)
        }
        func read(_ path: String, explicit: Bool) throws -> Table {
            if explicit { return try csv.read(path, types: ids) }
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
        for (name, path) in Self.tablePaths(in: lake) { inputs.set(name, try read(path, explicit: false)) }
        inputs.subtitle = "lake: \(lake)"
        inputs.masking.showInFull = showIdentifiers
        var options = AMLReport.Options()
        options.alertsPerPage = pageSize
        options.drawnAlerts = draw
        options.tableRows = tableRows
        progress.stage("rendering")
        let html = try AMLReport.html(inputs, options: options)
        let file = try AtomicFileWriter(path: out)
        try file.write(html)
        try file.commit()
        progress.finish()
        ExitReporting.printError("report: \(inputs.alerts?.rowCount ?? 0) alerts, \(inputs.tables.count) tables; wrote \(out)")
    }

    /// The lake's report tables, alerts first, then by name, then `quality_metrics`: every
    /// table in `gold/` (or in the folder itself when it has no `gold/`, minus the silver
    /// inputs), then `quality_metrics` from `silver/` if present. A Delta table directory wins
    /// over a `.parquet` file, which wins over a `.csv` of the same name.
    static func tablePaths(in lake: String) -> [(String, String)] {
        let fm = FileManager.default
        let gold = (lake as NSString).appendingPathComponent("gold")
        var isDir: ObjCBool = false
        let hasGold = fm.fileExists(atPath: gold, isDirectory: &isDir) && isDir.boolValue
        let folder = hasGold ? gold : lake
        var found: [String: (rank: Int, path: String)] = [:]
        for entry in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] where !entry.hasPrefix(".") && !entry.hasPrefix("_") {
            let path = (folder as NSString).appendingPathComponent(entry)
            let candidate: (String, Int)?
            if DeltaTable.isDeltaTable(path) {
                candidate = (entry, 0)
            } else if entry.lowercased().hasSuffix(".parquet") {
                candidate = (String(entry.dropLast(8)), 1)
            } else if entry.lowercased().hasSuffix(".csv") {
                candidate = (String(entry.dropLast(4)), 2)
            } else {
                candidate = nil
            }
            guard let (name, rank) = candidate, !name.isEmpty, hasGold || !silverInputs.contains(name) else { continue }
            if let existing = found[name], existing.rank <= rank { continue }
            found[name] = (rank, path)
        }
        var out = found.sorted { a, b in
            if (a.key == "alerts") != (b.key == "alerts") { return a.key == "alerts" }
            return a.key < b.key
        }.map { ($0.key, $0.value.path) }
        if found["quality_metrics"] == nil, let q = TableIO.find("quality_metrics", in: lake) { out.append(("quality_metrics", q)) }
        return out
    }
}
