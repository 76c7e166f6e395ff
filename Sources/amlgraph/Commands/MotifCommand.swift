import AMLWorkbench
import ArgumentParser
import Columnar
import Foundation
import GraphAlgorithms
import PropertyGraph
import SparkEngine

extension MotifError: UserFacingError {}
extension MotifSearchError: UserFacingError {}

struct MotifCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motif",
        abstract: "Find a motif (GraphFrames' pattern language) with filters checked during the search.",
        discussion: """
        Patterns: terms separated by ';'. (a)-[e]->(b) an edge; (a)<-[e]-(b)
        reversed; (a)<-[e]->(b) both ways (edges e1, e2); (a)-[e]-(b) either way
        (adds _direction); (a)-[e*3]->(b) a chain of 3 hops (edges _e1.._e3, middle
        vertices _ab1, _ab2); (a)-[e*1..3]->(b) 1 to 3 hops (adds _hop);
        !(a)-[]->(b) no such edge; (a) a vertex. Anonymous vertices () and edges []
        bind but get no columns.

        Semantics follow GraphFrames: different names may bind the same vertex or
        edge, each combination of parallel edges is a row, self-loops match, and a
        pattern with a negation returns distinct rows. Rows are sorted by the bound
        ids in column order unless --unordered.

        Output columns: a.id, a.<prop>... for vertices; e.src, e.dst, e.<prop>...
        for edges; then _direction / _hop. A .json --out writes one JSON object per
        row, nested per element like GraphFrames' struct columns.

        Examples:
          amlgraph motif '(a)-[e]->(b); (b)-[e2]->(a)' --edges edges.csv --out \\
              mutual.csv
          amlgraph motif '(a)-[]->(b); (b)-[]->(c)' --edges e.csv --count
          amlgraph motif '(a)-[e1]->(b); (b)-[e2]->(c); (c)-[e3]->(a)' \\
              --distinct-vertices --edges datasets/small/transactions.csv \\
              --src-col originator_id --dst-col beneficiary_id --time-col \\
              txn_ts --time-order --within 7d --out tri.json
          amlgraph motif '(a)-[e]->(b); (b)-[f]->(a)' --edges e.parquet \\
              --engine spark --spark-remote sc://localhost:15002 --out m.csv

        With --engine spark the pattern runs as one join on a Spark Connect
        server (fixed-length terms only; rows are always sorted).
        """
    )

    @Argument(help: "The motif pattern.") var pattern: String
    @Option(help: "Edges table (CSV).") var edges: String
    @Option(help: "Vertices table (CSV). Without it, vertices come from the edges.") var vertices: String?
    @Option(name: .customLong("where"), help: "Filter over bound elements, e.g. 'e1.amount < 10000 and a.id != c.id'.") var whereExpr: String?
    @Flag(name: .customLong("distinct-vertices"), help: "Named vertices bind pairwise distinct vertices.") var distinctVertices = false
    @Flag(name: .customLong("distinct-edges"), help: "Edges bind pairwise distinct edges.") var distinctEdges = false
    @Option(name: .customLong("time-col"), help: "Edge time column for --time-order and --within.") var timeCol = "txn_ts"
    @Flag(name: .customLong("time-order"), help: "Time moves forward along the pattern (e before f when e ends where f starts).") var timeOrder = false
    @Option(help: "All bound edges lie within this span, e.g. 30d, 12h.") var within: String?
    @Flag(help: "Print the number of matches instead of writing rows.") var count = false
    @Option(help: "Stop after this many rows.") var limit: Int?
    @Flag(help: "Rows in search order instead of sorted (streams with less work).") var unordered = false
    @Flag(help: "Print the search plan to stderr.") var explain = false
    @Option(name: .customLong("src-col"), help: "Edge source column.") var srcCol = "src"
    @Option(name: .customLong("dst-col"), help: "Edge destination column.") var dstCol = "dst"
    @Option(name: .customLong("id-col"), help: "Vertex id column.") var idCol = "id"
    @OptionGroup var csv: CSVInputOptions
    @Option(help: "Output file (.csv or .json); `-` for CSV on stdout. Required unless --count.") var out: String?
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var engine: EngineOptions

    func validate() throws {
        if !count && out == nil { throw ValidationError("--out is required unless --count is given") }
        if let limit, limit < 0 { throw ValidationError("--limit must be >= 0") }
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        let query = try MotifValidator.query(pattern)
        if engine.isSpark { return try runOnSpark(query) }
        var source = GraphSource(edges: edges, vertices: vertices, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol)
        source.read = try csv.readOptions()
        let result = try MotifSearch.run(source, pattern: query, settings: settings, output: count ? .count : .rows(path: out ?? "-"),
                                         progress: progress.stage)
        progress.finish()
        if explain { result.plans.forEach(ExitReporting.printError) }
        if count { print(result.rows) } else { ExitReporting.printError("motif: \(result.rows) row(s)") }
        if let timingsJSON {
            try TimingsJSON.write(result.timings + [("write_s", .seconds(0)), ("total_s", .seconds(clock.total)), ("vertices", .count(result.vertexCount)),
                                                    ("edges", .count(result.edgeCount)), ("rows", .count(result.rows))], to: timingsJSON)
        }
    }

    /// The search options as given on the command line.
    var settings: MotifSearchSettings {
        var s = MotifSearchSettings()
        s.distinctVertices = distinctVertices
        s.distinctEdges = distinctEdges
        s.timeOrder = timeOrder
        s.timeColumn = timeCol
        s.window = within
        s.filter = whereExpr
        s.limit = limit
        s.ordered = !unordered
        return s
    }

    /// The pattern as one join on Spark (`SparkMotif`); same rows and columns as the local run.
    func runOnSpark(_ query: MotifQuery) throws {
        var clock = Stopwatch()
        var source = GraphSource(edges: edges, vertices: vertices, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol)
        source.read = try csv.readOptions()
        var options = SparkMotifOptions()
        options.distinctVertices = distinctVertices
        options.distinctEdges = distinctEdges
        options.timeOrder = timeOrder
        options.timeColumn = timeCol
        options.filter = whereExpr
        options.limit = limit
        if let within { options.window = try MotifTime.duration(within) }
        let result = try engine.withSpark { try SparkMotif.run($0, source: source, query: query, options: options, countOnly: count) }
        let sparkSeconds = clock.lap()
        if count {
            print(limit.map { min($0, result.count) } ?? result.count)
        } else if let out, let table = result.table {
            try MotifSearch.write(table, query: query, to: out)
            ExitReporting.printError("motif: \(result.count) row(s)")
        }
        if let timingsJSON {
            try TimingsJSON.write([("spark_s", sparkSeconds), ("write_s", clock.lap()), ("total_s", clock.total), ("rows", result.count)], to: timingsJSON)
        }
    }
}
