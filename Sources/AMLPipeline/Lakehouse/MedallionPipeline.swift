// `amlgraph pipeline`: bronze -> silver -> gold as Delta tables, the daily job of an AML team.
//
// Bronze appends each new input file once (Delta `txn` per file). Silver appends the new
// files' rows when it had seen all earlier bronze versions (an incremental day), and is
// otherwise rebuilt from bronze: typed, de-duplicated, validated by the declared expectations,
// with a quarantine and a `quality_metrics` row per expectation. Gold is rebuilt from silver
// when silver moved: one Delta version per table per run, so yesterday's answers stay
// readable by version. Every stage runs in memory first; tables are committed only after every
// stage succeeded, so a failed run (a bad file, too many quarantined rows, a scenario error)
// leaves every table at the last complete run. Each run, complete or failed, is a row of the
// `runs` table (run id, input files, table versions). A second run on the same inputs commits
// nothing but its `runs` row.
import AMLWorkbench
import Columnar
import DeltaLake
import Parquet
import Foundation

/// Options of a pipeline run.
public struct PipelineOptions: Sendable {
    public var gold = GoldSettings()
    public var expectations = ExpectationSuite.standard
    /// Stop before gold when a table quarantines more than this share of its rows.
    public var maxQuarantineShare = 0.05
    /// The run's clock (µs since the epoch): ingest timestamps and quality rows use it.
    public var nowMicros = Int64(Date().timeIntervalSince1970 * 1_000_000)
    /// Stop after silver (ingest only): bronze and silver are committed, gold is left as it
    /// is, and only the inputs present are needed. Default false: every stage runs.
    public var stopAfterSilver = false
    /// Bytes of CSV input bronze and silver read, validate and write per batch (each batch
    /// its own Parquet files, one commit per table at the end), so memory follows a batch,
    /// not the file. 0 reads each file whole. Default 64 MiB (about half a million payments).
    /// Results do not depend on it.
    public var ingestBatchBytes = 64 << 20
    public init() {}
}

/// What a run did, for the summary the CLI prints and for tests.
public struct PipelineSummary: Sendable {
    public struct TableRun: Sendable, Equatable {
        public var table: String
        public var rows: Int
        /// The Delta version committed, nil when the table was already up to date.
        public var version: Int64?
    }
    /// The `runs` table's id of this run.
    public var runID = ""
    /// Things a user should know that did not stop the run: canonical columns an input
    /// lacks (null in every row) and the scenarios that need them, said once per column.
    public var notices: [String] = []
    public var ingested: [String] = []
    public var alreadyIngested: [String] = []
    public var tables: [TableRun] = []
    public var quarantined: [String: Int] = [:]
    public var dropped: [String: Int] = [:]
    public var alerts = 0
    /// Per entity-only gold table, its Delta version and input fingerprint after this run
    /// (`"gold/address_flags" -> "<version>|<fingerprint>"`), recorded in the `runs` table so
    /// a later run can reuse it (see `GoldReuse`). Empty when gold did not run.
    public var goldInputs: [String: String] = [:]
    /// Wall seconds and peak resident memory of each stage (`bronze`, `silver`, `gold`) in run
    /// order, each stage followed by its sub-stages (`gold.synthetic_identity`, ...,
    /// `gold.write`, the Delta commits); sub-stages appear only when gold was rebuilt.
    public var stages: [StageMeasurement] = []
    /// How `stages` measured peak memory: each stage's own peak (`clearRefs`), or the
    /// process's peak so far (`rusage`, where /proc/self/clear_refs is unavailable).
    public var peakMemoryMethod = PeakMemoryMethod.clearRefs

    /// Wall seconds of the top-level stages, in run order.
    public var stageSeconds: [(String, Double)] { stages.filter { !$0.isSubstage }.map { ($0.stage, $0.seconds) } }

    /// True when nothing was committed (the inputs were already processed).
    public var isNoOp: Bool { ingested.isEmpty && tables.allSatisfy { $0.version == nil } }
}

