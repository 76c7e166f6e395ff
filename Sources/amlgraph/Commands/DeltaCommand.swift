import AMLWorkbench
import ArgumentParser
import Columnar
import DeltaLake
import Foundation

/// `amlgraph delta ...`: inspect and maintain Delta tables. Thin: parse, call DeltaLake, print.
struct DeltaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delta",
        abstract: "Inspect, read, write and maintain Delta Lake tables.",
        discussion: """
        Examples:
          amlgraph delta history lake/transactions
          amlgraph delta show lake/transactions --version 3
          amlgraph delta read lake/transactions --timestamp \\
              2026-11-23T08:00:00Z --columns id,amount --out -
          amlgraph delta write transactions.csv lake/transactions --mode \\
              append --partition-by region
          amlgraph delta vacuum lake/transactions --retention-hours 168 \\
              --dry-run
          amlgraph delta checkpoint lake/transactions
          amlgraph delta delete lake/transactions --where "amount < 0"
        """,
        subcommands: [DeltaHistoryCommand.self, DeltaShowCommand.self, DeltaReadCommand.self, DeltaWriteCommand.self,
                      DeltaDeleteCommand.self, DeltaVacuumCommand.self, DeltaCheckpointCommand.self]
    )
}

/// `--version N | --timestamp T`, shared by the reading subcommands.
struct VersionOptions: ParsableArguments {
    @Option(help: "Read this table version.") var version: Int64?
    @Option(help: "Read the newest version committed at or before this time (ISO 8601, or ms since the epoch).") var timestamp: String?

    func timestampMillis() throws -> Int64? {
        guard var t = timestamp else { return nil }
        if version != nil { throw CLIError("give --version or --timestamp, not both") }
        if let ms = Int64(t) { return ms }
        guard let micros = t.withUTF8({ CivilTime.parseTimestamp($0) }) else {
            throw CLIError("--timestamp \(t): expected ISO 8601 like 2026-11-23T08:00:00Z or milliseconds since the epoch")
        }
        return micros / 1000
    }
}

struct DeltaHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List the table's commits, newest first.",
        discussion: """
        Examples:
          amlgraph delta history lake/transactions
          amlgraph delta history lake/transactions --limit 5 --out history.csv
        """)
    @Argument(help: "Delta table directory.") var path: String
    @Option(help: "At most this many commits.") var limit: Int?
    @Option(help: "Output file; `-` for stdout.") var out = "-"
    @Option(help: "Output format: csv, parquet or delta (default: by what --out looks like).") var format: String?

    func run() throws {
        let table = try DeltaTable.historyTable(try DeltaTable.history(path, limit: limit))
        try TableIO.write(table, to: out, format: TableFormat.parse(format))
    }
}

struct DeltaShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Describe one version: schema, partitions, files, rows, protocol.",
        discussion: """
        Examples:
          amlgraph delta show lake/transactions
          amlgraph delta show lake/transactions --timestamp 2026-11-23T08:00:00Z
        """)
    @Argument(help: "Delta table directory.") var path: String
    @OptionGroup var at: VersionOptions

    func run() throws {
        let s = try Snapshot.load(path, version: at.version, timestamp: at.timestampMillis())
        let schemaText: String = s.fields.map { (f: DeltaSchema.DeltaField) -> String in
            let t: String = f.type?.description ?? f.typeName
            return f.name + ":" + t
        }.joined(separator: ",")
        let bytes: Int64 = s.files.reduce(Int64(0)) { $0 + $1.size }
        let rows: String = s.statsRowCount.map { String($0) } ?? "unknown (files without stats)"
        var lines: [String] = [
            "table: \(s.root)",
            "version: \(s.version)",
            "id: \(s.metadata.id)",
            "protocol: reader \(s.protocolAction.minReaderVersion), writer \(s.protocolAction.minWriterVersion)",
            "schema: " + schemaText,
            "partition columns: " + (s.partitionColumns.isEmpty ? "(none)" : s.partitionColumns.joined(separator: ",")),
            "files: \(s.files.count)",
            "bytes: \(bytes)",
            "rows: " + rows,
        ]
        if !s.metadata.configuration.isEmpty {
            lines.append("configuration: " + s.metadata.configuration.keys.sorted().map { "\($0)=\(s.metadata.configuration[$0]!)" }.joined(separator: ","))
        }
        for app in s.appVersions.keys.sorted() { lines.append("txn: \(app) = \(s.appVersions[app]!)") }
        print(lines.joined(separator: "\n"))
    }
}

