import ArgumentParser
import Columnar
import Parquet

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a table between CSV and Parquet (format by file extension).",
        discussion: """
        Reads INPUT (CSV, or Parquet when it ends in .parquet) and writes OUTPUT in the format
        its extension names. Parquet output is written atomically; the codec, row-group size,
        dictionary encoding and statistics are configurable. Nested Parquet columns inside
        structs are flattened to dotted names; lists and maps cannot be converted to CSV.

        Examples:
          amlgraph convert transactions.csv transactions.parquet
          amlgraph convert transactions.csv tx.parquet --codec snappy --row-group-size 100000
          amlgraph convert tx.parquet - --columns id,amount
          amlgraph convert tx.parquet tx.csv --where "amount>=1000"
        """
    )

    @Argument(help: "Input table (.csv or .parquet).") var input: String
    @Argument(help: "Output table (.csv or .parquet); `-` writes CSV to stdout.") var output: String
    @Option(help: "Comma-separated columns to keep.") var columns: String?
    @Option(help: "Output format: csv, parquet or delta (default: by what OUTPUT looks like).") var format: String?
    @Option(help: "Parquet codec: zstd, snappy, gzip, lz4_raw or none.") var codec = "zstd"
    @Option(name: .customLong("compression-level"), help: "zstd/gzip level.") var compressionLevel: Int32 = 1
    @Option(name: .customLong("row-group-size"), help: "Rows per Parquet row group.") var rowGroupSize = 1 << 20
    @Flag(name: .customLong("no-dictionary"), help: "Write PLAIN only (no dictionary encoding).") var noDictionary = false
    @Flag(name: .customLong("no-statistics"), help: "Do not write column statistics.") var noStatistics = false
    @Option(name: .customLong("where"), help: "Skip Parquet row groups whose statistics rule out `col<op>value` (op: = != < <= > >=). Rows are not filtered.")
    var wherePredicate: String?
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?

    func run() throws {
        var clock = Stopwatch()
        let selected = columns.map { $0.split(separator: ",").map(String.init) }
        var table: Table
        if TableIO.isParquet(input), let wherePredicate {
            table = try ParquetReader(path: input).readTable(columns: selected, where: [try parsePredicate(wherePredicate)])
        } else {
            if wherePredicate != nil { throw CLIError("--where applies to Parquet input only") }
            table = try TableIO.read(input, columns: selected)
        }
        let readSeconds = clock.lap()
        let outFormat = try TableIO.parseFormat(format) ?? TableIO.format(of: output)
        if outFormat == .parquet {
            var options = ParquetWriteOptions()
            guard let c = CompressionCodec(name: codec) else { throw CLIError("--codec \(codec): expected zstd, snappy, gzip, lz4_raw or none") }
            guard rowGroupSize > 0 else { throw CLIError("--row-group-size must be positive") }
            options.codec = c
            options.compressionLevel = compressionLevel
            options.rowGroupSize = rowGroupSize
            options.dictionary = !noDictionary
            options.statistics = !noStatistics
            try ParquetWriter.write(table, to: output, options: options)
        } else {
            try TableIO.write(table, to: output, format: outFormat)
        }
        let writeSeconds = clock.lap()
        if let timingsJSON {
            try TableIO.writeJSON([("read_s", readSeconds), ("write_s", writeSeconds), ("total_s", clock.total), ("rows", table.rowCount)], to: timingsJSON)
        }
    }

    private func parsePredicate(_ text: String) throws -> ParquetPredicate {
        for op in [ParquetPredicate.Op.le, .ge, .ne, .lt, .gt, .eq] {
            if let r = text.range(of: op.rawValue) {
                let column = String(text[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
                let raw = String(text[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                guard !column.isEmpty, !raw.isEmpty else { break }
                let value: Value = Int64(raw).map { .int($0) } ?? Double(raw).map { .double($0) } ?? .string(raw)
                return ParquetPredicate(column, op, value)
            }
        }
        throw CLIError("--where '\(text)': expected column<op>value with op one of = != < <= > >=")
    }
}
