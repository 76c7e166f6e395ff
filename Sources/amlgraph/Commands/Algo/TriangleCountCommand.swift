import ArgumentParser
import GraphAlgorithms

struct TriangleCountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triangles",
        abstract: "Triangles per vertex, undirected (GraphFrames triangleCount).",
        discussion: """
        Direction is ignored, parallel edges count once and self-loops are dropped.
        Output `id,count`; the total number of triangles goes to stderr.

        Examples:
          amlgraph algo triangles --edges e.csv --out triangles.csv
          amlgraph algo triangles --edges tx.csv --src-col originator_id \\
              --dst-col beneficiary_id --out -
        """
    )
    @OptionGroup var graph: AlgoGraphOptions

    func run() throws {
        let job = AlgoRun(graph)
        let g = try job.loadGraph()
        let result = job.compute("triangle count") { TriangleCount.run(g) }
        try job.finish(try result.table(), summary: "triangles: \(result.total) total", extra: [("triangles", result.total)])
    }
}