struct DeltaReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read", abstract: "Read a version of the table, with projection and filters.",
        discussion: """
        --where takes the expression language of `select --where`; its
        `column op literal` terms skip files by partition values and statistics,
        then the whole expression filters rows exactly.

        Examples:
          amlgraph delta read lake/transactions --out -
          amlgraph delta read lake/transactions --version 2 --columns \\
              id,amount --out v2.parquet
          amlgraph delta read lake/transactions --where "region = 'EU' and \\
              amount >= 1000" --out big.csv
        """)
    @Argument(help: "Delta table directory.") var path: String
    @OptionGroup var at: VersionOptions
    @Option(help: "Comma-separated columns to read.") var columns: String?
    @Option(name: .customLong("where"), help: "Keep rows where this expression is true (repeatable: all must hold).") var filters: [String] = []
    @Option(help: "Output file; `-` for stdout.") var out = "-"
    @Option(help: "Output format: csv, parquet or delta (default: by what --out looks like).") var format: String?
    @Flag(name: .customLong("count-only"), help: "Print the row count instead of writing the rows (for timing reads).") var countOnly = false
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?

    func run() throws {
        var clock = Stopwatch()
        let snapshot = try Snapshot.load(path, version: at.version, timestamp: at.timestampMillis())
        let selected = columns.map { $0.split(separator: ",").map(String.init) }
        let table = filters.isEmpty ? try DeltaTable.read(snapshot, columns: selected)
            : try DeltaTable.read(snapshot, columns: selected, where: RowFilter(filters.map { "(\($0))" }.joined(separator: " and ")))
        let readSeconds = clock.lap()
        if countOnly { print(table.rowCount) } else { try TableIO.write(table, to: out, format: TableFormat.parse(format), deltaFields: snapshot.fields) }
        if let timingsJSON {
            try TimingsJSON.write([("read_s", readSeconds), ("write_s", clock.lap()), ("rows", table.rowCount)], to: timingsJSON)
        }
    }
}

struct DeltaWriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write", abstract: "Append, overwrite or merge a table (CSV, Parquet or Delta) into a Delta table.",
        discussion: """
        Examples:
          amlgraph delta write day1.csv lake/tx --partition-by region
          amlgraph delta write day2.csv lake/tx --mode append --app-id ingest \\
              --txn-version 2
          amlgraph delta write fixed.csv lake/tx --merge-on id
          amlgraph delta write changes.csv lake/tx --merge-on id \\
              --when-matched "delete if source.closed" \\
              --when-matched "update if source.amount <> target.amount" \\
              --when-not-matched "insert if source.amount > 0"
          amlgraph delta write all.parquet lake/tx --mode overwrite \\
              --overwrite-schema

        --merge-on runs Delta's MERGE ... ON target.k = source.k. Without
        --when-* options it upserts (WHEN MATCHED UPDATE SET *, WHEN NOT
        MATCHED INSERT *). Each --when-matched is `update`, `delete` or `none`
        and each --when-not-matched `insert` or `none`, optionally followed by
        `if CONDITION` (the expression language; `target.` and `source.` name
        the two rows). The first matched clause whose condition holds applies;
        only the last of each kind may omit its condition.
        """)
    @Argument(help: "Input table (CSV, Parquet or Delta directory).") var input: String
    @Argument(help: "Delta table directory (created if absent).") var path: String
    @Option(help: "append, overwrite, error or ignore.") var mode = "append"
    @Option(name: .customLong("partition-by"), help: "Comma-separated partition columns (new tables).") var partitionBy: String?
    @Flag(name: .customLong("merge-schema"), help: "Allow new columns to be added to the schema.") var mergeSchema = false
    @Flag(name: .customLong("overwrite-schema"), help: "With --mode overwrite, replace the schema.") var overwriteSchema = false
    @Option(name: .customLong("merge-on"), help: "Upsert by these comma-separated key columns instead of appending.") var mergeOn: String?
    @Option(name: .customLong("app-id"), help: "Idempotent writes: application id (with --txn-version).") var appId: String?
    @Option(name: .customLong("txn-version"), help: "Idempotent writes: batch number; a batch already committed is skipped.") var txnVersion: Int64?
    @Option(help: "Parquet codec: zstd, snappy, gzip or none.") var codec = "zstd"
    @Option(name: .customLong("checkpoint-interval"), help: "Write a checkpoint every N commits (0: never).") var checkpointInterval = 10
    @OptionGroup var csv: CSVInputOptions
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Option(name: .customLong("when-matched"), help: "With --merge-on: 'update', 'delete' or 'none' [if CONDITION], in order (repeatable; default update).") var whenMatched: [String] = []
    @Option(name: .customLong("when-not-matched"), help: "With --merge-on: 'insert' or 'none' [if CONDITION] (repeatable; default insert).") var whenNotMatched: [String] = []
    @Option(help: "With --merge-on: re-run a merge that lost to a conflicting concurrent commit up to this many times.") var retries = 0
    @Option(help: "Octal permissions of a new table's directories (files get the same without execute). Default 700: owner only, since lakes hold customers' identifiers; 750 or 755 share it.") var permissions = "700"

    func run() throws {
        var clock = Stopwatch()
        guard let dirMode = UInt32(permissions, radix: 8), dirMode <= 0o777, dirMode & 0o700 == 0o700 else {
            throw CLIError("--permissions \(permissions): expected octal bits like 700, 750 or 755 that let the owner read, write and enter")
        }
        let table = try csv.read(input)
        let readSeconds = clock.lap()
        defer {
            if let timingsJSON {
                let writeSeconds = clock.lap()
                try? TimingsJSON.write([("read_s", readSeconds), ("write_s", writeSeconds), ("rows", table.rowCount)], to: timingsJSON)
            }
        }
        var o = DeltaWriteOptions()
        guard let m = SaveMode(rawValue: mode) else { throw CLIError("--mode \(mode): expected append, overwrite, error or ignore") }
        o.mode = m
        o.partitionBy = partitionBy.map { $0.split(separator: ",").map(String.init) } ?? []
        o.mergeSchema = mergeSchema
        o.overwriteSchema = overwriteSchema
        o.codec = codec
        o.checkpointInterval = checkpointInterval
        o.directoryMode = dirMode
        guard retries >= 0 else { throw CLIError("--retries \(retries): expected a count of 0 or more") }
        o.conflictRetries = retries
        switch (appId, txnVersion) {
        case let (a?, v?): o.transaction = (appId: a, version: v)
        case (nil, nil): break
        default: throw CLIError("--app-id and --txn-version go together")
        }
        if mergeOn == nil && !(whenMatched.isEmpty && whenNotMatched.isEmpty) {
            throw CLIError("--when-matched and --when-not-matched need --merge-on")
        }
        if let mergeOn {
            var clauses = MergeClauses.upsert
            if !whenMatched.isEmpty { clauses.matched = try whenMatched.compactMap(MergeClauses.parseMatched) }
            if !whenNotMatched.isEmpty { clauses.notMatched = try whenNotMatched.compactMap(MergeClauses.parseNotMatched) }
            let r = try DeltaTable.merge(table, into: path, on: mergeOn.split(separator: ",").map(String.init), clauses: clauses, options: o)
            ExitReporting.printError(r.version.map { "version \($0): \(r.rowsUpdated) updated, \(r.rowsDeleted) deleted, \(r.rowsInserted) inserted, \(r.filesRewritten) file(s) rewritten" } ?? "nothing written (batch already applied or no clause applied)")
        } else {
            let v = try DeltaTable.write(table, to: path, options: o)
            ExitReporting.printError(v.map { "version \($0): \(table.rowCount) row(s) written" } ?? "nothing written (batch already applied or table exists)")
        }
    }
}

