import ArgumentParser
import GraphAlgorithms

struct KCoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kcore",
        abstract: "Core number of every vertex (k-core decomposition, undirected).",
        discussion: """
        The core number of v is the largest k such that v lies in a subgraph whose
        vertices all have degree >= k. Direction is ignored, parallel edges count
        once and self-loops are dropped (networkx core_number on the simple graph).
        Output `id,core`.

        Examples:
          amlgraph algo kcore --edges e.csv --out cores.csv
          amlgraph algo kcore --edges tx.csv --src-col originator_id --dst-col \\
              beneficiary_id --out -
        """
    )
    @OptionGroup var graph: AlgoGraphOptions

    func run() throws {
        let job = AlgoRun(graph)
        let g = try job.loadGraph()
        let result = job.compute("k-core") { KCore.run(g) }
        try job.finish(try result.table(), summary: "kcore: degeneracy \(result.degeneracy)", extra: [("degeneracy", result.degeneracy)])
    }
}
