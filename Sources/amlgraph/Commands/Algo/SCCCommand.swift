import ArgumentParser
import GraphAlgorithms

struct SCCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scc",
        abstract: "Strongly connected components, labelled by their smallest id.",
        discussion: """
        Iterative Tarjan (no recursion limit). Output `id,component`: the component
        is the smallest id in it (GraphFrames' stronglyConnectedComponents labels it
        by a member id).

        Examples:
          amlgraph algo scc --edges edges.csv --out scc.csv
          amlgraph algo scc --edges tx.csv --src-col originator_id --dst-col \\
              beneficiary_id --out -
        """
    )
    @OptionGroup var graph: AlgoGraphOptions

    func run() throws {
        let job = AlgoRun(graph)
        let g = try job.loadGraph()
        let result = job.compute("strongly connected components") { StronglyConnectedComponents.run(g) }
        let stats = result.stats
        try job.finish(try result.table(), summary: "scc: " + stats.description,
                       extra: [("components", stats.count), ("largest", stats.largest)])
    }
}
