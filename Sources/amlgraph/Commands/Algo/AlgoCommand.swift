import ArgumentParser

/// `amlgraph algo NAME`: the graph algorithm library on CSV graphs.
struct AlgoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "algo",
        abstract: "Graph algorithms: scc, pagerank, lpa, shortest-paths, triangles, kcore, cycles.",
        discussion: """
        Every subcommand reads --edges (and optionally --vertices) like
        `components`, writes one table to --out, and prints a one-line summary to
        stderr.

        Examples:
          amlgraph algo pagerank --edges e.csv --tol 1e-6 --out pr.csv
          amlgraph algo cycles --edges tx.csv --src-col originator_id \\
              --dst-col beneficiary_id --max-length 4 --out cycles.csv
        """,
        subcommands: [SCCCommand.self, PageRankCommand.self, LabelPropagationCommand.self, ShortestPathsCommand.self,
                      TriangleCountCommand.self, KCoreCommand.self, CyclesCommand.self]
    )
}
