import ArgumentParser
import Columnar
import GraphAlgorithms

struct PageRankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pagerank",
        abstract: "PageRank (GraphFrames parameters), or personalised PageRank from seeds.",
        discussion: """
        GraphX arithmetic: rank = reset + (1 - reset) * sum(rank(u) / outdeg(u));
        dangling vertices pass nothing on; at the end ranks are rescaled to sum to
        the vertex count (personalised: to 1), so rank / V equals
        networkx.pagerank(alpha = 1 - reset) at convergence. Give --max-iter, --tol,
        or both (stops at whichever comes first). Output `id,pagerank`. Write
        negative ids as `--seeds=-5,7`.

        Examples:
          amlgraph algo pagerank --edges e.csv --max-iter 20 --out pr.csv
          amlgraph algo pagerank --edges e.csv --tol 1e-6 --reset-probability \\
              0.15 --out pr.csv
          amlgraph algo pagerank --edges e.csv --seeds 3,17 --tol 1e-9 --out \\
              ppr.csv
          amlgraph algo pagerank --edges e.csv --seeds seeds.csv --max-iter 30 \\
              --out ppr.csv
        """
    )
    @OptionGroup var graph: AlgoGraphOptions
    @Option(name: .customLong("reset-probability"), help: "Probability of a random jump (GraphFrames' resetProbability).") var resetProbability = 0.15
    @Option(name: .customLong("max-iter"), help: "Iteration cap (GraphFrames' maxIter).") var maxIter: Int?
    @Option(help: "Stop when no rank changes by more than this (GraphFrames' tol).") var tol: Double?
    @Option(help: "Personalised PageRank: seed ids, comma-separated, or a file of ids (one per line or an id column).") var seeds: String?

    func validate() throws {
        guard maxIter != nil || tol != nil else { throw ValidationError("give --max-iter, --tol, or both (as GraphFrames requires)") }
        if let maxIter, maxIter < 0 { throw ValidationError("--max-iter must be 0 or more") }
        if let tol, !(tol > 0) { throw ValidationError("--tol must be positive") }
        guard resetProbability > 0, resetProbability < 1 else { throw ValidationError("--reset-probability must be within (0, 1)") }
    }

    func run() throws {
        let job = AlgoRun(graph)
        let g = try job.loadGraph()
        var options = PageRankOptions(resetProbability: resetProbability, maxIterations: maxIter ?? 10_000, tolerance: tol)
        if let seeds { options.seeds = try VertexList.resolve(seeds, option: "--seeds", idColumn: graph.idCol, in: g) }
        let result = try job.compute(options.seeds == nil ? "pagerank" : "personalised pagerank") { try PageRank.run(g, options: options) }
        try job.finish(try result.table(),
                       summary: "pagerank: \(result.iterations) iteration(s), last change \(formatDouble(result.lastDelta))",
                       extra: [("iterations", result.iterations)])
    }
}
