import ArgumentParser
import Columnar
import GraphAlgorithms

struct ShortestPathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shortest-paths",
        abstract: "Hops from every vertex to each landmark (GraphFrames shortestPaths).",
        discussion: """
        Distance from v to landmark l is the fewest edges on a directed path v -> l
        (with
        --undirected, ignoring direction). Output `id,distances` with distances a JSON object
        {landmark: hops} of reachable landmarks, or with --long
        `id,landmark,distance` (one row per reachable pair). --edge-filter keeps
        only edges where an expression over the edge columns is true (the
        expression language of `select --where`).
        Write negative ids as `--landmarks=-5,7`.

        Examples:
          amlgraph algo shortest-paths --edges e.csv --landmarks 1,42 --out \\
              d.csv
          amlgraph algo shortest-paths --edges tx.csv --src-col originator_id \\
              --dst-col beneficiary_id --landmarks landmarks.csv --edge-filter \\
              "txn_amount >= 10000" --long --out -
        """
    )
    @OptionGroup var graph: AlgoGraphOptions
    @Option(help: "Landmark ids, comma-separated, or a file of ids (one per line or an id column).") var landmarks: String
    @Option(name: .customLong("edge-filter"), help: "Keep only edges where this expression is true, e.g. \"amount >= 1000\".") var edgeFilter: String?
    @Flag(help: "Ignore edge direction.") var undirected = false
    @Flag(help: "Long output: id,landmark,distance.") var long = false

    func run() throws {
        let job = AlgoRun(graph)
        let filter = try edgeFilter.map { try RowFilter($0) }
        let g = try job.loadGraph(extraEdgeColumns: filter?.columns ?? [])
        let marks = try VertexList.resolve(landmarks, option: "--landmarks", idColumn: graph.idCol, in: g)
        let mask = try filter.map { try $0.mask(g.edgeProperties, option: "--edge-filter") }
        let result = job.compute("shortest paths") { ShortestPaths.run(g, landmarks: marks, directed: !undirected, edgeMask: mask) }
        let kept = mask.map { $0.filter { $0 }.count } ?? g.edgeCount
        let reached = result.distances.map { $0.filter { $0 >= 0 }.count }
        try job.finish(long ? try result.longTable() : try result.table(),
                       summary: "shortest-paths: \(result.landmarks.count) landmark(s), \(kept) of \(g.edgeCount) edges used, vertices reaching each: \(reached)",
                       extra: [("landmarks", result.landmarks.count), ("edges_used", kept)])
    }
}
