import ArgumentParser
import Columnar
import Parquet
#if canImport(Glibc)
import Glibc
#endif

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a table between CSV and Parquet (format by file extension).",
        discussion: """
        Reads INPUT (CSV, or Parquet when it ends in .parquet) and writes OUTPUT in
        the format its extension names. Parquet output is written atomically; the
        codec, row-group size, dictionary encoding and statistics are configurable.
        Nested Parquet columns inside top-level struct, list and map columns become
        JSON text when converting to CSV; Parquet to Parquet keeps nested columns as
        they are.

        Examples:
          amlgraph convert transactions.csv transactions.parquet
          amlgraph convert transactions.csv tx.parquet --codec snappy \\
              --row-group-size 100000
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
        let cpuAtStart = processCPUSeconds()
        let selected = columns.map { $0.split(separator: ",").map(String.init) }
        var table: Table
        if TableIO.isParquet(input) {
            let reader = try ParquetReader(path: input)
            let fields = try reader.nestedFields()
            let keep = selected.map { names in fields.filter { names.contains($0.name) } } ?? fields
            let nested = keep.contains { if case .primitive = $0.type { return false } else { return true } }
            if nested && TableIO.isParquet(output) {
                // Parquet to Parquet keeps nested columns as they are.
                let rows = try reader.readRows(columns: keep.map(\.name))
                let readSeconds = clock.lap()
                let cpuAfterRead = processCPUSeconds()
                let writer = try ParquetWriter(path: output, fields: keep, options: try writeOptions())
                try writer.write(rows: rows)
                try writer.close()
                try report(readSeconds, clock.lap(), &clock, rows.count, cpu: (cpuAtStart, cpuAfterRead))
                return
            }
            let predicates = try wherePredicate.map { [try parsePredicate($0)] } ?? []
            table = try reader.readTable(columns: selected, where: predicates, nestedAsJSON: true)
        } else {
            if wherePredicate != nil { throw CLIError("--where applies to Parquet input only") }
            table = try TableIO.read(input, columns: selected)
        }
        let readSeconds = clock.lap()
        let cpuAfterRead = processCPUSeconds()
        let outFormat = try TableIO.parseFormat(format) ?? TableIO.format(of: output)
        if outFormat == .parquet {
            try ParquetWriter.write(table, to: output, options: try writeOptions())
        } else {
            try TableIO.write(table, to: output, format: outFormat)
        }
        try report(readSeconds, clock.lap(), &clock, table.rowCount, cpu: (cpuAtStart, cpuAfterRead))
    }

    private func writeOptions() throws -> ParquetWriteOptions {
        var options = ParquetWriteOptions()
        guard let c = CompressionCodec(name: codec) else { throw CLIError("--codec \(codec): expected zstd, snappy, gzip, lz4_raw or none") }
        guard rowGroupSize > 0 else { throw CLIError("--row-group-size must be positive") }
        options.codec = c
        options.compressionLevel = compressionLevel
        options.rowGroupSize = rowGroupSize
        options.dictionary = !noDictionary
        options.statistics = !noStatistics
        return options
    }

    private func report(_ readSeconds: Double, _ writeSeconds: Double, _ clock: inout Stopwatch, _ rows: Int, cpu: (start: Double, afterRead: Double)) throws {
        if let timingsJSON {
            let cpuEnd = processCPUSeconds()
            try TableIO.writeJSON([("read_s", readSeconds), ("write_s", writeSeconds), ("total_s", clock.total), ("rows", rows),
                                   ("read_cpu_s", cpu.afterRead - cpu.start), ("write_cpu_s", cpuEnd - cpu.afterRead)], to: timingsJSON)
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

/// CPU seconds (all threads) of this process, for timings that survive a busy machine.
private func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
