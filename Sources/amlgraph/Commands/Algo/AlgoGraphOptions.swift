import AMLWorkbench
import ArgumentParser
import Columnar
import Foundation
import PropertyGraph

/// The graph inputs and outputs every `amlgraph algo` subcommand shares (the same flags as
/// `components`).
struct AlgoGraphOptions: ParsableArguments {
    @Option(help: "Edges table (CSV, Parquet or Delta; `-` for CSV on stdin).") var edges: String
    @Option(help: "Vertices table. Without it, vertices come from the edges.") var vertices: String?
    @Option(name: .customLong("src-col"), help: "Edge source column.") var srcCol = "src"
    @Option(name: .customLong("dst-col"), help: "Edge destination column.") var dstCol = "dst"
    @Option(name: .customLong("id-col"), help: "Vertex id column.") var idCol = "id"
    @Flag(name: .customLong("drop-dangling"), help: "Drop edges whose endpoints are not in --vertices instead of failing.") var dropDangling = false
    @OptionGroup var csv: CSVInputOptions
    @Option(help: "Output table (CSV); `-` for stdout.") var out: String
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false

    /// The library's description of the graph these flags name.
    func source() throws -> GraphSource {
        var s = GraphSource(edges: edges, vertices: vertices, srcColumn: srcCol, dstColumn: dstCol, idColumn: idCol, dropDangling: dropDangling)
        s.read = try csv.readOptions()
        return s
    }
}

/// One algorithm run's plumbing on the library's `TimedJob`: load, build, time, write, report.
final class AlgoRun {
    let options: AlgoGraphOptions
    let progress: Progress
    let job: TimedJob
    private(set) var droppedEdges = 0

    init(_ options: AlgoGraphOptions) {
        self.options = options
        let p = Progress(quiet: options.quiet)
        progress = p
        job = TimedJob(progress: { p.stage($0) })
    }

    /// Reads the tables (the endpoint columns plus `extraEdgeColumns`) and builds the graph.
    func loadGraph(extraEdgeColumns: [String] = [], edgeTypes: [String: DataType] = [:]) throws -> PropertyGraph {
        let loaded = try PaymentGraphLoader.load(options.source(), edgeColumns: extraEdgeColumns, vertexColumns: [],
                                                 edgeTypes: edgeTypes, progress: job.progress)
        droppedEdges = loaded.droppedEdges
        job.add("load_s", seconds: loaded.loadSeconds)
        job.add("build_s", seconds: loaded.buildSeconds)
        job.add("vertices", count: loaded.graph.vertexCount)
        job.add("edges", count: loaded.graph.edgeCount)
        return loaded.graph
    }

    /// Runs the kernel as the timed `algo_s` stage.
    func compute<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        try job.stage(name, key: "algo_s", body)
    }

    /// Writes the output table, prints `summary` to stderr and the timings JSON if asked.
    func finish(_ table: Table, summary: String, extra: [(String, Any)] = []) throws {
        try job.stage("writing \(options.out)", key: "write_s") { try TableIO.write(table, to: options.out) }
        progress.finish()
        if droppedEdges > 0 { ExitReporting.printError("dropped \(droppedEdges) dangling edge(s)") }
        ExitReporting.printError(summary)
        if let path = options.timingsJSON {
            for (k, v) in extra { if let n = v as? Int { job.add(k, count: n) } else if let d = v as? Double { job.add(k, seconds: d) } else { job.add(k, text: "\(v)") } }
            try job.writeJSON(to: path)
        }
    }
}

/// Vertex lists given on the command line (`--seeds`, `--landmarks`): a comma-separated list
/// of ids, or a file holding one id per line or a CSV with an `id` column (or `--id-col`).
enum VertexList {
    static func resolve(_ spec: String, option: String, idColumn: String, in graph: PropertyGraph) throws -> [UInt32] {
        var tokens: [String]
        var source = "\(option)"
        if FileManager.default.fileExists(atPath: spec) {
            source = spec
            let text = try String(contentsOfFile: spec, encoding: .utf8)
            var lines = text.split(whereSeparator: \.isNewline).map { String($0) }
            if let header = lines.first, header.contains(",") || header == idColumn || header == "id" {
                let table = try TableIO.read(spec)
                let name = table.columnNames.contains(idColumn) ? idColumn : (table.columnNames.contains("id") ? "id" : table.columnNames[0])
                let column = try table.column(name)
                lines = (0..<column.count).map { column.value(at: $0).description }
            }
            tokens = lines
        } else {
            tokens = spec.split(separator: ",").map { String($0) }
        }
        tokens = tokens.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !tokens.isEmpty else { throw CLIError("\(source): no vertex ids given") }
        return try tokens.map { token in
            let value: Value
            switch graph.ids {
            case .int:
                guard let x = Int64(token) else { throw CLIError("\(source): '\(token)' is not an integer vertex id") }
                value = .int(x)
            case .string:
                value = .string(token)
            }
            guard let v = graph.ids.internalID(of: value) else { throw CLIError("\(source): vertex '\(token)' is not in the graph") }
            return v
        }
    }
}