/// Why a run stopped.
public enum PipelineError: Error, CustomStringConvertible {
    case missingInput(String)
    case expectationFailed(table: String, expectation: String, rows: Int, examples: [String])
    case tooManyQuarantined(table: String, quarantined: Int, rows: Int, limit: Double, counts: [(String, Int)], examples: [String])

    public var description: String {
        switch self {
        case let .missingInput(message): return message
        case let .expectationFailed(table, expectation, rows, examples):
            return "expectation '\(expectation)' on \(table) failed for \(rows) row(s) (policy fail; nothing was committed): \(examples.joined(separator: "; "))"
        case let .tooManyQuarantined(table, quarantined, rows, limit, counts, examples):
            let share = rows == 0 ? 0 : Double(quarantined) / Double(rows)
            return "\(table): \(quarantined) of \(rows) rows quarantined (\(String(format: "%.1f", share * 100))%, more than the \(String(format: "%g", limit * 100))% allowed by quality.max_quarantine_share); "
                + "the run stopped before gold and committed nothing. Failed expectations: "
                + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ". Examples: " + examples.joined(separator: "; ")
        }
    }
}

/// One input file with how to parse it.
public struct PipelineSource: Sendable {
    public var file: InputFile
    public var parsing: BronzeParsing
    public init(file: InputFile, parsing: BronzeParsing = .init()) {
        self.file = file
        self.parsing = parsing
    }
}

public enum MedallionPipeline {
    /// Runs every stage on the files of `data` with canonical names and columns (see
    /// `InputFiles.find`). `progress` receives stage names. Throws `PipelineError` for bad
    /// inputs, a failed expectation or too many quarantined rows, Delta errors for storage
    /// problems; either way no table moves.
    public static func run(data: String, lake: String, options: PipelineOptions = .init(),
                           progress: (String) -> Void = { _ in }) throws -> PipelineSummary {
        var sources: [InputKind: [PipelineSource]] = [:]
        for kind in InputKind.allCases {
            sources[kind] = try InputFiles.find(kind, in: data).map { PipelineSource(file: $0) }
            if sources[kind]!.isEmpty && !kind.isOptional && !options.stopAfterSilver && !DeltaTable.isDeltaTable((lake as NSString).appendingPathComponent("bronze/\(kind.rawValue)")) {
                throw PipelineError.missingInput("\(data): no \(kind.rawValue) input (expected \(kind.rawValue).csv, \(kind.rawValue)_*.csv, .parquet, or a Delta table '\(kind.rawValue)')")
            }
        }
        return try run(sources: sources, lake: lake, options: options, progress: progress)
    }

