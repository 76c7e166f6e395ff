import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar
import GraphAlgorithms
import PropertyGraph
import SparkEngine

extension StructuringError: UserFacingError {}

/// Loads transactions (and optionally entities) as a payment graph for the scenarios.
struct ScenarioGraphOptions: ParsableArguments {
    @Option(help: "Transactions table (CSV).") var transactions: String
    @Option(help: "Entities table (CSV), for names and isolated entities.") var entities: String?
    @Option(name: .customLong("src-col"), help: "Originator column.") var srcCol = "originator_id"
    @Option(name: .customLong("dst-col"), help: "Beneficiary column.") var dstCol = "beneficiary_id"
    @Option(name: .customLong("id-col"), help: "Entity id column.") var idCol = "entity_id"
    @Flag(name: .customLong("drop-dangling"), help: "Drop payments to or from unknown entities.") var dropDangling = false
    @OptionGroup var csv: CSVInputOptions

    /// Where the payment graph comes from, as both engines read it.
    func source() throws -> GraphSource {
        var source = GraphSource(edges: transactions, vertices: entities, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDangling: dropDangling)
        source.read = try csv.readOptions()
        return source
    }

    func load() throws -> PropertyGraph {
        try PaymentGraphLoader.load(try source()).graph
    }
}

struct StructuringCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "structuring",
        abstract: "Structuring (smurfing): sub-threshold chains converging on a collector who forwards the aggregate.",
        discussion: """
        Finds chains a -> b -> c under the threshold, then c -> g, with distinct
        parties, time moving forward (e1 < e2 < e6) inside --window, at least two
        chains with distinct sources and mules per forwarding payment, their total
        over the threshold, and the forwarding payment carrying at least
        --forward-share of that total. One row per (collector, beneficiary): chains,
        total, txn ids, time span, l0..l3 names.

        --accelerator-compatible instead reproduces the accelerator's rule (the motif
        (a)-[e1]->(b); (b)-[e2]->(c); (d)-[e3]->(f); (f)-[e5]->(c); (c)-[e6]->(g)
        self-joined on g, pairs with e6 amounts summing over the threshold, counted
        not materialised).

        Examples:
          amlgraph structuring --transactions datasets/small/transactions.csv \\
              --entities datasets/small/entities.csv --out structuring.csv
          amlgraph structuring --transactions t.csv --threshold 3000 --window \\
              3d --levels-out structuring_levels.csv --out s.csv
          amlgraph structuring --transactions t.parquet --entities e.parquet \\
              --engine spark --spark-remote sc://localhost:15002 --out s.csv
        """
    )

    @OptionGroup var graphOptions: ScenarioGraphOptions
    @Option(help: "Per-transaction reporting threshold.") var threshold = 10_000.0
    @Option(help: "Each chain and its forwarding payment lie within this span.") var window = "7d"
    @Option(name: .customLong("forward-share"), help: "The forwarding payment carries at least this share of the chains' total (0 disables).") var forwardShare = 0.8
    @Option(name: .customLong("amount-col")) var amountCol = "txn_amount"
    @Option(name: .customLong("time-col")) var timeCol = "txn_ts"
    @Option(name: .customLong("txn-id-col")) var txnIDCol = "txn_id"
    @Option(name: .customLong("name-col")) var nameCol = "name"
    @Flag(name: .customLong("accelerator-compatible"), help: "Reproduce the accelerator's motif and self-join rule.") var accelerator = false
    @Option(name: .customLong("levels-out"), help: "Also write structuring_levels (one row per chain) here.") var levelsOut: String?
    @Option(help: "Output file; `-` for stdout.") var out: String
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var engine: EngineOptions

    func validate() throws {
        guard threshold >= 0, threshold.isFinite else { throw ValidationError("--threshold must be a finite number ≥ 0, got \(threshold)") }
        guard (0...1).contains(forwardShare) else { throw ValidationError("--forward-share must be in [0, 1], got \(forwardShare)") }
    }

    func run() throws {
        if engine.isSpark { return try runOnSpark() }
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        progress.stage("loading")
        let graph = try graphOptions.load()
        let loadSeconds = clock.lap()
        progress.stage("detecting")
        let report = try Structuring.report(graph, config: try config(), acceleratorRule: accelerator)
        let algoSeconds = clock.lap()
        try TableIO.write(report.alerts, to: out)
        if let levelsOut, let levels = report.levels { try TableIO.write(levels, to: levelsOut) }
        progress.finish()
        ExitReporting.printError(report.summary)
        if let timingsJSON {
            try TimingsJSON.write([("load_s", loadSeconds), ("algo_s", algoSeconds), ("total_s", clock.total), ("rows", report.alerts.rowCount),
                                   ("vertices", graph.vertexCount), ("edges", graph.edgeCount)], to: timingsJSON)
        }
    }

    /// The detector's settings from the options (both engines).
    func config() throws -> StructuringConfig {
        var config = StructuringConfig()
        config.threshold = threshold
        config.window = try ScenarioDuration.micros(window, option: "--window")
        config.forwardShare = forwardShare
        config.amountColumn = amountCol
        config.timeColumn = timeCol
        config.txnIDColumn = txnIDCol
        config.nameColumn = nameCol
        return config
    }

    /// The chain search as a join on Spark (`SparkStructuring`); the same tables as locally.
    func runOnSpark() throws {
        guard !accelerator else { throw CLIError("--accelerator-compatible is not available with --engine spark") }
        var clock = Stopwatch()
        let source = try graphOptions.source()
        let options = try config()
        let result = try engine.withSpark { try SparkStructuring.run($0, source: source, options: options) }
        let algoSeconds = clock.lap()
        try TableIO.write(result.alerts, to: out)
        if let levelsOut { try TableIO.write(result.levels, to: levelsOut) }
        ExitReporting.printError("structuring (spark): \(result.alerts.rowCount) (collector, beneficiary) pair(s), \(result.levels.rowCount) chain(s)")
        if let timingsJSON {
            try TimingsJSON.write([("algo_s", algoSeconds), ("total_s", clock.total), ("rows", result.alerts.rowCount)], to: timingsJSON)
        }
    }
}

