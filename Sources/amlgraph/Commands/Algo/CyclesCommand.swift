import ArgumentParser
import Columnar
import GraphAlgorithms

struct CyclesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycles",
        abstract: "Directed simple cycles up to a length (round trips), optionally time-respecting.",
        discussion: """
        Static: every directed cycle of at most --max-length edges with no repeated
        vertex, once, starting at its smallest id (networkx simple_cycles with
        length_bound). With --time-col: cycles whose edge timestamps strictly
        increase, reported once per edge sequence starting at the earliest edge;
        --max-span bounds last - first (same unit as the column: microseconds for
        timestamps). Output `cycle,length,path` (path: JSON array of ids); with
        --time-col also `edge_rows` (0-based rows of the edges table), `first_time`,
        `last_time`.

        Examples:
          amlgraph algo cycles --edges e.csv --max-length 4 --out cycles.csv
          amlgraph algo cycles --edges tx.csv --src-col originator_id \\
              --dst-col beneficiary_id --time-col txn_ts --max-length 5 \\
              --max-span 2592000000000 --out round_trips.csv
        """
    )
    @OptionGroup var graph: AlgoGraphOptions
    @Option(name: .customLong("max-length"), help: "Longest cycle, in edges.") var maxLength: Int
    @Option(name: .customLong("time-col"), help: "Edge timestamp (or integer time) column: time-respecting cycles.") var timeCol: String?
    @Option(name: .customLong("max-span"), help: "With --time-col: largest last - first time.") var maxSpan: Int64?
    @Option(name: .customLong("max-cycles"), help: "Stop after this many cycles (the first ones in output order).") var maxCycles: Int?

    func validate() throws {
        guard maxLength >= 1 else { throw ValidationError("--max-length must be 1 or more") }
        if maxSpan != nil, timeCol == nil { throw ValidationError("--max-span needs --time-col") }
        if let maxSpan, maxSpan < 0 { throw ValidationError("--max-span must be 0 or more") }
        if let maxCycles, maxCycles < 1 { throw ValidationError("--max-cycles must be 1 or more") }
    }

    func run() throws {
        let job = AlgoRun(graph)
        let g = try job.loadGraph(extraEdgeColumns: timeCol.map { [$0] } ?? [])
        var options = CycleOptions(maxLength: maxLength, maxSpan: maxSpan, maxCycles: maxCycles)
        var timeType = DataType.int64
        if let timeCol {
            guard g.edgeProperties.columnNames.contains(timeCol) else { throw CLIError("\(graph.edges): no column '\(timeCol)'") }
            let c = try g.edgeProperties.column(timeCol)
            switch c.type {
            case .timestamp, .int64, .int32, .date: break
            default: throw CLIError("\(graph.edges): --time-col '\(timeCol)' must hold timestamps or integers, found \(c.type)")
            }
            timeType = c.type == .timestamp ? .timestamp : .int64
            options.timestamps = (0..<c.count).map { c.isNull($0) ? nil : c.value(at: $0).intValue }
        }
        let result = try job.compute("cycles") { try BoundedCycles.run(g, options: options) }
        try job.finish(try result.table(timeType: timeType),
                       summary: "cycles: \(result.count)\(result.truncated ? " (stopped at --max-cycles)" : "") of length <= \(maxLength)",
                       extra: [("cycles", result.count)])
    }
}