struct DeltaDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete the rows where an expression is true (Delta's DELETE ... WHERE).",
        discussion: """
        --where takes the expression language of `select --where`; rows where it
        is false or null are kept. Files whose every row matches are removed;
        files with some matching rows are rewritten without them. A delete that
        matches nothing commits nothing.

        Examples:
          amlgraph delta delete lake/transactions --where "amount < 0"
          amlgraph delta delete lake/tx --where "region = 'EU' and day < \\
              '2026-01-01'" --retries 3
        """)
    @Argument(help: "Delta table directory.") var path: String
    @Option(name: .customLong("where"), help: "Delete rows where this expression is true (repeatable: all must hold).") var filters: [String]
    @Option(help: "Re-run a delete that lost to a conflicting concurrent commit up to this many times.") var retries = 0

    func run() throws {
        guard retries >= 0 else { throw CLIError("--retries \(retries): expected a count of 0 or more") }
        guard !filters.isEmpty else { throw CLIError("--where is required (to delete every row use --where true)") }
        var o = DeltaWriteOptions()
        o.conflictRetries = retries
        let r = try DeltaTable.delete(from: path, where: RowFilter(filters.map { "(\($0))" }.joined(separator: " and ")), options: o)
        ExitReporting.printError(r.version.map { "version \($0): \(r.rowsDeleted) row(s) deleted, \(r.filesRemoved) file(s) removed, \(r.filesRewritten) rewritten" } ?? "no row matched; nothing written")
    }
}

struct DeltaVacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacuum", abstract: "Delete unreferenced data files older than the retention period.",
        discussion: """
        Examples:
          amlgraph delta vacuum lake/transactions --dry-run
          amlgraph delta vacuum lake/transactions --retention-hours 0 --force
        """)
    @Argument(help: "Delta table directory.") var path: String
    @Option(name: .customLong("retention-hours"), help: "Keep files removed less than this many hours ago (default 168).") var retentionHours = DeltaTable.defaultRetentionHours
    @Flag(name: .customLong("dry-run"), help: "List the files without deleting them.") var dryRun = false
    @Flag(help: "Allow a retention below 168 hours (breaks time travel to older versions).") var force = false

    func run() throws {
        let r = try DeltaTable.vacuum(path, retentionHours: retentionHours, dryRun: dryRun, enforceRetention: !force)
        for f in r.files { print(f) }
        ExitReporting.printError("\(dryRun ? "would delete" : "deleted") \(r.files.count) file(s)")
    }
}

struct DeltaCheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Write a Parquet checkpoint of a version (newest by default).",
        discussion: """
        Examples:
          amlgraph delta checkpoint lake/transactions
          amlgraph delta checkpoint lake/transactions --version 20
        """)
    @Argument(help: "Delta table directory.") var path: String
    @Option(help: "Version to checkpoint.") var version: Int64?

    func run() throws {
        let v = try DeltaTable.checkpoint(path, version: version)
        ExitReporting.printError("checkpoint written for version \(v)")
    }
}