    /// Runs every stage on the inputs a config names, read as the config says, with its
    /// scenario settings and quality gate.
    public static func run(config: PipelineConfig, lake: String, options: PipelineOptions = .init(),
                           progress: (String) -> Void = { _ in }) throws -> PipelineSummary {
        var o = options
        o.gold = config.gold
        o.maxQuarantineShare = config.quality.maxQuarantineShare
        var sources: [InputKind: [PipelineSource]] = [:]
        var notices: [String] = []
        for (kind, spec) in config.inputs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            var parsing = try spec.parsing()
            parsing.read = try spec.readOptions()
            parsing.columns = spec.columns
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let fingerprint = String(decoding: try encoder.encode(spec), as: UTF8.self)
            let file = try InputFiles.file(kind, path: spec.path, settingsFingerprint: fingerprint)
            sources[kind] = [PipelineSource(file: file, parsing: parsing)]
            notices += try missingColumns(kind, spec: spec)
        }
        var summary = try run(sources: sources, lake: lake, options: o, progress: progress)
        summary.notices = notices + summary.notices
        return summary
    }

    /// Runs every stage on `sources`, committing only when all succeeded; records the run.
    public static func run(sources: [InputKind: [PipelineSource]], lake: String, options: PipelineOptions = .init(),
                           progress: (String) -> Void = { _ in }) throws -> PipelineSummary {
        let runID = UUID().uuidString.lowercased()
        let started = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let files = InputKind.allCases.flatMap { sources[$0] ?? [] }.map(\.file.name)
        do {
            var summary = try stages(sources: sources, lake: lake, options: options, progress: progress)
            summary.runID = runID
            try RunLog.record(lake: lake, runID: runID, started: started, status: "complete", inputs: files, tables: summary.tables, error: nil,
                              goldInputs: summary.goldInputs)
            return summary
        } catch {
            try? RunLog.record(lake: lake, runID: runID, started: started, status: "failed", inputs: files, tables: [], error: "\(error)")
            throw error
        }
    }

    static func stages(sources: [InputKind: [PipelineSource]], lake: String, options: PipelineOptions,
                       progress: (String) -> Void) throws -> PipelineSummary {
        var summary = PipelineSummary()
        let meter = StageMeter()
        summary.peakMemoryMethod = meter.probe.method
        func path(_ layer: String, _ name: String) -> String { (lake as NSString).appendingPathComponent("\(layer)/\(name)") }
        // Every commit waits here until all stages succeeded.
        var commits: [() throws -> Void] = []
        // Gold holds only the silver columns its scenarios read (GoldColumns).
        let goldColumns = GoldColumns(settings: options.gold)
        func readKept(_ kind: InputKind, _ root: String) throws -> Table {
            try DeltaTable.read(root, columns: goldColumns.keep(kind, schema: try Snapshot.load(root).schema()))
        }

        // Bronze: each new file parsed once; appended at the end.
        progress("bronze")
        meter.begin("bronze")
        var newBatches: [InputKind: [Table]] = [:]
        // Kinds read in batches: bronze and silver staged together (StreamingIngest). Files
        // staged but not committed (a failed run) are removed on the way out.
        var streamed: [InputKind: StreamedKind] = [:]
        // A transaction-dedupe model file that gold trains and writes (its first run) is an
        // output of this run: a failed run removes it again, as it leaves every table.
        let modelFile = options.gold.transactionDedupe.modelFile.flatMap { FileManager.default.fileExists(atPath: $0) ? nil : $0 }
        var completed = false
        defer {
            if !completed, let modelFile { try? FileManager.default.removeItem(atPath: modelFile) }
        }
        // A failed first run leaves no empty layer directories behind either.
        let layers = ["bronze", "silver"].map { (lake as NSString).appendingPathComponent($0) }
        let missingLayers = layers.filter { !FileManager.default.fileExists(atPath: $0) }
        defer {
            for s in streamed.values { s.abandon() }
            for dir in missingLayers { _ = rmdir(dir) }   // only while empty
        }
        for kind in InputKind.allCases {
            let root = path("bronze", kind.rawValue)
            var fresh: [PipelineSource] = []
            for source in sources[kind] ?? [] {
                if let snapshot = try? Snapshot.load(root), snapshot.appVersions[source.file.appID] != nil {
                    summary.alreadyIngested.append(source.file.name)
                    continue
                }
                fresh.append(source)
            }
            if options.ingestBatchBytes > 0, !fresh.isEmpty, fresh.allSatisfy(StreamingIngest.eligible),
               let mode = try streamMode(kind, lake: lake, files: fresh.count) {
                if let stream = try StreamingIngest.run(kind: kind, sources: fresh, lake: lake, incremental: mode.incremental,
                                                        silverOptions: mode.options, suite: options.expectations, nowMicros: options.nowMicros,
                                                        batchBytes: options.ingestBatchBytes, keepSilver: options.stopAfterSilver ? nil : goldColumns) {
                    streamed[kind] = stream
                    summary.ingested += fresh.map(\.file.name)
                    for b in stream.bronze { commits.append { _ = try b.write.commit() } }
                    continue
                }
            }
            for source in fresh {
                let file = source.file
                let batch: BronzeBatch
                if file.path.lowercased().hasSuffix(".csv") || file.path == "-" {
                    batch = try BronzeIngest.ingest(path: file.path, schema: kind.schema, sourceName: file.name, ingestMicros: options.nowMicros, parsing: source.parsing)
                } else {
                    let raw = try TableIO.read(file.path)
                    batch = try BronzeIngest.ingest(table: raw, schema: kind.schema, sourceName: file.name, ingestMicros: options.nowMicros, parsing: source.parsing)
                }
                newBatches[kind, default: []].append(batch.table)
                summary.ingested.append(file.name)
                commits.append {
                    var w = DeltaWriteOptions()
                    w.mode = .append
                    w.mergeSchema = true
                    w.transaction = (file.appID, 0)
                    w.name = "bronze_\(kind.rawValue)"
                    _ = try DeltaTable.write(batch.table, to: root, options: w)
                }
            }
        }

        // Silver: rebuilt when its bronze table has (or will have) a version silver has not seen.
        progress("silver")
        meter.begin("silver")
        var silverVersions: Int64 = 0
        var silverChanged = false
        var silverTouched: Set<InputKind> = []
        var silver: [InputKind: Table] = [:]
        var pending: [(String, Table, Int64)] = []
        var appends: [(String, Table, Int64, Int)] = []   // name, new rows, version, rows already there
        var priorSilverRows: [InputKind: Int] = [:]   // kinds whose silver this run keeps and appends to (GoldIncrement)
        var metrics: [QualityRow] = []
        var streamRuns: [() throws -> PipelineSummary.TableRun] = []
        for kind in InputKind.allCases {
            let bronzeRoot = path("bronze", kind.rawValue)
            let exists = DeltaTable.isDeltaTable(bronzeRoot)
            let added = newBatches[kind] ?? []
            let stream = streamed[kind]
            guard exists || !added.isEmpty || stream != nil else { continue }
            // The version bronze will have after this run's appends (one commit per file).
            let bronzeBefore = exists ? try Snapshot.load(bronzeRoot).version : -1
            let bronzeVersion = bronzeBefore + Int64(added.count + (stream?.bronze.count ?? 0))
            let silverRoot = path("silver", kind.rawValue)
            silverVersions += bronzeVersion
            if let stream {
                // Read in batches: the files are staged; the gate decides over the whole run.
                silverChanged = true
                silverTouched.insert(kind)
                try stream.batcher.checkFailPolicies()
                let quarantineRoot = path("silver", kind.rawValue + "_quarantine")
                var priorRows = 0, priorQuarantined = 0, keptRows = 0
                if stream.incremental {
                    priorRows = Int(try Snapshot.load(bronzeRoot).statsRowCount ?? Int64(try DeltaTable.read(bronzeRoot).rowCount))
                    priorQuarantined = Int(try Snapshot.load(quarantineRoot).statsRowCount ?? Int64(try DeltaTable.read(quarantineRoot).rowCount))
                    keptRows = Int(try Snapshot.load(silverRoot).statsRowCount ?? Int64(try DeltaTable.read(silverRoot).rowCount))
                    priorSilverRows[kind] = keptRows
                }
                let batchMetrics = stream.batcher.metrics
                try qualityGate(kind: kind, rows: stream.batcher.rows, quarantined: stream.quarantine.rowCount, metrics: batchMetrics,
                                examples: stream.examples, limit: options.maxQuarantineShare, priorRows: priorRows, priorQuarantined: priorQuarantined)
                metrics += batchMetrics.map { var m = $0; m.bronzeVersion = bronzeVersion; return m }
                summary.quarantined[kind.rawValue] = stream.quarantine.rowCount
                summary.dropped[kind.rawValue] = stream.dropped
                // The keys seen are no longer needed: a fresh batcher lets them go before gold.
                stream.batcher = SilverBatcher(kind: kind, suite: options.expectations)
                if !options.stopAfterSilver {
                    var parts = (stream.incremental ? [try readKept(kind, silverRoot)] : []) + stream.silverBatches
                    stream.silverBatches = []
                    silver[kind] = try KeptSilver.concatenate(&parts)
                }
                let name = "silver/\(kind.rawValue)"
                streamRuns.append {
                    let v = try stream.silver.commit()
                    return .init(table: name, rows: keptRows + stream.silver.rowCount, version: v)
                }
                streamRuns.append {
                    let v = try stream.quarantine.commit()
                    return .init(table: name + "_quarantine", rows: priorQuarantined + stream.quarantine.rowCount, version: v)
                }
                continue
            }
            let silverAt = [kind.rawValue, kind.rawValue + "_quarantine"].map { applied(path("silver", $0), "amlgraph.silver.\($0)") ?? -1 }
            if added.isEmpty && silverAt.allSatisfy({ $0 >= bronzeVersion }) {
                if !options.stopAfterSilver { silver[kind] = try readKept(kind, silverRoot) }
                priorSilverRows[kind] = silver[kind]?.rowCount
                continue
            }
            silverChanged = true
            silverTouched.insert(kind)
            // Incremental day: silver saw every earlier bronze version, so only the new files
            // are validated and appended (see SilverAppend); otherwise silver is rebuilt.
            if exists, !added.isEmpty, silverAt.allSatisfy({ $0 == bronzeBefore }),
               let increment = try SilverAppend.build(kind: kind, added: added, silverRoot: silverRoot,
                                                      quarantineRoot: path("silver", kind.rawValue + "_quarantine"), suite: options.expectations) {
                // The gate counts as a rebuild would: every bronze row so far and every row
                // quarantined so far, so day 1 then day 2 stops exactly when one run would.
                let quarantineRoot = path("silver", kind.rawValue + "_quarantine")
                let priorRows = try Snapshot.load(bronzeRoot).statsRowCount
                    ?? Int64(try DeltaTable.read(bronzeRoot).rowCount)
                let priorQuarantined = DeltaTable.isDeltaTable(quarantineRoot)
                    ? (try Snapshot.load(quarantineRoot).statsRowCount ?? Int64(try DeltaTable.read(quarantineRoot).rowCount)) : 0
                try qualityGate(kind: kind, bronze: increment.bronze, result: increment.result, limit: options.maxQuarantineShare,
                                priorRows: Int(priorRows), priorQuarantined: Int(priorQuarantined))
                metrics += increment.result.metrics.map { var m = $0; m.bronzeVersion = bronzeVersion; return m }
                summary.quarantined[kind.rawValue] = increment.result.quarantine.rowCount
                summary.dropped[kind.rawValue] = increment.result.dropped
                priorSilverRows[kind] = increment.kept.rowCount
                var parts = [try goldColumns.project(kind, increment.kept), try goldColumns.project(kind, increment.result.silver)]
                silver[kind] = try KeptSilver.concatenate(&parts)
                appends.append(("silver/\(kind.rawValue)", increment.result.silver, bronzeVersion, increment.kept.rowCount))
                appends.append(("silver/\(kind.rawValue)_quarantine", increment.result.quarantine, bronzeVersion, Int(priorQuarantined)))
                continue
            }
            let bronze = try TableUnion.byName((exists ? [try DeltaTable.read(bronzeRoot)] : []) + added)
            let result = try SilverStage.build(kind: kind, bronze: bronze, suite: options.expectations)
            try qualityGate(kind: kind, bronze: bronze, result: result, limit: options.maxQuarantineShare)
            metrics += result.metrics.map { var m = $0; m.bronzeVersion = bronzeVersion; return m }
            summary.quarantined[kind.rawValue] = result.quarantine.rowCount
            summary.dropped[kind.rawValue] = result.dropped
            silver[kind] = try goldColumns.project(kind, result.silver)
            pending.append(("silver/\(kind.rawValue)", result.silver, bronzeVersion))
            pending.append(("silver/\(kind.rawValue)_quarantine", result.quarantine, bronzeVersion))
        }
        var tableRuns: [() throws -> PipelineSummary.TableRun] = streamRuns
        for (name, table, version) in pending {
            tableRuns.append {
                let v = try overwrite(table, at: (lake as NSString).appendingPathComponent(name), appID: "amlgraph.\(name.replacingOccurrences(of: "/", with: "."))", version: version)
                return .init(table: name, rows: table.rowCount, version: v)
            }
        }
        for (name, table, version, before) in appends {
            tableRuns.append {
                var w = DeltaWriteOptions()
                w.mode = .append
                w.transaction = ("amlgraph.\(name.replacingOccurrences(of: "/", with: "."))", version)
                let v = try DeltaTable.write(table, to: (lake as NSString).appendingPathComponent(name), options: w)
                return .init(table: name, rows: before + table.rowCount, version: v)
            }
        }
        if !metrics.isEmpty {
            let table = try QualityRow.table(metrics, runMicros: options.nowMicros)
            let version = silverVersions
            tableRuns.append {
                var w = DeltaWriteOptions()
                w.mode = .append
                w.transaction = ("amlgraph.quality_metrics", version)
                let v = try DeltaTable.write(table, to: path("silver", "quality_metrics"), options: w)
                return .init(table: "silver/quality_metrics", rows: table.rowCount, version: v)
            }
        }

        // Gold: rebuilt when any silver input moved (or a gold table is missing).
        if options.stopAfterSilver {
            meter.begin("write")
            for commit in commits { try commit() }
            for run in tableRuns { summary.tables.append(try run()) }
            meter.end()
            summary.stages = meter.measurements
            completed = true
            return summary
        }
        progress("gold")
        HeapTrim.release()
        meter.begin("gold")
        guard let entities = silver[.entities], let transactions = silver[.transactions] else {
            throw PipelineError.missingInput("\(lake): silver entities and transactions are required for the gold tables")
        }
        // A gold table is stale when its last run saw other silver versions (or it is missing,
        // for example after a run that was killed half-way through the gold writes).
        // Entity-only tables carry no transaction id (see below): stale when missing.
        let goldStale = GoldTables.names.contains {
            GoldReuse.entityOnly[$0] != nil ? !DeltaTable.isDeltaTable(path("gold", $0))
                : (applied(path("gold", $0), "amlgraph.gold.\($0)") ?? -1) < silverVersions
        }
        var alerts: Int?
        var goldInputs: [String: String] = [:]
        if silverChanged || goldStale {
            // Entity-only tables whose inputs and settings did not change are reused (GoldReuse).
            let reuse = GoldReuse.reusable(lake: lake, settings: options.gold, touched: silverTouched)
            if !reuse.isEmpty {
                summary.notices.append("gold: reused " + GoldTables.names.filter { reuse[$0] != nil }.joined(separator: ", ")
                                       + " (entity inputs and settings unchanged)")
            }
            // Gold tables the previous run left that this run can extend (GoldIncrement).
            let increment = GoldIncrementState()
            if let rows = priorSilverRows[.transactions], let version = try? Snapshot.load(path("silver", "transactions")).version {
                increment.previousDedupe = GoldIncrement.previousDedupe(lake: lake, silverVersion: version, rows: rows, settings: options.gold)
            }
            let transactionRows = transactions.rowCount
            // GoldTables reports each scenario as it starts: those boundaries are the sub-stages.
            let gold = try GoldTables.build(entities: entities, transactions: transactions, organisations: silver[.dedupe], settings: options.gold, reuse: reuse,
                                            increment: increment, progress: {
                HeapTrim.release()
                meter.beginSubstage($0.replacingOccurrences(of: " ", with: "_"))
                progress("gold: \($0)")
            })
            summary.notices += increment.notices
            for (name, table) in gold {
                if name == "alerts" { alerts = table.rowCount }
                if GoldReuse.entityOnly[name] != nil {
                    // Written without a Delta transaction id (a changed setting on the same
                    // silver versions must still replace it); its inputs are recorded instead.
                    let reused = reuse[name] != nil
                    tableRuns.append {
                        var v: Int64?
                        if !reused {
                            var w = DeltaWriteOptions()
                            w.mode = .overwrite
                            w.overwriteSchema = true
                            v = try DeltaTable.write(options.gold.masking.apply(table), to: path("gold", name), options: w)
                        }
                        let now = try Snapshot.load(path("gold", name)).version
                        goldInputs["gold/\(name)"] = "\(now)|" + GoldReuse.fingerprint(name, lake: lake, settings: options.gold)
                        return .init(table: "gold/\(name)", rows: table.rowCount, version: v)
                    }
                    continue
                }
                tableRuns.append {
                    let v = try overwrite(options.gold.masking.apply(table), at: path("gold", name), appID: "amlgraph.gold.\(name)", version: silverVersions)
                    if name == "transaction_dedupe", let f = GoldIncrement.dedupeFingerprint(
                        silverVersion: try Snapshot.load(path("silver", "transactions")).version, rows: transactionRows, settings: options.gold) {
                        goldInputs["gold/\(name)"] = "\(try Snapshot.load(path("gold", name)).version)|" + f
                    }
                    return .init(table: "gold/\(name)", rows: table.rowCount, version: v)
                }
            }
        }

        // Every stage succeeded: commit bronze, then silver, then gold.
        HeapTrim.release()
        meter.beginSubstage("write")
        for commit in commits { try commit() }
        for run in tableRuns { summary.tables.append(try run()) }
        summary.goldInputs = goldInputs
        summary.alerts = alerts ?? ((try? Snapshot.load(path("gold", "alerts")).statsRowCount.map { Int($0) } ?? nil) ?? 0)
        meter.end()
        summary.stages = meter.measurements
        completed = true
        return summary
    }

    /// Which scenarios read each canonical column (beside the expectations on it).
    static let columnUsers: [String: String] = [
        "txn_ts": "structuring, roundtrips, behaviour_anomaly (and the timestamp_present expectation)",
        "txn_amount": "structuring, roundtrips, risk_propagation, behaviour_anomaly (and amount_positive)",
        "rptd_originator_name": "transaction_dedupe", "rptd_originator_address": "transaction_dedupe",
        "name": "alerts and report names, entity resolution (and name_present)", "address": "address_flags, synthetic_identity",
        "email_addr": "synthetic_identity", "phone_number": "synthetic_identity", "ssn": "synthetic_identity",
        "entity_type": "address_flags (and entity_type_known)", "risk_score": "risk_propagation",
        "org_name": "entity_dedupe", "country": "entity_dedupe", "amount": "entity_dedupe",
    ]

    /// One notice per canonical column the input at `spec` lacks.
    static func missingColumns(_ kind: InputKind, spec: InputSpec) throws -> [String] {
        let header = Set(try TableIO.schema(spec.path, options: try spec.readOptions()).names)
        return kind.schema.names.filter { !header.contains(spec.columns[$0] ?? $0) }.map { column in
            "\(kind.rawValue): \((spec.path as NSString).lastPathComponent) has no column for \(column) (null in every row)"
                + (columnUsers[column].map { "; it is used by \($0)" } ?? "")
        }
    }

    /// Stops the run when more than `limit` of the rows were quarantined, with the count per
    /// failed expectation and example rows. An incremental day passes the rows and quarantine
    /// already in the lake (`priorRows`, `priorQuarantined`), so the share is the one a rebuild
    /// over every file would see. O(failed expectations).
    static func qualityGate(kind: InputKind, bronze: Table, result: SilverResult, limit: Double,
                            priorRows: Int = 0, priorQuarantined: Int = 0) throws {
        try qualityGate(kind: kind, rows: bronze.rowCount, quarantined: result.quarantine.rowCount, metrics: result.metrics,
                        examples: result.quarantine, limit: limit, priorRows: priorRows, priorQuarantined: priorQuarantined)
    }

    /// The gate over counts: `rows` bronze rows of this run, `quarantined` of them in the
    /// quarantine, whose first rows are `examples`.
    static func qualityGate(kind: InputKind, rows newRows: Int, quarantined newQuarantined: Int, metrics: [QualityRow], examples: Table?,
                            limit: Double, priorRows: Int = 0, priorQuarantined: Int = 0) throws {
        let rows = priorRows + newRows, quarantined = priorQuarantined + newQuarantined
        guard rows > 0, Double(quarantined) > limit * Double(rows) else { return }
        let counts = metrics.filter { $0.failed > 0 }.sorted { $0.failed > $1.failed }.map { ($0.expectation, $0.failed) }
        let show = ["_source_file"] + (ExpectationSuite.keys[kind.rawValue].map { [$0] } ?? []) + ["_failed_expectations", "_rescued_data"]
        let examples = examples.map { q in
            (0..<min(3, q.rowCount)).map { r in
                show.compactMap { name in q.schema.index(of: name).map { "\(name)=\(q.value(row: r, column: $0))" } }.joined(separator: ", ")
            }
        } ?? []
        throw PipelineError.tooManyQuarantined(table: kind.rawValue, quarantined: quarantined, rows: rows, limit: limit, counts: counts, examples: examples)
    }

    /// How a kind's new files can be streamed: a first load (silver rebuilt from them alone)
    /// or an incremental day (silver saw every earlier bronze version: the new rows are
    /// appended); nil when silver must be rebuilt from all of bronze (the whole-file path).
    static func streamMode(_ kind: InputKind, lake: String, files: Int) throws -> (incremental: Bool, options: (DeltaWriteOptions, DeltaWriteOptions))? {
        func path(_ layer: String, _ name: String) -> String { (lake as NSString).appendingPathComponent("\(layer)/\(name)") }
        let bronzeRoot = path("bronze", kind.rawValue)
        let names = [kind.rawValue, kind.rawValue + "_quarantine"]
        let exists = DeltaTable.isDeltaTable(bronzeRoot)
        let bronzeBefore = exists ? try Snapshot.load(bronzeRoot).version : -1
        let version = bronzeBefore + Int64(files)
        let incremental = exists
        if exists {
            let silverAt = names.map { applied(path("silver", $0), "amlgraph.silver.\($0)") ?? -1 }
            guard silverAt.allSatisfy({ $0 == bronzeBefore }), names.allSatisfy({ DeltaTable.isDeltaTable(path("silver", $0)) }) else { return nil }
        }
        func options(_ name: String) -> DeltaWriteOptions {
            var w = DeltaWriteOptions()
            w.mode = incremental ? .append : .overwrite
            w.overwriteSchema = !incremental
            w.transaction = ("amlgraph.silver.\(name)", version)
            return w
        }
        return (incremental, (options(names[0]), options(names[1])))
    }

    /// The version `appID` last committed to the table at `root`, if any.
    static func applied(_ root: String, _ appID: String) -> Int64? {
        guard DeltaTable.isDeltaTable(root), let snapshot = try? Snapshot.load(root) else { return nil }
        return snapshot.appVersions[appID]
    }

    /// Replaces a table's rows in a new version, once per (appID, version): re-running with
    /// the same inputs is skipped by Delta's own transaction check.
    static func overwrite(_ table: Table, at root: String, appID: String, version: Int64) throws -> Int64? {
        var w = DeltaWriteOptions()
        w.mode = .overwrite
        w.overwriteSchema = true
        w.transaction = (appID, version)
        return try DeltaTable.write(table, to: root, options: w)
    }
}
