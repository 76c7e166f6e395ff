import AMLWorkbench
import ArgumentParser
import Columnar
import EntityResolution
import Foundation
import SparkEngine

extension EntityResolutionError: UserFacingError {}

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Entity resolution: Splink-compatible Fellegi-Sunter scoring, training, blocking and clustering.",
        discussion: """
        The settings JSON uses Splink's keys: link_type (dedupe_only | link_only |
        link_and_dedupe), unique_id_column_name,
        blocking_rules_to_generate_predictions (expression language over l and r,
        e.g. "l.surname = r.surname and substr(l.dob,1,4) = substr(r.dob,1,4)"),
        comparisons, and probability_two_random_records_match. A Splink 4/5 saved
        model (save_model_to_json) is accepted as settings or --model. Comparisons
        may also be compact: {"type": "jaro_winkler", "column": "name",
        "thresholds": [0.9, 0.7], "term_frequency_adjustments": true}; types exact,
        levenshtein, damerau_levenshtein, jaro_winkler, jaro, jaccard,
        absolute_difference, percentage_difference, name, email, date_of_birth,
        postcode. Every Splink 5 comparison template loads from a saved model;
        SQL a template or CustomComparison writes is evaluated with DuckDB's
        semantics. "column_types": {"postcode": "string"} forces an input
        column's type; two inputs whose types differ are unified (text wins).

        Training (--train) reads a "training" object from the settings:
          {"deterministic_rules": [...], "recall": 0.8, "max_pairs": 1000000, "seed": 1,
           "em_blocking_rules": ["l.country = r.country", ...]}
        λ = pairs of the deterministic rules / recall / all pairs; u from every pair
        of a record sample sized for max_pairs (all records when that covers all
        pairs); m from EM under each em rule as Splink 5 runs it: u fixed, blocked
        comparisons not estimated, λ starts blocking-adjusted, floats and is
        discarded, TF adjustments in the E-step, 25 iterations or change < 1e-4,
        each level's m the median over sessions. Unobserved levels stay untrained.
        datasets/small/dedupe_settings.json is a worked organisation-dedupe example.

        Pair counts per blocking rule are printed before scoring. Each pair records
        the first rule that produced it (match_key).

        MinHash LSH blocking ("minhash": {"columns": [...], "q": 3, "num_perm": 128,
        "bands": 32, "rows": 4}) adds candidates as one more OR rule. A pair with
        Jaccard similarity s of its q-gram sets becomes a candidate with probability
        1 - (1 - s^rows)^bands (the S-curve); with 32 bands of 4 rows: s=0.3 ->
        0.23, s=0.5 -> 0.87, s=0.7 -> 1.00. Set it so true pairs sit well above the
        knee (1/bands)^(1/rows).

        Examples:
          amlgraph resolve --input datasets/small/dedupe.csv --settings \\
              org.json --train --model model.json --out pairs.csv --clusters \\
              clusters.csv
          amlgraph resolve --input a.csv --input2 b.csv --settings \\
              splink_model.json --threshold 0.95 --out pairs.csv --explain \\
              waterfall.csv

        --engine spark trains here (when --train), then blocks, scores and
        clusters on a Spark Connect server: each blocking rule a join, each
        comparison's levels a CASE over Spark SQL metrics (Jaro, Jaro-Winkler,
        Levenshtein, Damerau-Levenshtein, Jaccard on UTF-8 bytes, as here), weights
        from the trained m/u with TF adjustments; the same pairs, levels and
        clusters as the local engine. Custom-SQL levels and MinHash are refused.
        """
    )

    @Option(help: "Records (CSV).") var input: String
    @Option(help: "Second input for link_only / link_and_dedupe.") var input2: String?
    @Option(help: "Settings JSON (Splink keys) or a saved model.") var settings: String
    @OptionGroup var csv: CSVInputOptions
    @Flag(help: "Train λ, u and m as the settings' \"training\" object says.") var train = false
    @Option(help: "Model JSON: written after --train, otherwise read instead of the settings' m/u.") var model: String?
    @Option(help: "Probability threshold for clustering and for written pairs.") var threshold = 0.9
    @Flag(name: .customLong("all-pairs"), help: "Write every scored pair, not only those at or above the threshold.") var allPairs = false
    @Option(help: "Scored pairs output (CSV).") var out: String
    @Option(help: "Cluster id per record (CSV).") var clusters: String?
    @Option(help: "Per-pair waterfall (CSV) for pairs at or above the threshold.") var explain: String?
    @Option(name: .customLong("timings-json"),
            help: "Write stage timings as JSON here: load_s, train_s, predict_s (block and score), pairs, pairs_per_s, cluster_s, total_s; build_s = train_s and algo_s = predict_s + cluster_s for the bench.")
    var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var engine: EngineOptions

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        let file = try ResolutionSettings.read(path: settings)
        var fs = file.model
        if !train, let model { fs = try ResolutionSettings.parse(JSONFile.object(path: model), file: model).model }

        var clock = Stopwatch()
        progress.stage("reading \(input)")
        var table = try csv.read(input)
        var source = [UInt8](repeating: 0, count: table.rowCount)
        if let input2 {
            let t2 = try csv.read(input2)
            table = try ResolutionInputs.concatenate([table, t2], model: fs, names: [input, input2])
            source += [UInt8](repeating: 1, count: t2.rowCount)
        } else if fs.linkType != .dedupeOnly {
            throw CLIError("link_type \(fs.linkType.rawValue) needs --input2")
        }
        var resolver = try EntityResolver(model: fs, table: table, source: source)
        let loadSeconds = clock.lap()
        func log(_ line: String) { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }

        if train {
            progress.stage("training")
            try resolver.train(file.training ?? TrainingPlan(), log: log)
        }
        let trainSeconds = clock.lap()
        if train, let model { try ResolutionSettings(model: resolver.model).write(to: model) }

        progress.stage("blocking and scoring")
        _ = clock.lap()
        var clusterIDs: Column?
        var clusterSeconds = 0.0
        let prediction: Prediction
        let pairCount: Int
        var predictSeconds = 0.0
        if engine.isSpark {
            // Prediction and clusters on Spark; the pairs that come back are the kept ones.
            if file.minhash != nil { throw CLIError("MinHash LSH blocking is not available with --engine spark (use --engine local)") }
            let result = try engine.withSpark { workspace in
                try SparkResolution.run(workspace, resolver: resolver, threshold: threshold, allPairs: allPairs,
                                        cluster: clusters != nil || timingsJSON != nil)
            }
            prediction = result.prediction
            pairCount = result.pairCount
            predictSeconds = result.blockSeconds + result.scoreSeconds
            clusterSeconds = result.clusterSeconds
            _ = clock.lap()
            if let records = result.clusterRecords { clusterIDs = resolver.ids.gather(records) }
        } else {
            prediction = try resolver.predict(extra: file.minhash.map { [$0] } ?? [])
            pairCount = prediction.pairs.count
            predictSeconds = clock.lap()
        }
        for (i, (rule, n)) in prediction.ruleCounts.enumerated() { log("blocking rule \(i) (\(rule)): \(n) pairs") }
        log("blocked and scored \(pairCount) pairs\(engine.isSpark ? " on Spark" : "") in \(String(format: "%.3f", predictSeconds)) s")

        if !engine.isSpark, clusters != nil || timingsJSON != nil {
            progress.stage("clustering")
            clusterIDs = resolver.clusters(prediction, threshold: threshold)
            clusterSeconds = clock.lap()
        }
        if let timingsJSON {
            let pairs = pairCount
            try TimingsJSON.write([("load_s", loadSeconds), ("build_s", trainSeconds), ("algo_s", predictSeconds + clusterSeconds),
                                   ("train_s", trainSeconds), ("predict_s", predictSeconds), ("pairs", pairs),
                                   ("pairs_per_s", predictSeconds > 0 ? Double(pairs) / predictSeconds : 0.0),
                                   ("cluster_s", clusterSeconds),
                                   ("total_s", loadSeconds + trainSeconds + predictSeconds + clusterSeconds)], to: timingsJSON)
        }

        progress.stage("writing \(out)")
        try TableIO.write(resolver.pairsTable(prediction, threshold: allPairs ? nil : threshold), to: out)
        if let clusters, let clusterIDs {
            try TableIO.write(Table([(fs.uniqueIdColumn, resolver.ids), ("cluster_id", clusterIDs)]), to: clusters)
        }
        if let explain { try TableIO.write(resolver.explainTable(prediction, threshold: threshold), to: explain) }
    }
}
