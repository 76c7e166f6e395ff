import AMLWorkbench
import AMLPipeline
import ArgumentParser
import Columnar

struct SyntheticIDsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic-ids",
        abstract: "Score entities that share addresses, emails, phones or SSNs (synthetic identities).",
        discussion: """
        Builds the identity graph (entities linked to their attribute values),
        prunes values held by one entity, runs connected components and writes one
        row per entity that shares a value: the accelerator's synth_score, the
        shared attribute types and a tier (high: SSN shared, or address+email+phone;
        medium: two of address/email/phone; low: one).

        With --spectral, two more columns: `community` splits each component of
        --spectral-min-size to
        --spectral-max-size entities in two by the sign of the Fiedler vector of its normalised
        Laplacian (LAPACK syevr), named by the smallest entity id on each side;
        other components keep community = component. `bridge_score` is the share of
        the component's other entities cut off from its largest remaining part if
        the entity is removed (0 for entities whose removal splits nothing, 0.5 for
        an even cut, near 1 for a star's hub).

        Examples:
          amlgraph synthetic-ids --entities datasets/small/entities.csv --out \\
              synthetic_identity.csv
          amlgraph synthetic-ids --entities datasets/small/entities.csv \\
              --spectral --spectral-min-size 4 --out si.csv
          amlgraph synthetic-ids --entities people.csv --id-col customer_id \\
              --email-col email --out -
        """
    )

    @Option(help: "Entities table (CSV).") var entities: String
    @Option(help: "Output file (CSV); `-` for stdout.") var out: String
    @Option(help: "Output format: csv, parquet or delta (default: by what --out looks like).") var format: String?
    @Option(name: .customLong("id-col"), help: "Entity id column (integers or strings).") var idCol = "entity_id"
    @Option(name: .customLong("name-col"), help: "Name column (default name).") var nameColumn: String?
    @Option(name: .customLong("address-col"), help: "Address column (default address).") var addressColumn: String?
    @Option(name: .customLong("email-col"), help: "Email column (default email_addr).") var emailColumn: String?
    @Option(name: .customLong("phone-col"), help: "Phone column (default phone_number).") var phoneColumn: String?
    @Option(name: .customLong("ssn-col"), help: "SSN column (default ssn).") var ssnColumn: String?
    @OptionGroup var csv: CSVInputOptions
    var nameCol: String { nameColumn ?? "name" }
    var addressCol: String { addressColumn ?? "address" }
    var emailCol: String { emailColumn ?? "email_addr" }
    var phoneCol: String { phoneColumn ?? "phone_number" }
    var ssnCol: String { ssnColumn ?? "ssn" }
    @Flag(help: "Add the spectral columns community and bridge_score.") var spectral = false
    @Option(name: .customLong("spectral-min-size"), help: "Smallest component (entities) to split spectrally.") var spectralMinSize = 6
    @Option(name: .customLong("spectral-max-size"), help: "Largest component (entities) to split spectrally (dense O(n^3)).") var spectralMaxSize = 3000
    @Flag(help: "No progress display.") var quiet = false

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var columns = EntityColumns()
        columns.id = idCol
        columns.name = nameCol
        columns.address = addressCol
        columns.email = emailCol
        columns.phone = phoneCol
        columns.ssn = ssnCol
        progress.stage("reading \(entities)")
        // Attribute columns are text even when a sample looks numeric (phones, SSNs).
        let text: [String: DataType] = [nameCol: .string, addressCol: .string, emailCol: .string, phoneCol: .string, ssnCol: .string]
        let table = try csv.read(entities, types: text)
        // A column named on the command line must exist: a typo is an error, not a skipped attribute.
        for (flag, given) in [("--name-col", nameColumn), ("--address-col", addressColumn), ("--email-col", emailColumn),
                              ("--phone-col", phoneColumn), ("--ssn-col", ssnColumn), ("--id-col", idCol)] {
            guard let given, !table.columnNames.contains(given) else { continue }
            let hint = KeySuggestion.nearest(given, in: table.columnNames).map { " (did you mean '\($0)'?)" } ?? ""
            throw CLIError("\(flag) \(given): \(entities) has no such column\(hint); its columns are \(table.columnNames.joined(separator: ", "))")
        }
        progress.stage("identity graph and components")
        let result = try SyntheticIdentity.detect(entities: table, columns: columns,
                                                  spectral: spectral ? SpectralOptions(minimumSize: spectralMinSize, maximumSize: spectralMaxSize) : nil)
        progress.stage("writing \(out)")
        try TableIO.write(result, to: out, format: TableFormat.parse(format))
        progress.finish()
        let tiers = (try? result.column("tier")).map { c in (0..<c.count).map { c.value(at: $0).description } } ?? []
        let counts = ["high", "medium", "low"].map { t in "\(t)=\(tiers.filter { $0 == t }.count)" }.joined(separator: " ")
        ExitReporting.printError("synthetic-ids: \(result.rowCount) of \(table.rowCount) entities share attributes; tiers \(counts)")
    }
}
