import AMLWorkbench
import ArgumentParser
import Columnar
import GraphAlgorithms
import PropertyGraph
import SparkEngine

struct PregelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pregel",
        abstract: "Run a vertex program written as expressions (GraphFrames Pregel semantics).",
        discussion: """
        The state column starts as --init (read from vertex columns). In every round
        each edge evaluates --send-to-dst (and/or --send-to-src), which can read
        src.*, dst.* (vertex columns, including the state column) and edge.* or e.*
        (edge columns); a null result sends nothing. Messages are combined per
        vertex with --agg, and every vertex then takes --update, which reads vertex
        columns, the state column and msg (null where nothing arrived). Sums are in
        edge order, so results do not depend on thread count. Output: the vertices
        table plus the state column (with --history also one column per round,
        NAME_0..NAME_n).

        Examples:
          amlgraph pregel --edges edges.csv --vertices vertices.csv --column \\
              risk_score --init risk --update \\
              "coalesce(msg + risk, risk_score)" --send-to-dst \\
              "src.risk_score / 2" --agg sum --max-iter 3 --history --out \\
              risk.csv
          amlgraph pregel --edges t.csv --vertices e.csv --src-col \\
              originator_id --dst-col beneficiary_id --id-col entity_id \\
              --column reach --init \\
              "case when risk_score > 0 then 1 else 0 end" --send-to-dst \\
              "if(src.reach > 0, 1, null)" --agg max --update \\
              "coalesce(greatest(msg, reach), reach)" --max-iter 10 \\
              --early-stopping --out reach.csv

        With --engine spark each superstep is a join and an aggregation on a Spark
        Connect server (expressions translated to Spark SQL; Parquet checkpoints).
        """
    )

    @Option(help: "Edges table (CSV).") var edges: String
    @Option(help: "Vertices table (CSV).") var vertices: String
    @Option(help: "Name of the state column.") var column: String
    @Option(help: "Initial state (expression over vertex columns).") var `init`: String
    @Option(help: "New state from vertex columns, the state column and msg.") var update: String
    @Option(name: .customLong("send-to-dst"), help: "Message each edge sends to its destination (null = none).") var sendToDst: String?
    @Option(name: .customLong("send-to-src"), help: "Message each edge sends to its source (null = none).") var sendToSrc: String?
    @Option(help: "How messages combine: sum, min, max or count.") var agg: String = "sum"
    @Option(name: .customLong("max-iter"), help: "Supersteps.") var maxIter = 10
    @Flag(name: .customLong("early-stopping"), help: "Stop after a round in which no message was sent.") var earlyStopping = false
    @Flag(help: "Add one column per round (NAME_0..NAME_n).") var history = false
    @Option(name: .customLong("src-col"), help: "Edge source column.") var srcCol = "src"
    @Option(name: .customLong("dst-col"), help: "Edge destination column.") var dstCol = "dst"
    @Option(name: .customLong("id-col"), help: "Vertex id column.") var idCol = "id"
    @Flag(name: .customLong("drop-dangling"), help: "Drop edges whose endpoints are not in --vertices.") var dropDangling = false
    @Option(help: "Output file; `-` for stdout.") var out: String
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var csv: CSVInputOptions
    @OptionGroup var engine: EngineOptions

    func validate() throws {
        guard maxIter >= 0 else { throw ValidationError("--max-iter must be 0 or more") }
        guard PregelAggregation(rawValue: agg) != nil else { throw ValidationError("--agg must be one of sum, min, max, count") }
        guard sendToDst != nil || sendToSrc != nil else { throw ValidationError("give --send-to-dst and/or --send-to-src") }
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        // Syntax errors surface before any file is read.
        for (option, text) in [("--init", `init`), ("--update", update), ("--send-to-dst", sendToDst), ("--send-to-src", sendToSrc)] {
            guard let text else { continue }
            do { _ = try Expression.parse(text) } catch let e as ExpressionError { throw CLIError("\(option): \(e)") }
        }
        if engine.isSpark { return try runOnSpark() }
        progress.stage("reading inputs")
        let edgeTable = try csv.read(edges)
        let vertexTable = try csv.read(vertices)
        let loadSeconds = clock.lap()
        progress.stage("building graph")
        var builder = GraphBuilder(srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDanglingEdges: dropDangling, edgesName: edges, verticesName: vertices)
        let graph = try builder.build(edges: edgeTable, vertices: vertexTable)
        graph.prepareAdjacency()
        let buildSeconds = clock.lap()
        progress.stage("running \(maxIter) supersteps")
        var program = ExpressionPregelProgram(column: column, initial: `init`, update: update, sendToDst: sendToDst, sendToSrc: sendToSrc,
                                              aggregation: PregelAggregation(rawValue: agg)!, maxIterations: maxIter)
        program.earlyStopping = earlyStopping
        let result = try ExpressionPregel.run(graph: graph, program: program)
        let algoSeconds = clock.lap()
        progress.stage("writing \(out)")
        // The vertices in id order, with their own id column name back.
        var table = graph.vertexProperties
        if idCol != "id" {
            if table.columnNames.contains(idCol) { table = try table.renaming(idCol, to: idCol + "_") }
            table = try table.renaming("id", to: idCol)
        }
        table = try table.adding(column, result.state)
        if history {
            for (round, c) in result.history.enumerated() { table = try table.adding("\(column)_\(round)", c) }
        }
        try TableIO.write(table, to: out)
        let writeSeconds = clock.lap()
        progress.finish()
        ExitReporting.printError("pregel: \(result.rounds) superstep(s), messages per round \(result.messagesPerRound.map(String.init).joined(separator: ","))")
        if let timingsJSON {
            try TimingsJSON.write([("load_s", loadSeconds), ("build_s", buildSeconds), ("algo_s", algoSeconds), ("write_s", writeSeconds), ("total_s", clock.total)], to: timingsJSON)
        }
    }

    /// The supersteps on Spark (`SparkPregel`); the same table as locally.
    func runOnSpark() throws {
        var clock = Stopwatch()
        var source = GraphSource(edges: edges, vertices: vertices, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDangling: dropDangling)
        source.read = try csv.readOptions()
        var program = ExpressionPregelProgram(column: column, initial: `init`, update: update, sendToDst: sendToDst, sendToSrc: sendToSrc,
                                              aggregation: PregelAggregation(rawValue: agg)!, maxIterations: maxIter)
        program.earlyStopping = earlyStopping
        let result = try engine.withSpark { try SparkPregel.run($0, source: source, program: program, history: history) }
        let algoSeconds = clock.lap()
        try TableIO.write(result.table, to: out)
        ExitReporting.printError("pregel (spark): \(result.rounds) superstep(s), messages per round \(result.messagesPerRound.map(String.init).joined(separator: ","))")
        if let timingsJSON {
            try TimingsJSON.write([("algo_s", algoSeconds), ("write_s", clock.lap()), ("total_s", clock.total)], to: timingsJSON)
        }
    }
}
