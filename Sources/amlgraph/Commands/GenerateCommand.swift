import AMLWorkbench
import ArgumentParser
import SyntheticData

extension GeneratorError: UserFacingError {}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic synthetic AML dataset with planted patterns and ground truth.",
        discussion: """
        Writes entities.csv, transactions.csv and dedupe.csv (the accelerator's
        schemas) and the ground truth: truth_synthetic_identity.csv,
        truth_patterns.csv, truth_pattern_entities.csv, truth_risky_seeds.csv and
        truth_dedupe.csv. The same seed and sizes give byte-identical files. Rows
        are produced in batches, so memory stays flat at any size.

        Planted: synthetic-identity rings sharing chosen attribute types;
        structuring (chains under 10,000 converging on a collector); 4-hop round
        trips; the AMLSim typologies fan_in, fan_out, cycle, scatter_gather,
        gather_scatter, bipartite and stack; risky seed entities; noisy reported
        names and addresses.

        Examples:
          amlgraph generate --entities 2000 --transactions 20000 --seed 42 \\
              --out datasets/small
          amlgraph generate --entities 1000000 --transactions 50000000 --seed \\
              7 --out /data/big
          amlgraph generate --entities 1000 --transactions 20000 \\
              --dedupe-records 1000000 --out /data/dedupe-1m
        """
    )

    @Option(help: "Number of entities (at least 100).") var entities: Int
    @Option(help: "Number of transactions, planted ones included.") var transactions: Int
    @Option(name: .customLong("dedupe-records"),
            help: "Records in dedupe.csv (default: about 2.4 per organisation, entities / 20 organisations).")
    var dedupeRecords: Int?
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Output directory (created if missing).") var out: String
    @Flag(help: "No progress display.") var quiet = false

    func run() throws {
        guard transactions > 0 else { throw CLIError("--transactions must be positive (got \(transactions))") }
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        progress.stage("planning")
        if let dedupeRecords, dedupeRecords < 1 || dedupeRecords > 100_000_000 {
            throw CLIError("--dedupe-records must be between 1 and 100,000,000 (got \(dedupeRecords))")
        }
        var config = GeneratorConfig(entities: entities, transactions: transactions, seed: seed)
        config.dedupeRecords = dedupeRecords
        let generator = try DatasetGenerator(config: config)
        try generator.write(to: out) { stage, done, total in
            progress.stage(stage)
            progress.detail("\(done) of \(total) rows")
        }
        progress.finish()
        ExitReporting.printError("generated \(entities) entities and \(transactions) transactions (\(generator.plantedTransactionCount) planted) in \(out) in \(String(format: "%.2f", clock.lap())) s")
    }
}
