import AMLWorkbench
import ArgumentParser
import Columnar
import GraphAlgorithms
import PropertyGraph
import SparkEngine

struct ComponentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components",
        abstract: "Connected components (weak by default, or strong) labelled by smallest id.",
        discussion: """
        Each vertex is labelled with the smallest id in its component (integer order
        for integer ids, byte order for strings), as GraphFrames does. Statistics go
        to stderr.

        Examples:
          amlgraph components --edges edges.csv --out components.csv
          amlgraph components --edges datasets/small/transactions.csv \\
              --src-col originator_id --dst-col beneficiary_id --out -
          amlgraph components --edges e.csv --vertices v.csv --drop-dangling \\
              --strong --out scc.csv
          amlgraph components --edges edges.parquet --engine spark \\
              --spark-remote sc://localhost:15002 --out components.parquet
        """
    )

    @Option(help: "Edges table (CSV, Parquet or Delta; `-` for CSV on stdin).") var edges: String
    @Option(help: "Vertices table. Without it, vertices come from the edges.") var vertices: String?
    @Option(name: .customLong("src-col"), help: "Edge source column.") var srcCol = "src"
    @Option(name: .customLong("dst-col"), help: "Edge destination column.") var dstCol = "dst"
    @Option(name: .customLong("id-col"), help: "Vertex id column.") var idCol = "id"
    @Flag(help: "Strongly connected components instead of weakly connected.") var strong = false
    @Flag(name: .customLong("drop-dangling"), help: "Drop edges whose endpoints are not in --vertices instead of failing.") var dropDangling = false
    @OptionGroup var csv: CSVInputOptions
    @Option(help: "Output file for `id,component` (CSV); `-` for stdout.") var out: String
    @Option(help: "Output format: csv, parquet or delta (default: by what --out looks like).") var format: String?
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var engine: EngineOptions

    func run() throws {
        if engine.isSpark { return try runOnSpark() }
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        var source = GraphSource(edges: edges, vertices: vertices, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDangling: dropDangling)
        source.read = try csv.readOptions()
        let loaded = try PaymentGraphLoader.load(source, edgeColumns: [], vertexColumns: [], adjacency: false, progress: progress.stage)
        if strong { _ = loaded.graph.outAdjacency }
        let graph = loaded.graph
        let (loadSeconds, buildSeconds) = (loaded.loadSeconds, loaded.buildSeconds)
        _ = clock.lap()

        progress.stage(strong ? "strongly connected components" : "weakly connected components")
        let result = strong ? StronglyConnectedComponents.run(graph) : WeaklyConnectedComponents.run(graph)
        let algoSeconds = clock.lap()

        progress.stage("writing \(out)")
        try TableIO.write(try result.table(), to: out, format: TableFormat.parse(format))
        let writeSeconds = clock.lap()
        progress.finish()

        let stats = result.stats
        if loaded.droppedEdges > 0 { ExitReporting.printError("dropped \(loaded.droppedEdges) dangling edge(s)") }
        ExitReporting.printError((strong ? "strong " : "weak ") + stats.description)
        if let timingsJSON {
            try TimingsJSON.write([
                ("load_s", loadSeconds), ("build_s", buildSeconds), ("algo_s", algoSeconds), ("write_s", writeSeconds),
                ("total_s", clock.total), ("vertices", graph.vertexCount), ("edges", graph.edgeCount),
                ("components", stats.count), ("largest", stats.largest),
            ], to: timingsJSON)
        }
    }

    /// Weak components on Spark (large-star/small-star); the result is Spark's Parquet read back.
    func runOnSpark() throws {
        guard !strong else { throw CLIError("--strong is not available with --engine spark (weakly connected components only)") }
        var clock = Stopwatch()
        var source = GraphSource(edges: edges, vertices: vertices, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDangling: dropDangling)
        source.read = try csv.readOptions()
        let result = try engine.withSpark { try SparkConnectedComponents.run($0, source: source) }
        let algoSeconds = clock.lap()
        try TableIO.write(result.table, to: out, format: TableFormat.parse(format))
        let writeSeconds = clock.lap()
        if result.edgesDropped > 0 { ExitReporting.printError("dropped \(result.edgesDropped) dangling edge(s)") }
        ExitReporting.printError("weak " + result.summary)
        if let timingsJSON {
            // algo_s: the large-star/small-star rounds; load_s staging; label_s labelling and reading back.
            try TimingsJSON.write([("load_s", result.prepareSeconds), ("algo_s", result.roundSeconds), ("label_s", result.labelSeconds),
                                   ("spark_s", algoSeconds), ("write_s", writeSeconds), ("total_s", clock.total),
                                   ("vertices", result.table.rowCount), ("rounds", result.rounds)], to: timingsJSON)
        }
    }
}
