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
        var clock = Stopwatch()
        let scorer = RobustMahalanobis(support: support, shrinkage: shrinkage)
        let result: Table
        var loadSeconds = 0.0, featureSeconds = 0.0, scoreSeconds = 0.0
        if let features {
            progress.stage("reading \(features)")
            guard FileManager.default.fileExists(atPath: features) else { throw CLIError("\(features): no such file") }
            var types: [String: DataType] = [:]
            for name in try CSVReader(path: features).schema.names { types[name] = name == "entity_id" ? .int64 : .double }
            let table = try TableIO.read(features, types: types)
            loadSeconds = clock.lap()
            progress.stage("scoring")
            result = try BehaviourAnomaly.scoreFeatures(table, scorer: scorer)
            scoreSeconds = clock.lap()
        } else {
            let txPath = transactions!, entPath = entities!
            progress.stage("reading \(txPath)")
            let tx = try TableIO.read(txPath, columns: ["originator_id", "beneficiary_id", "txn_amount", "txn_ts"],
                                      types: ["originator_id": .int64, "beneficiary_id": .int64, "txn_amount": .double, "txn_ts": .timestamp])
            let ents = try TableIO.read(entPath, columns: ["entity_id"], types: ["entity_id": .int64])
            loadSeconds = clock.lap()
            progress.stage("features")
            var options = BehaviourAnomaly.Options()
            options.threshold = threshold
            options.nearThresholdFrom = nearFrom
            options.scorer = scorer
            let (ids, x) = try BehaviourAnomaly.features(transactions: tx, entities: ents, options: options)
            featureSeconds = clock.lap()
            progress.stage("scoring")
            let scores = try scorer.scores(BehaviourAnomaly.transformed(x))
            result = BehaviourAnomaly.table(ids: ids, names: BehaviourAnomaly.featureNames, x: x, scores: scores)
            scoreSeconds = clock.lap()
        }
        progress.stage("writing \(out)")
        try TableIO.write(result, to: out)
        let writeSeconds = clock.lap()
        progress.finish()
        if let timingsJSON {
            try TableIO.writeJSON([("load_s", loadSeconds), ("features_s", featureSeconds), ("score_s", scoreSeconds),
                                   ("write_s", writeSeconds), ("total_s", clock.total)], to: timingsJSON)
        }
        ExitReporting.printError("anomaly: scored \(result.rowCount) entities")
    }
}
