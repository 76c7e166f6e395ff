import AMLWorkbench
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
          amlgraph convert tx.parquet tx.csv --where "amount >= 1000 and \\
              channel = 'wire'"
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
    @Option(name: .customLong("where"), help: "Keep rows where this expression is true (as `select --where`); Parquet row groups its `column op literal` terms rule out are not read.")
    var wherePredicate: String?
    @OptionGroup var csv: CSVInputOptions
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?

    func run() throws {
        var clock = Stopwatch()
        let cpuAtStart = processCPUSeconds()
        let selected = columns.map { $0.split(separator: ",").map(String.init) }
        let filter = try wherePredicate.map { try RowFilter($0) }
        // Columns the filter reads are read too, and dropped after filtering.
        let needed = selected.map { names in names + (filter?.columns ?? []).filter { !names.contains($0) } }
        var table: Table
        if TableIO.isParquet(input) {
            // Nested columns (lists, structs, maps) are read as nested columns and written back as such.
            let reader = try ParquetReader(path: input)
            let schema = try reader.schema()
            try filter?.check(schema)
            table = try reader.readTable(columns: needed, where: filter?.comparisons(in: schema) ?? [], nestedColumns: true)
        } else {
            table = try csv.read(input, columns: needed)
        }
        if let filter {
            table = try filter.apply(table)
            if let selected, selected.count != table.columnNames.count { table = try table.select(selected) }
        }
        let readSeconds = clock.lap()
        let cpuAfterRead = processCPUSeconds()
        let outFormat = try TableFormat.parse(format) ?? TableIO.format(of: output)
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
            try TimingsJSON.write([("read_s", readSeconds), ("write_s", writeSeconds), ("total_s", clock.total), ("rows", rows),
                                   ("read_cpu_s", cpu.afterRead - cpu.start), ("write_cpu_s", cpuEnd - cpu.afterRead)], to: timingsJSON)
        }
    }
}

/// CPU seconds (all threads) of this process, for timings that survive a busy machine.
private func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
