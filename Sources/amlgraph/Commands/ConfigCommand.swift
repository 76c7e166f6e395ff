import AMLPipeline
import ArgumentParser
import Columnar
import Foundation

/// `amlgraph config init|check`: write the commented default config; validate one against
/// its data.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Write or check a pipeline config (a bank's files as they are).",
        discussion: """
        Examples:
          amlgraph config init --out bank.yaml
          amlgraph config check --config bank.yaml
        """,
        subcommands: [ConfigInitCommand.self, ConfigCheckCommand.self]
    )
}

struct ConfigInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write the default config, every key with its default and a comment.",
        discussion: """
        Examples:
          amlgraph config init --out bank.yaml
          amlgraph config init --out -
        """)
    @Option(help: "Where to write it; `-` for stdout.") var out = "-"
    @Flag(help: "Replace an existing file.") var force = false

    func run() throws {
        let text = PipelineConfig.template()
        if out == "-" { print(text, terminator: ""); return }
        guard force || !FileManager.default.fileExists(atPath: out) else { throw CLIError("\(out) exists; pass --force to replace it") }
        let file = try AtomicFileWriter(path: out)
        try file.write(text)
        try file.commit()
        ExitReporting.printError("wrote \(out): edit inputs.*.path and columns, then run `amlgraph config check --config \(out)`")
    }
}

struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a config against its data and show the mapping with the first rows parsed.",
        discussion: """
        Reads the config strictly (unknown keys, malformed values), then each input's
        first rows as the pipeline's bronze stage would, and prints per input the
        column mapping and the parsed rows. Values that do not parse are listed with
        their line; exit 1 when any does.

        Examples:
          amlgraph config check --config bank.yaml
          amlgraph config check --config bank.yaml --rows 10
        """)
    @Option(help: "The config file.") var config: String
    @Option(help: "Rows shown per input.") var rows = 5

    func run() throws {
        let report = try ConfigCheck.run(PipelineConfig.read(config), rows: rows)
        print(report.text, terminator: "")
        if !report.problems.isEmpty {
            throw CLIError("\(config): \(report.problems.count) problem(s): " + report.problems.prefix(5).joined(separator: "; "))
        }
    }
}
