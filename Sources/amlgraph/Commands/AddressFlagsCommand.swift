import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar

struct AddressFlagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address-flags",
        abstract: "Flag addresses that are not plausible homes: PO boxes, virtual offices, mail drops, over-shared.",
        discussion: """
        The accelerator checks addresses with street-view photos and a CNN; amlgraph
        uses text and graph evidence instead. Text: PO boxes and private bags,
        suites in
        business or serviced-office centres, "c/o" and mail-forwarding services. Graph:
        an address registered by --min-shared or more distinct entities. Addresses
        are compared case-folded, without punctuation and with common abbreviations
        expanded. Output, one row per flagged address: address, normalized_address,
        reasons, entity_count, company_count, entity_ids, score.

        Examples:
          amlgraph address-flags --entities datasets/small/entities.csv --out \\
              flags.csv
          amlgraph address-flags --entities e.csv --min-shared 6 --out -
        """
    )

    @Option(help: "Entities table (CSV).") var entities: String
    @Option(help: "Output file (CSV); `-` for stdout.") var out: String
    @Option(name: .customLong("id-col"), help: "Entity id column.") var idCol = "entity_id"
    @Option(name: .customLong("address-col"), help: "Address column.") var addressCol = "address"
    @Option(name: .customLong("type-col"), help: "Entity type column (Person/Company), if present.") var typeCol = "entity_type"
    @Option(name: .customLong("min-shared"), help: "Entities at one address that make it over-shared.") var minShared = 4
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var csv: CSVInputOptions

    func run() throws {
        guard minShared >= 2 else { throw CLIError("--min-shared must be at least 2 (got \(minShared))") }
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        progress.stage("reading \(entities)")
        let text: [String: DataType] = [addressCol: .string, typeCol: .string]
        let table = try csv.read(entities, types: text)
        var options = AddressFlags.Options()
        options.minShared = minShared
        progress.stage("flagging addresses")
        let type = table.schema.index(of: typeCol) != nil ? typeCol : nil
        let flags = try AddressFlags.detect(entities: table, idColumn: idCol, addressColumn: addressCol, typeColumn: type, options: options)
        try TableIO.write(flags, to: out)
        progress.finish()
        ExitReporting.printError("address-flags: \(flags.rowCount) address(es) flagged")
    }
}
