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

        --world bank writes a different world (entities.csv, transactions.csv,
        truth_patterns.csv, truth_pattern_entities.csv, truth_pattern_parameters.csv):
        legitimate traffic full of look-alikes (monthly payroll, card payments and
        subscriptions to merchants, rent to landlords, friends paying each other
        back, supplier payment runs, one-off large purchases, a few genuine
        near-threshold payments), KYC risk scores 0-100 on most customers, and
        --instances planted instances of each typology (fan_in, fan_out, cycle,
        scatter_gather, gather_scatter, bipartite, stack, structuring,
        rapid_pass_through) with sizes, windows, amounts and retention drawn per
        instance from wide ranges. --transactions is exact: card payments fill what
        the recurring flows and planted instances leave.

        Examples:
          amlgraph generate --world bank --entities 5000 --transactions 150000 \
              --seed 1 --out /tmp/bank
          amlgraph generate --world bank --entities 2000 --transactions 40000 \
              --days 120 --instances 6 --string-ids --out /tmp/bank-s
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
    @Option(help: "Which world: default (the accelerator's scenarios) or bank (look-alikes and every typology).")
    var world: String = "default"
    @Option(help: "Bank world: span in days (default 365).") var days: Int?
    @Option(help: "Bank world: planted instances per typology (default max(2, entities / 1000)).") var instances: Int?
    @Flag(name: .customLong("string-ids"), help: "Bank world: account ids as text (ACC-000123).") var stringIDs = false
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
        switch world {
        case "default":
            guard days == nil, instances == nil, !stringIDs else {
                throw CLIError("--days, --instances and --string-ids apply to --world bank only")
            }
        case "bank":
            return try runBank(progress: progress, clock: &clock)
        default:
            throw CLIError("--world \(world): expected default or bank")
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

    func runBank(progress: Progress, clock: inout Stopwatch) throws {
        guard dedupeRecords == nil else { throw CLIError("--dedupe-records applies to the default world only") }
        var config = BankWorldConfig(accounts: entities, transactions: transactions, seed: seed)
        if let days { config.days = days }
        config.instancesPerTypology = instances
        config.stringIDs = stringIDs
        let generator = try BankWorldGenerator(config: config)
        try generator.write(to: out) { stage, done, total in
            progress.stage(stage)
            progress.detail("\(done) of \(total) rows")
        }
        progress.finish()
        ExitReporting.printError("generated a bank world of \(entities) accounts and \(transactions) payments (\(generator.plantedInstanceCount) planted instances, \(generator.plantedTransactionCount) payments) in \(out) in \(String(format: "%.2f", clock.lap())) s")
    }
}
