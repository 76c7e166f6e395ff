import ArgumentParser
import Columnar
import EntityResolution
import Foundation

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
        absolute_difference, name, email, date_of_birth.

        Training (--train) reads a "training" object from the settings:
          {"deterministic_rules": [...], "recall": 0.8, "max_pairs": 1000000, "seed": 1,
           "em_blocking_rules": ["l.country = r.country", ...]}
        λ = pairs of the deterministic rules / recall / all pairs; u from max_pairs
        random pairs; m from EM under each em rule (u fixed, blocked comparisons not
        estimated, λ floated then discarded; 25 iterations or change < 1e-4).

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
        """
    )

    @Option(help: "Records (CSV).") var input: String
    @Option(help: "Second input for link_only / link_and_dedupe.") var input2: String?
    @Option(help: "Settings JSON (Splink keys) or a saved model.") var settings: String
    @Flag(help: "Train λ, u and m as the settings' \"training\" object says.") var train = false
    @Option(help: "Model JSON: written after --train, otherwise read instead of the settings' m/u.") var model: String?
    @Option(help: "Probability threshold for clustering and for written pairs.") var threshold = 0.9
    @Flag(name: .customLong("all-pairs"), help: "Write every scored pair, not only those at or above the threshold.") var allPairs = false
    @Option(help: "Scored pairs output (CSV).") var out: String
    @Option(help: "Cluster id per record (CSV).") var clusters: String?
    @Option(help: "Per-pair waterfall (CSV) for pairs at or above the threshold.") var explain: String?
    @Flag(help: "No progress display.") var quiet = false

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        let data = try Data(contentsOf: URL(fileURLWithPath: settings))
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw CLIError("\(settings): expected a JSON object") }
        var fs = try SplinkModelJSON.parse(obj, file: settings)
        if !train, let model { fs = try SplinkModelJSON.read(path: model) }

        progress.stage("reading \(input)")
        var table = try TableIO.read(input)
        var source = [UInt8](repeating: 0, count: table.rowCount)
        if let input2 {
            let t2 = try TableIO.read(input2)
            table = try Table.concatenate([table, t2])
            source += [UInt8](repeating: 1, count: t2.rowCount)
        } else if fs.linkType != .dedupeOnly {
            throw CLIError("link_type \(fs.linkType.rawValue) needs --input2")
        }
        let ids = try table.column(fs.uniqueIdColumn)
        let order = Blocker.order(ids: ids, source: source, linkType: fs.linkType)
        let scorerForTraining = try Scorer(model: fs, table: table)

        if train {
            let t = obj["training"] as? [String: Any] ?? [:]
            let recall = (t["recall"] as? NSNumber)?.doubleValue ?? 1
            if let det = t["deterministic_rules"] as? [String], !det.isEmpty {
                progress.stage("estimating λ")
                let (p, _) = try Blocker(rules: det.map(BlockingRule.init)).pairs(table, order: order, source: source, linkType: fs.linkType)
                fs.lambda = estimateLambda(pairCount: p.count, recall: recall, recordCount: table.rowCount,
                                           rightCount: input2 == nil ? nil : source.filter { $0 == 1 }.count, linkType: fs.linkType)
                FileHandle.standardError.write("λ = \(fs.lambda) from \(p.count) deterministic pairs, recall \(recall)\n".data(using: .utf8)!)
            }
            progress.stage("estimating u")
            estimateU(model: &fs, scorer: scorerForTraining, recordCount: table.rowCount, source: source,
                      maxPairs: (t["max_pairs"] as? NSNumber)?.intValue ?? 1_000_000, seed: UInt64((t["seed"] as? NSNumber)?.intValue ?? 1))
            var sessions: [[[Double]?]] = []
            for rule in t["em_blocking_rules"] as? [String] ?? [] {
                progress.stage("EM under \(rule)")
                let br = try BlockingRule(rule)
                let (p, _) = try Blocker(rules: [br]).pairs(table, order: order, source: source, linkType: fs.linkType)
                let scorer = try Scorer(model: fs, table: table)
                let blockedCols = Set(br.expression.columnReferences.map(\.name))
                let skip = Set(fs.comparisons.indices.filter { blockedCols.contains(fs.comparisons[$0].column) })
                let r = expectationMaximisation(model: fs, levels: scorer.levels(p), skip: skip)
                FileHandle.standardError.write("EM '\(rule)': \(p.count) pairs, \(r.iterations) iterations\n".data(using: .utf8)!)
                sessions.append(r.m)
            }
            applyEMSessions(sessions, to: &fs)
            if let model { try SplinkModelJSON.write(fs, to: model) }
        }

        progress.stage("blocking")
        let rules = try fs.blockingRules.map(BlockingRule.init)
        var extra: [(name: String, pairs: (Table) throws -> [(Int32, Int32)])] = []
        if let mh = obj["minhash"] as? [String: Any] {
            let lsh = MinHashLSH(columns: mh["columns"] as? [String] ?? [], q: mh["q"] as? Int ?? 3, numPerm: mh["num_perm"] as? Int ?? 128,
                                 bands: mh["bands"] as? Int, rows: mh["rows"] as? Int, threshold: (mh["threshold"] as? NSNumber)?.doubleValue ?? 0.5,
                                 seed: UInt64(mh["seed"] as? Int ?? 1))
            extra.append((name: lsh.name, pairs: { try lsh.candidates($0) }))
        }
        let (pairs, counts) = try Blocker(rules: rules, extra: extra).pairs(table, order: order, source: source, linkType: fs.linkType)
        for (i, (rule, n)) in counts.enumerated() {
            FileHandle.standardError.write("blocking rule \(i) (\(rule)): \(n) pairs\n".data(using: .utf8)!)
        }
        progress.stage("scoring \(pairs.count) pairs")
        var clock = Stopwatch()
        let scorer = try Scorer(model: fs, table: table)
        let scored = scorer.score(pairs)
        let secs = clock.lap()
        FileHandle.standardError.write("scored \(pairs.count) pairs in \(String(format: "%.3f", secs)) s\n".data(using: .utf8)!)

        progress.stage("writing \(out)")
        var keep: [Int] = []
        for p in 0..<pairs.count where allPairs || scored.matchProbability[p] >= threshold { keep.append(p) }
        let idL = ids.gather(keep.map { Int(pairs.left[$0]) }), idR = ids.gather(keep.map { Int(pairs.right[$0]) })
        var cols: [(String, Column)] = [
            ("match_weight", .double(keep.map { scored.matchWeight[$0] })),
            ("match_probability", .double(keep.map { scored.matchProbability[$0] })),
            (fs.uniqueIdColumn + "_l", idL), (fs.uniqueIdColumn + "_r", idR),
        ]
        if input2 != nil {
            cols.append(("source_dataset_l", .int64(keep.map { Int64(source[Int(pairs.left[$0])]) })))
            cols.append(("source_dataset_r", .int64(keep.map { Int64(source[Int(pairs.right[$0])]) })))
        }
        for (c, cmp) in fs.comparisons.enumerated() {
            cols.append(("gamma_" + cmp.column, .int64(keep.map { Int64(cmp.gamma(Int(scored.levels[c][$0]))) })))
        }
        cols.append(("match_key", .int64(keep.map { Int64(pairs.matchKey[$0]) })))
        try TableIO.write(Table(cols), to: out)

        if let clusters {
            progress.stage("clustering")
            let cl = clusterPairs(recordCount: table.rowCount, pairs: pairs, probability: scored.matchProbability, threshold: threshold)
            let rep = ids.gather(cl)
            try TableIO.write(Table([(fs.uniqueIdColumn, ids), ("cluster_id", rep)]), to: clusters)
        }
        if let explain {
            var a: [Value] = [], b: [Value] = [], term: [String] = [], level: [String] = [], m: [Double?] = [], u: [Double?] = [], w: [Double] = [], tf: [Double] = []
            for p in keep {
                let i = Int(pairs.left[p]), j = Int(pairs.right[p])
                for row in scorer.explain(i, j) {
                    a.append(ids.value(at: i)); b.append(ids.value(at: j)); term.append(row.term); level.append(row.level)
                    m.append(row.m); u.append(row.u); w.append(row.weight); tf.append(row.tf)
                }
            }
            func opt(_ x: [Double?]) throws -> Column { try Column(type: .double, values: x.map { $0.map(Value.double) ?? .null }) }
            try TableIO.write(Table([
                (fs.uniqueIdColumn + "_l", try Column(type: ids.type, values: a)), (fs.uniqueIdColumn + "_r", try Column(type: ids.type, values: b)),
                ("term", .string(term)), ("level", .string(level)), ("m", try opt(m)), ("u", try opt(u)),
                ("weight", .double(w)), ("tf_adjustment", .double(tf)),
            ]), to: explain)
        }
    }
}
