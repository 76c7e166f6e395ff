import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar
import DeltaLake
import Foundation

extension PipelineError: UserFacingError {}
extension SettingsFileError: UserFacingError {}

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Run bronze -> silver -> gold into a Delta lake (the daily AML job).",
        discussion: """
        Bronze appends every new input file of --data once (entities*.csv,
        transactions*.csv, dedupe*.csv, .parquet, or Delta tables), keeping
        unparseable values in _rescued_data. Silver validates with the declared
        expectations (quarantine, drop or fail), de-duplicates keys and records
        quality_metrics. Gold rebuilds synthetic_identity, structuring,
        structuring_levels, roundtrips, typologies, typology_accounts,
        risk_propagation, address_flags, behaviour_anomaly and alerts as new Delta
        versions. A second run on the same
        inputs commits nothing; a failed run leaves every table at its previous
        version. Read any table at an earlier version with `amlgraph delta read
        lake/gold/alerts --version N`. A later run on a folder holding only a new
        day's files ingests them once, appends them to silver and recomputes gold
        (the tables one run over all days gives). --until silver stops after silver.

        With --config FILE (YAML or JSON, see `amlgraph config init`), the inputs
        are a bank's files as they are: paths, delimiter, encoding, timestamp format
        and zone, column names and value spellings, plus every scenario's settings,
        the alert rules and the quality gate. Every table is committed only after
        every stage succeeded; more than quality.max_quarantine_share (default 5%)
        of a table's rows quarantined stops the run before gold. Each run is a row
        of lake/runs.

        Examples:
          amlgraph pipeline --data datasets/small --lake lake
          amlgraph pipeline --config bank.yaml --lake lake
          amlgraph report --lake lake --out lake/report.html
        """
    )

    @Option(help: "Folder with the input files (canonical names and columns).") var data: String?
    @Option(help: "Pipeline config (YAML or JSON): inputs as the bank wrote them, scenario settings, alerts, quality gate.") var config: String?
    @Option(help: "Folder of the Delta lake (bronze/, silver/, gold/).") var lake: String
    @Option(name: .customLong("timings-json"),
            help: "Write each stage's seconds and peak RSS (MB) as JSON here (gold's scenarios and Delta writes as gold.<name>).")
    var timingsJSON: String?
    @Option(help: "Last stage to run: gold (default), or silver to ingest only (bronze and silver committed, gold untouched).")
    var until = "gold"
    @Option(name: .customLong("batch-bytes"),
            help: "Bytes of CSV read, validated and written per batch by bronze and silver (default 64 MiB; 0 reads each file whole).")
    var batchBytes: Int?
    @Option(name: .customLong("transaction-dedupe-model"),
            help: "A saved Splink model (JSON) for transaction_dedupe: no training, and a day's run scores only the pairs with its new payments (written by the first run when missing).")
    var transactionDedupeModel: String?
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        guard (data == nil) != (config == nil) else { throw ValidationError("give --data DIR or --config FILE (one of them)") }
        if let b = batchBytes, b < 0 { throw ValidationError("--batch-bytes must be 0 or more (got \(b))") }
        guard ["gold", "silver"].contains(until) else { throw ValidationError("--until must be gold or silver (got '\(until)')") }
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        let summary: PipelineSummary
        var options = PipelineOptions()
        options.stopAfterSilver = until == "silver"
        if let batchBytes { options.ingestBatchBytes = batchBytes }
        if let transactionDedupeModel { options.gold.transactionDedupe.modelFile = transactionDedupeModel }
        if let config {
            var settings = try PipelineConfig.read(config)
            if let transactionDedupeModel { settings.gold.transactionDedupe.modelFile = transactionDedupeModel }
            summary = try MedallionPipeline.run(config: settings, lake: lake, options: options) { progress.stage($0) }
        } else {
            let data = data!
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: data, isDirectory: &isDir), isDir.boolValue else {
                throw CLIError("\(data): no such folder (expected the input files)")
            }
            summary = try MedallionPipeline.run(data: data, lake: lake, options: options) { progress.stage($0) }
        }
        progress.finish()
        for notice in summary.notices { ExitReporting.printError("note: \(notice)") }
        if let timingsJSON { try writeTimings(summary, to: timingsJSON) }
        if summary.isNoOp {
            ExitReporting.printError("pipeline: inputs already processed (\(summary.alreadyIngested.joined(separator: ", "))); nothing to commit")
            return
        }
        var lines = ["pipeline: ingested \(summary.ingested.isEmpty ? "nothing new" : summary.ingested.joined(separator: ", "))"]
        for t in summary.tables {
            lines.append("  \(t.table.padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(t.rows).leftPad(9)) rows  \(t.version.map { "version \($0)" } ?? "up to date")")
        }
        let quarantined = summary.quarantined.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("  quarantined: \(quarantined.isEmpty ? "none" : quarantined); alerts: \(summary.alerts)")
        lines.append("  stages: " + summary.stageSeconds.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", "))
        print(lines.joined(separator: "\n"))
    }

    /// `<stage>_s` and `<stage>_peak_rss_mb` per stage and sub-stage in run order, then the
    /// run's `total_s` (the top-level stages' sum), `peak_rss_mb` (their largest peak: the
    /// process's, which wait4 may under-report after the per-stage resets) and
    /// `peak_rss_method` (`clear_refs`: each stage's own peak; `getrusage_maxrss`: the process's
    /// peak so far, where /proc/self/clear_refs is unavailable).
    func writeTimings(_ summary: PipelineSummary, to path: String) throws {
        var values: [(String, Any)] = []
        for s in summary.stages { values += [("\(s.stage)_s", s.seconds), ("\(s.stage)_peak_rss_mb", s.peakRSSMB)] }
        let top = summary.stages.filter { !$0.isSubstage }
        values += [("total_s", top.reduce(0) { $0 + $1.seconds }), ("peak_rss_mb", top.map(\.peakRSSMB).max() ?? 0),
                   ("peak_rss_method", summary.peakMemoryMethod.rawValue)]
        try TimingsJSON.write(values, to: path)
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