struct RoundTripsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roundtrips",
        abstract: "Round trips: money leaves an entity and returns through distinct intermediaries, in time order.",
        discussion: """
        Finds cycles (v0)-[e1]->(v1); ...; (v{n-1})-[en]->(v0) with distinct
        vertices, e1 < e2 < ... < en in time and all hops inside --window. Each
        cycle is reported once, from its origin, with the intermediaries, the
        amounts and the time span.

        Examples:
          amlgraph roundtrips --transactions datasets/small/transactions.csv \\
              --entities datasets/small/entities.csv --out roundtrips.csv
          amlgraph roundtrips --transactions t.csv --length 3 --window 2d \\
              --out r.csv
          amlgraph roundtrips --transactions t.csv --entities e.csv --engine spark \\
              --spark-remote sc://localhost:15002 --out r.csv
        """
    )

    @OptionGroup var graphOptions: ScenarioGraphOptions
    @Option(help: "Hops in the cycle (2 to 6).") var length = 4
    @Option(help: "All hops lie within this span.") var window = "7d"
    @Option(name: .customLong("min-amount"), help: "Ignore hops below this amount.") var minAmount = 0.0
    @Option(name: .customLong("amount-col")) var amountCol = "txn_amount"
    @Option(name: .customLong("time-col")) var timeCol = "txn_ts"
    @Option(name: .customLong("txn-id-col")) var txnIDCol = "txn_id"
    @Option(name: .customLong("name-col")) var nameCol = "name"
    @Option(help: "Output file; `-` for stdout.") var out: String
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var engine: EngineOptions

    func validate() throws {
        guard (2...6).contains(length) else { throw ValidationError("--length must be 2 to 6") }
        guard minAmount >= 0, minAmount.isFinite else { throw ValidationError("--min-amount must be a finite number ≥ 0, got \(minAmount)") }
    }

    func run() throws {
        if engine.isSpark { return try runOnSpark() }
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        progress.stage("loading")
        let graph = try graphOptions.load()
        let loadSeconds = clock.lap()
        let config = try self.config()
        progress.stage("detecting")
        let trips = try RoundTrips.detect(graph, config: config)
        let algoSeconds = clock.lap()
        try TableIO.write(try RoundTrips.table(trips, graph: graph, config: config), to: out)
        progress.finish()
        ExitReporting.printError("roundtrips: \(trips.count) cycle(s) of \(length) hops")
        if let timingsJSON {
            try TimingsJSON.write([("load_s", loadSeconds), ("algo_s", algoSeconds), ("total_s", clock.total), ("rows", trips.count)], to: timingsJSON)
        }
    }

    /// The search's settings from the options (both engines).
    func config() throws -> RoundTripConfig {
        var config = RoundTripConfig()
        config.length = length
        config.window = try ScenarioDuration.micros(window, option: "--window")
        config.minAmount = minAmount
        config.amountColumn = amountCol
        config.timeColumn = timeCol
        config.txnIDColumn = txnIDCol
        config.nameColumn = nameCol
        return config
    }

    /// The same search as self-joins on Spark.
    func runOnSpark() throws {
        var clock = Stopwatch()
        let source = try graphOptions.source()
        let options = try config()
        let table = try engine.withSpark { try SparkRoundTrips.run($0, source: source, options: options) }
        let algoSeconds = clock.lap()
        try TableIO.write(table, to: out)
        ExitReporting.printError("roundtrips (spark): \(table.rowCount) cycle(s) of \(length) hops")
        if let timingsJSON {
            try TimingsJSON.write([("algo_s", algoSeconds), ("total_s", clock.total), ("rows", table.rowCount)], to: timingsJSON)
        }
    }
}
