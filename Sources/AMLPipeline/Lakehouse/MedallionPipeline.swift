// `amlgraph pipeline`: bronze -> silver -> gold as Delta tables, the daily job of an AML team.
//
// Bronze appends each new input file once (Delta `txn` per file). Silver is rebuilt from
// bronze when bronze moved: typed, de-duplicated, validated by the declared expectations,
// with a quarantine and a `quality_metrics` row per expectation. Gold is rebuilt from silver
// when silver moved: one Delta version per table per run, so yesterday's answers stay
// readable by version. Every table commit is atomic; a failed run leaves each table at its
// previous version. A second run on the same inputs commits nothing.
import AMLWorkbench
import Columnar
import DeltaLake
import Parquet
import Foundation

/// Options of a pipeline run.
public struct PipelineOptions: Sendable {
    public var gold = GoldSettings()
    public var expectations = ExpectationSuite.standard
    /// The run's clock (µs since the epoch): ingest timestamps and quality rows use it.
    public var nowMicros = Int64(Date().timeIntervalSince1970 * 1_000_000)
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
    public var ingested: [String] = []
    public var alreadyIngested: [String] = []
    public var tables: [TableRun] = []
    public var quarantined: [String: Int] = [:]
    public var dropped: [String: Int] = [:]
    public var alerts = 0
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

    public var description: String {
        switch self {
        case let .missingInput(message): return message
        case let .expectationFailed(table, expectation, rows, examples):
            return "expectation '\(expectation)' on \(table) failed for \(rows) row(s) (policy fail; nothing was committed to silver or gold): \(examples.joined(separator: "; "))"
        }
    }
}

