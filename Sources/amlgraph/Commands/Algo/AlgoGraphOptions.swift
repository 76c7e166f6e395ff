import ArgumentParser
import Columnar
import Foundation
import PropertyGraph

/// The graph inputs and outputs every `amlgraph algo` subcommand shares (the same flags as
/// `components`).
struct AlgoGraphOptions: ParsableArguments {
    @Option(help: "Edges table (CSV).") var edges: String
    @Option(help: "Vertices table (CSV). Without it, vertices come from the edges.") var vertices: String?
    @Option(name: .customLong("src-col"), help: "Edge source column.") var srcCol = "src"
    @Option(name: .customLong("dst-col"), help: "Edge destination column.") var dstCol = "dst"
    @Option(name: .customLong("id-col"), help: "Vertex id column.") var idCol = "id"
    @Flag(name: .customLong("drop-dangling"), help: "Drop edges whose endpoints are not in --vertices instead of failing.") var dropDangling = false
    @Option(help: "Output table (CSV); `-` for stdout.") var out: String
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
}

/// One algorithm run's plumbing: load, build, time, write, report.
final class AlgoRun {
    let options: AlgoGraphOptions
    let progress: Progress
    var clock = Stopwatch()
    var timings: [(String, Any)] = []
    private(set) var droppedEdges = 0

    init(_ options: AlgoGraphOptions) {
        self.options = options
        progress = Progress(quiet: options.quiet)
    }

    /// Reads the tables (the endpoint columns plus `extraEdgeColumns`) and builds the graph.
    func loadGraph(extraEdgeColumns: [String] = [], edgeTypes: [String: DataType] = [:]) throws -> PropertyGraph {
        progress.stage("reading \(options.edges)")
        var columns = [options.srcCol, options.dstCol]
        for c in extraEdgeColumns where !columns.contains(c) { columns.append(c) }
        let edgeTable = try TableIO.read(options.edges, columns: columns, types: edgeTypes)
        let vertexTable = try options.vertices.map { try TableIO.read($0, columns: [options.idCol]) }
        timings.append(("load_s", clock.lap()))
        progress.stage("building graph")
        var builder = GraphBuilder(srcColumn: options.srcCol, dstColumn: options.dstCol, idColumn: options.idCol, dropDanglingEdges: options.dropDangling, edgesName: options.edges, verticesName: options.vertices ?? "vertices")
        let graph = try builder.build(edges: edgeTable, vertices: vertexTable)
        droppedEdges = builder.droppedEdges
        graph.prepareAdjacency()
        timings.append(("build_s", clock.lap()))
        timings.append(("vertices", graph.vertexCount))
        timings.append(("edges", graph.edgeCount))
        return graph
    }

    /// Runs the kernel as the timed `algo_s` stage.
    func compute<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        progress.stage(name)
        let result = try body()
        timings.append(("algo_s", clock.lap()))
        return result
    }

    /// Writes the output table, prints `summary` to stderr and the timings JSON if asked.
    func finish(_ table: Table, summary: String, extra: [(String, Any)] = []) throws {
        progress.stage("writing \(options.out)")
        try TableIO.write(table, to: options.out)
        timings.append(("write_s", clock.lap()))
        progress.finish()
        if droppedEdges > 0 { ExitReporting.printError("dropped \(droppedEdges) dangling edge(s)") }
        ExitReporting.printError(summary)
        if let path = options.timingsJSON {
            try TableIO.writeJSON(timings + extra + [("total_s", clock.total)], to: path)
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
                let table = try TableIO.read(spec, types: [:])
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
