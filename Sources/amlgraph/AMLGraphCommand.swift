import ArgumentParser

/// The root command. Subcommands are thin: parse, call the library, print.
struct AMLGraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amlgraph",
        abstract: "Find money-laundering patterns in bank data: graphs, motifs, Pregel, entity resolution, Delta Lake.",
        discussion: """
        Examples:
          amlgraph generate --entities 2000 --transactions 20000 --seed 7 --out data/
          amlgraph components --edges data/transactions.csv --src-col originator_id --dst-col beneficiary_id --out cc.csv
          amlgraph synthetic-ids --entities data/entities.csv --out synthetic_identity.csv
        """,
        subcommands: commandList
    )
}