public enum MedallionPipeline {
    /// Runs every stage. `progress` receives stage names. Throws `PipelineError` for bad
    /// inputs or a failed expectation, Delta errors for storage problems; either way each
    /// table keeps its last committed version.
    public static func run(data: String, lake: String, options: PipelineOptions = .init(),
                           progress: (String) -> Void = { _ in }) throws -> PipelineSummary {
        var summary = PipelineSummary()
        let meter = StageMeter()
        summary.peakMemoryMethod = meter.probe.method
        func path(_ layer: String, _ name: String) -> String { (lake as NSString).appendingPathComponent("\(layer)/\(name)") }

        // Bronze: each new file appended once.
        progress("bronze")
        meter.begin("bronze")
        var found: [InputKind: [InputFile]] = [:]
        for kind in InputKind.allCases {
            found[kind] = try InputFiles.find(kind, in: data)
            if found[kind]!.isEmpty && !kind.isOptional && !DeltaTable.isDeltaTable(path("bronze", kind.rawValue)) {
                throw PipelineError.missingInput("\(data): no \(kind.rawValue) input (expected \(kind.rawValue).csv, \(kind.rawValue)_*.csv, .parquet, or a Delta table '\(kind.rawValue)')")
            }
        }
        for kind in InputKind.allCases {
            for file in found[kind]! {
                let root = path("bronze", kind.rawValue)
                if let snapshot = try? Snapshot.load(root), snapshot.appVersions[file.appID] != nil {
                    summary.alreadyIngested.append(file.name)
                    continue
                }
                let batch: BronzeBatch
                if file.path.lowercased().hasSuffix(".csv") {
                    batch = try BronzeIngest.ingest(path: file.path, schema: kind.schema, sourceName: file.name, ingestMicros: options.nowMicros)
                } else {
                    let raw = try TableIO.read(file.path)
                    batch = try BronzeIngest.ingest(table: raw, schema: kind.schema, sourceName: file.name, ingestMicros: options.nowMicros)
                }
                var w = DeltaWriteOptions()
                w.mode = .append
                w.mergeSchema = true
                w.transaction = (file.appID, 0)
                w.name = "bronze_\(kind.rawValue)"
                if try DeltaTable.write(batch.table, to: root, options: w) != nil { summary.ingested.append(file.name) } else { summary.alreadyIngested.append(file.name) }
            }
        }

        // Silver: rebuilt when its bronze table has a version silver has not seen.
        progress("silver")
        meter.begin("silver")
        var silverVersions: Int64 = 0
        var silverChanged = false
        var silver: [InputKind: Table] = [:]
        var pending: [(String, Table, Int64)] = []
        var metrics: [QualityRow] = []
        for kind in InputKind.allCases {
            let bronzeRoot = path("bronze", kind.rawValue)
            guard DeltaTable.isDeltaTable(bronzeRoot) else { continue }
            let bronzeVersion = try Snapshot.load(bronzeRoot).version
            let silverRoot = path("silver", kind.rawValue)
            silverVersions += bronzeVersion
            let upToDate = [kind.rawValue, kind.rawValue + "_quarantine"].allSatisfy {
                (applied(path("silver", $0), "amlgraph.silver.\($0)") ?? -1) >= bronzeVersion
            }
            if upToDate {
                silver[kind] = try DeltaTable.read(silverRoot)
                continue
            }
            silverChanged = true
            let bronze = try DeltaTable.read(bronzeRoot)
            let result = try SilverStage.build(kind: kind, bronze: bronze, suite: options.expectations)
            metrics += result.metrics.map { var m = $0; m.bronzeVersion = bronzeVersion; return m }
            summary.quarantined[kind.rawValue] = result.quarantine.rowCount
            summary.dropped[kind.rawValue] = result.dropped
            silver[kind] = result.silver
            pending.append(("silver/\(kind.rawValue)", result.silver, bronzeVersion))
            pending.append(("silver/\(kind.rawValue)_quarantine", result.quarantine, bronzeVersion))
        }
        // Expectations with policy `fail` were checked inside SilverStage.build before anything
        // is committed; now commit silver, its quarantine and the quality rows.
        for (name, table, version) in pending {
            let v = try overwrite(table, at: (lake as NSString).appendingPathComponent(name), appID: "amlgraph.\(name.replacingOccurrences(of: "/", with: "."))", version: version)
            summary.tables.append(.init(table: name, rows: table.rowCount, version: v))
        }
        if !metrics.isEmpty {
            let table = try QualityRow.table(metrics, runMicros: options.nowMicros)
            var w = DeltaWriteOptions()
            w.mode = .append
            w.transaction = ("amlgraph.quality_metrics", silverVersions)
            let v = try DeltaTable.write(table, to: path("silver", "quality_metrics"), options: w)
            summary.tables.append(.init(table: "silver/quality_metrics", rows: table.rowCount, version: v))
        }

        // Gold: rebuilt when any silver input moved (or a gold table is missing).
        progress("gold")
        meter.begin("gold")
        guard let entities = silver[.entities], let transactions = silver[.transactions] else {
            throw PipelineError.missingInput("\(lake): silver entities and transactions are required for the gold tables")
        }
        // A gold table is stale when its last run saw other silver versions (or it is missing,
        // for example after a run that was killed half-way through the gold writes).
        let goldStale = GoldTables.names.contains { (applied(path("gold", $0), "amlgraph.gold.\($0)") ?? -1) < silverVersions }
        if silverChanged || goldStale {
            // GoldTables reports each scenario as it starts: those boundaries are the sub-stages.
            let gold = try GoldTables.build(entities: entities, transactions: transactions, organisations: silver[.dedupe], settings: options.gold, progress: {
                meter.beginSubstage($0.replacingOccurrences(of: " ", with: "_"))
                progress("gold: \($0)")
            })
            meter.beginSubstage("write")
            for (name, table) in gold {
                let v = try overwrite(table, at: path("gold", name), appID: "amlgraph.gold.\(name)", version: silverVersions)
                summary.tables.append(.init(table: "gold/\(name)", rows: table.rowCount, version: v))
                if name == "alerts" { summary.alerts = table.rowCount }
            }
        } else {
            summary.alerts = (try? Snapshot.load(path("gold", "alerts")).statsRowCount.map { Int($0) } ?? nil) ?? 0
        }
        meter.end()
        summary.stages = meter.measurements
        return summary
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
