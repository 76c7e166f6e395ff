import AMLPipeline
import AMLWorkbench
import ArgumentParser
import Columnar
import Foundation

struct TypologiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "typologies",
        abstract: "Laundering typologies (fan-in/out, cycles, scatter-gather, gather-scatter, bipartite, stack, structuring, rapid pass-through) with their evidence.",
        discussion: """
        Runs the typology detectors on a transactions table and writes two tables:
        typologies (one row per instance: typology, variant, accounts, roles, txn
        ids, amounts, total, first/last time, score) and typology_accounts (one row
        per instance and account, the account id as given). Without --out, prints
        the count per typology. Payments of pairs that recur a month apart
        (payroll, rent, suppliers) and payments under --min-amount are not
        evidence; see the README's detection section for each definition.

        Examples:
          amlgraph typologies --data datasets/small --out typ/
          amlgraph typologies --transactions t.csv --only cycle,fan_in \\
              --min-amount 0 --out typ --format parquet
        """
    )

    @Option(help: "Folder holding transactions (.csv, .parquet or a Delta table, also under silver/).") var data: String?
    @Option(help: "Transactions table (CSV, Parquet or Delta).") var transactions: String?
    @Option(help: "Comma-separated typologies to run (default: all): \(TypologyKind.allCases.map(\.rawValue).joined(separator: ", ")).") var only: String?
    @Option(name: .customLong("min-amount"), help: "Amount floor of every detector (default 1000 each).") var minAmount: Double?
    @Option(name: .customLong("src-col")) var srcCol = "originator_id"
    @Option(name: .customLong("dst-col")) var dstCol = "beneficiary_id"
    @Option(name: .customLong("amount-col")) var amountCol = "txn_amount"
    @Option(name: .customLong("time-col")) var timeCol = "txn_ts"
    @Option(name: .customLong("txn-id-col")) var txnIDCol = "txn_id"
    @Option(help: "Output folder for typologies and typology_accounts.") var out: String?
    @Option(help: "Output format: csv, parquet or delta (default csv).") var format: String?
    @Option(name: .customLong("timings-json"), help: "Write each detector's seconds as JSON here.") var timingsJSON: String?
    @OptionGroup var csv: CSVInputOptions
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        if (data == nil) == (transactions == nil) { throw ValidationError("give --data DIR or --transactions FILE") }
        if let minAmount, !(minAmount >= 0 && minAmount.isFinite) { throw ValidationError("--min-amount must be a finite number ≥ 0, got \(minAmount)") }
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        let job = TimedJob(progress: progress.stage)
        let path: String
        if let transactions { path = transactions } else {
            guard let found = TableIO.find("transactions", in: data!) else {
                throw CLIError("\(data!): no transactions table (expected transactions.csv, transactions.parquet or a Delta table transactions/)")
            }
            path = found
        }
        let table = try job.stage("reading \(path)", key: "load_s") { try csv.read(path, columns: [txnIDCol, srcCol, dstCol, amountCol, timeCol]) }
        var settings = TypologySettings()
        if let only { settings.enabled = only.split(separator: ",").map { String($0) } }
        _ = try settings.kinds()
        if let minAmount { settings.setMinAmount(minAmount) }
        var columns = TypologyColumns()
        columns.originator = srcCol; columns.beneficiary = dstCol; columns.amount = amountCol; columns.time = timeCol; columns.txnID = txnIDCol
        let output = try job.stage("detecting", key: "detect_s") { try TypologyDetection.detect(transactions: table, columns: columns, settings: settings) }
        if let out {
            let fmt = try TableFormat.parse(format) ?? .csv
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (name, t) in output.tables {
                let suffix = fmt == .csv ? ".csv" : fmt == .parquet ? ".parquet" : ""
                try TableIO.write(t, to: (out as NSString).appendingPathComponent(name + suffix), format: fmt)
            }
        }
        progress.finish()
        let lines = output.counts.map { "  \($0.0.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String($0.1).leftPad(7))" }
        let summary = "typologies: \(output.payments) payments, \(output.accounts) accounts\n" + lines.joined(separator: "\n")
        if out == nil { print(summary) } else { ExitReporting.printError(summary) }
        if let timingsJSON {
            for (kind, seconds) in output.seconds { job.add("\(kind)_s", seconds: seconds) }
            try job.writeJSON(to: timingsJSON)
        }
    }
}
