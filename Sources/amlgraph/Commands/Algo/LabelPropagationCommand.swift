import ArgumentParser
import GraphAlgorithms

struct LabelPropagationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lpa",
        abstract: "Label propagation communities (GraphFrames labelPropagation).",
        discussion: """
        Synchronous: every vertex starts with its own id and, each step, takes the
        label most frequent among its neighbours (both directions, parallel edges
        counted per copy); ties go to the smallest label; a vertex with no
        neighbours keeps its label. Exactly
        --max-iter steps are run. Output `id,label`.

        Examples:
          amlgraph algo lpa --edges e.csv --max-iter 5 --out communities.csv
          amlgraph algo lpa --edges tx.csv --src-col originator_id --dst-col \\
              beneficiary_id --max-iter 10 --out -
        """
    )
    @OptionGroup var graph: AlgoGraphOptions
    @Option(name: .customLong("max-iter"), help: "Steps (GraphFrames' maxIter).") var maxIter = 5

    func validate() throws { guard maxIter >= 0 else { throw ValidationError("--max-iter must be 0 or more") } }

    func run() throws {
        let job = AlgoRun(graph)
        let g = try job.loadGraph()
        let result = job.compute("label propagation") { LabelPropagation.run(g, maxSteps: maxIter) }
        let communities = Set(result.labels).count
        try job.finish(try result.table(),
                       summary: "lpa: \(result.steps) step(s), \(communities) label(s), changes per step \(result.changesPerStep)",
                       extra: [("labels", communities)])
    }
}
