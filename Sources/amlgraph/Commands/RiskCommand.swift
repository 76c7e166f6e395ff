import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar
import PropertyGraph
import SparkEngine

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Propagate risk from risky entities to the ones they pay (Pregel).",
        discussion: """
        --rule accelerator: each payment sends src.risk_score / 2; risk_score becomes
          base + sum of messages where any arrived, otherwise stays (the
          accelerator's rule).
        --rule weighted: a sender passes decay * risk * amount / its total
          outflow along each payment; propagated scores are bounded by --cap
          (0: the largest base risk).
        Only seeds (base risk > 0 and >= --seed-threshold) start with risk, and
        no entity ends below its own base risk: a KYC score of 80 stays 80.
        Output: entity_id, base_risk, risk_score, hops_from_seed, top_contributors
        (with --history also risk_score_0..n).

        Examples:
          amlgraph risk --transactions datasets/small/transactions.csv \\
              --entities datasets/small/entities.csv --out risk.csv
          amlgraph risk --transactions t.csv --entities e.csv --rule weighted \\
              --max-iter 10 --history --out -
          amlgraph risk --transactions t.parquet --entities e.parquet --engine spark \\
              --spark-remote sc://localhost:15002 --out risk.parquet
        """
    )

    enum Rule: String, ExpressibleByArgument, CaseIterable { case accelerator, weighted }

    @Option(help: "Transactions (edges) table.") var transactions: String
    @Option(help: "Entities (vertices) table with the base risk column.") var entities: String
    @Option(help: "accelerator or weighted.") var rule: Rule = .accelerator
    @Option(name: .customLong("max-iter"), help: "Supersteps.") var maxIter = 3
    @Option(help: "Weighted rule: share passed on per hop.") var decay = 0.5
    @Option(help: "Weighted rule: upper bound of a propagated score (0: the largest base risk). A score never drops below its own base risk.") var cap = 0.0
    @Option(name: .customLong("seed-threshold"), help: "Entities with base risk at least this (and above 0) seed the propagation.") var seedThreshold = 0.0
    @Option(name: .customLong("src-col")) var srcCol = "originator_id"
    @Option(name: .customLong("dst-col")) var dstCol = "beneficiary_id"
    @Option(name: .customLong("id-col")) var idCol = "entity_id"
    @Option(name: .customLong("risk-col"), help: "Base risk column of the entities.") var riskCol = "risk_score"
    @Option(name: .customLong("amount-col"), help: "Amount column (weighted rule).") var amountCol = "txn_amount"
    @Flag(help: "Add one column per round (risk_score_0..n).") var history = false
    @Flag(name: .customLong("drop-dangling"), help: "Drop payments to or from unknown entities.") var dropDangling = false
    @OptionGroup var csv: CSVInputOptions
    @Option(help: "Output file; `-` for stdout.") var out: String
    @Option(help: "Output format: csv, parquet or delta (default: by what --out looks like).") var format: String?
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var engine: EngineOptions

    func validate() throws {
        guard maxIter >= 0 else { throw ValidationError("--max-iter must be 0 or more") }
        guard decay >= 0, decay <= 1 else { throw ValidationError("--decay must be within [0, 1]") }
        guard cap >= 0, cap.isFinite else { throw ValidationError("--cap must be a finite number ≥ 0, got \(cap)") }
        guard seedThreshold >= 0, seedThreshold.isFinite else { throw ValidationError("--seed-threshold must be a finite number ≥ 0, got \(seedThreshold)") }
    }

    func run() throws {
        if engine.isSpark { return try runOnSpark() }
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        var source = GraphSource(edges: transactions, vertices: entities, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDangling: dropDangling)
        source.read = try csv.readOptions()
        let loaded = try PaymentGraphLoader.load(source, edgeColumns: rule == .weighted ? [amountCol] : [], vertexColumns: [riskCol],
                                                 vertexTypes: [riskCol: .double], adjacency: false, progress: progress.stage)
        let graph = loaded.graph
        let loadSeconds = loaded.loadSeconds
        _ = clock.lap()
        let riskColumn = try graph.vertexProperties.column(riskCol)
        let base = (0..<riskColumn.count).map { riskColumn.value(at: $0).doubleValue ?? 0 }
        var amounts: [Double]?
        if rule == .weighted {
            let c = try graph.edgeProperties.column(amountCol)
            amounts = (0..<c.count).map { c.value(at: $0).doubleValue ?? 0 }
        }
        graph.prepareAdjacency()
        let buildSeconds = loaded.buildSeconds + clock.lap()
        progress.stage("propagating (\(maxIter) supersteps)")
        let chosen: RiskRule = rule == .accelerator ? .accelerator : .weighted(decay: decay, cap: cap)
        let result = try RiskPropagation.run(graph: graph, baseRisk: base, rule: chosen, maxIterations: maxIter, amounts: amounts,
                                              seedThreshold: seedThreshold)
        let algoSeconds = clock.lap()
        progress.stage("writing \(out)")
        var table = try result.table()
        if history {
            let h = try result.historyTable()
            for (f, c) in zip(h.schema.fields, h.columns) where f.name != "entity_id" { table = try table.adding(f.name, c) }
        }
        try TableIO.write(table, to: out, format: TableFormat.parse(format))
        let writeSeconds = clock.lap()
        progress.finish()
        let reached = result.hopsFromSeed.filter { ($0 ?? 0) > 0 }.count
        let seeds = base.filter { $0 > 0 && $0 >= seedThreshold }.count
        ExitReporting.printError("risk: \(seeds) seed(s), \(reached) entities reached, max score \(formatDouble(result.scores.max() ?? 0))")
        if let timingsJSON {
            // algo_s is the Pregel supersteps (what a peer computing the same rule does); the gold
            // table's extra columns (hops from seeds, top contributors) are reported apart.
            try TimingsJSON.write([("load_s", loadSeconds), ("build_s", buildSeconds), ("algo_s", result.pregelSeconds),
                                   ("report_columns_s", algoSeconds - result.pregelSeconds), ("write_s", writeSeconds), ("total_s", clock.total)], to: timingsJSON)
        }
    }

    /// The same propagation as Spark plans (supersteps as joins and aggregations).
    func runOnSpark() throws {
        var clock = Stopwatch()
        var source = GraphSource(edges: transactions, vertices: entities, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDangling: dropDangling)
        source.read = try csv.readOptions()
        var options = SparkRiskOptions()
        options.rule = rule == .accelerator ? .accelerator : .weighted(decay: decay, cap: cap)
        options.maxIterations = maxIter
        options.seedThreshold = seedThreshold
        options.riskColumn = riskCol
        options.amountColumn = amountCol
        options.history = history
        let result = try engine.withSpark { try SparkRiskPropagation.run($0, source: source, options: options) }
        let table = result.table
        let algoSeconds = clock.lap()
        try TableIO.write(table, to: out, format: TableFormat.parse(format))
        let writeSeconds = clock.lap()
        let scores = try table.column("risk_score"), hops = try table.column("hops_from_seed")
        let reached = (0..<hops.count).filter { (hops.value(at: $0).intValue ?? 0) > 0 }.count
        let maxScore = (0..<scores.count).compactMap { scores.value(at: $0).doubleValue }.max() ?? 0
        ExitReporting.printError("risk (spark): \(reached) entities reached, max score \(formatDouble(maxScore))")
        if let timingsJSON {
            // algo_s: the supersteps alone, as for the local engine; the rest is staging and report columns.
            try TimingsJSON.write([("load_s", result.prepareSeconds), ("algo_s", result.superstepSeconds), ("report_columns_s", result.reportSeconds),
                                   ("spark_s", algoSeconds), ("write_s", writeSeconds), ("total_s", clock.total)], to: timingsJSON)
        }
    }
}
