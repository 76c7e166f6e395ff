import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar
import Foundation
import Matrix

struct AnomalyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomaly",
        abstract: "Score each entity's transaction behaviour by a robust Mahalanobis distance (behaviour_anomaly).",
        discussion: """
        Computes fourteen behaviour features per entity (in/out degree, in/out amount
        sum, mean and max, distinct counterparties, share of amounts just under the
        10,000 reporting threshold, velocity, active days and rapid forwards; no
        detector's findings are inputs, so the score is behaviour only),
        robustly standardises them (median/MAD), estimates a shrunk MCD-style
        covariance and writes the upper-tail Mahalanobis distance as `score` with
        `rank` 1 for the most unusual entity.

        With --features instead of --transactions/--entities, scores a table of
        precomputed numeric features (entity_id plus feature columns, used as
        given).

        Examples:
          amlgraph anomaly --transactions datasets/small/transactions.csv \\
              --entities datasets/small/entities.csv --out \\
              behaviour_anomaly.csv
          amlgraph anomaly --features features.csv --out scores.csv \\
              --timings-json t.json
        """
    )

    @Option(help: "Transactions table (CSV: originator_id, beneficiary_id, txn_amount, txn_ts).") var transactions: String?
    @Option(help: "Entities table (CSV with entity_id).") var entities: String?
    @Option(help: "Score precomputed features instead (entity_id + numeric columns).") var features: String?
    @Option(help: "Output file (CSV); `-` for stdout.") var out: String
    @OptionGroup var csv: CSVInputOptions
    @Option(name: .customLong("id-col"), help: "Entity id column (integers or strings).") var idCol = "entity_id"
    @Option(name: .customLong("src-col"), help: "Originator column of the transactions.") var srcCol = "originator_id"
    @Option(name: .customLong("dst-col"), help: "Beneficiary column of the transactions.") var dstCol = "beneficiary_id"
    @Option(name: .customLong("amount-col"), help: "Amount column of the transactions.") var amountCol = "txn_amount"
    @Option(name: .customLong("time-col"), help: "Timestamp column of the transactions.") var timeCol = "txn_ts"
    @Option(name: .customLong("near-threshold-from"), help: "Lower end of the just-under-threshold amount band.") var nearFrom = 8_000.0
    @Option(help: "Reporting threshold.") var threshold = 10_000.0
    @Option(help: "Fraction of entities in the covariance subset (0.5...1).") var support = 0.75
    @Option(help: "Shrinkage of the covariance towards the identity (0...1).") var shrinkage = 0.2
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        if features == nil && (transactions == nil || entities == nil) {
            throw ValidationError("give --transactions and --entities, or --features")
        }
        guard support >= 0.5 && support <= 1 else { throw ValidationError("--support must be in 0.5...1, got \(support)") }
        guard shrinkage > 0 && shrinkage <= 1 else { throw ValidationError("--shrinkage must be in (0, 1], got \(shrinkage)") }
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        let job = TimedJob(progress: progress.stage)
        let scorer = RobustMahalanobis(support: support, shrinkage: shrinkage)
        let result: Table
        if let features {
            let read = try csv.readOptions()
            let table = try job.stage("reading \(features)", key: "load_s") { () throws -> Table in
                var o = read
                // Every feature is a number; the id keeps its own type.
                for name in try TableIO.schema(features, options: read).names where name != "entity_id" { o.types[name] = .double }
                return try TableIO.read(features, options: o)
            }
            result = try job.stage("scoring", key: "score_s") { try BehaviourAnomaly.scoreFeatures(table, scorer: scorer) }
        } else {
            let (tx, ents) = try job.stage("reading inputs", key: "load_s") { () throws -> (Table, Table) in
                (try csv.read(transactions!, columns: [srcCol, dstCol, amountCol, timeCol], types: [amountCol: .double, timeCol: .timestamp]),
                 try csv.read(entities!, columns: [idCol]))
            }
            var options = BehaviourAnomaly.Options()
            options.threshold = threshold
            options.nearThresholdFrom = nearFrom
            options.scorer = scorer
            result = try job.stage("features and scoring", key: "algo_s") {
                var columns = TransactionColumns()
                columns.originator = srcCol
                columns.beneficiary = dstCol
                columns.amount = amountCol
                columns.timestamp = timeCol
                return try BehaviourAnomaly.detect(transactions: tx, entities: ents, entityID: idCol, columns: columns, options: options)
            }
        }
        try job.stage("writing \(out)", key: "write_s") { try TableIO.write(result, to: out) }
        progress.finish()
        if let timingsJSON { try job.writeJSON(to: timingsJSON) }
        ExitReporting.printError("anomaly: scored \(result.rowCount) entities")
    }
}
