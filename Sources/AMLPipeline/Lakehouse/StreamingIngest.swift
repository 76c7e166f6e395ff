// Bronze and silver of one input kind in batches: each batch of CSV records is typed into
// bronze, validated and normalised into silver, and written as its own Parquet files of both
// tables; the Delta commits wait for the end of the run. Memory follows one batch (plus the
// keys seen), not the file.
import AMLWorkbench
import Columnar
import DeltaLake
import Foundation

/// What streaming one kind's new files produced: staged (uncommitted) writes and the counts
/// the quality gate and the run summary need.
final class StreamedKind {
    /// Per new file, its bronze write (one commit per file, as a whole-file ingest makes).
    var bronze: [(file: InputFile, write: DeltaStagedWrite)] = []
    let silver: DeltaStagedWrite
    let quarantine: DeltaStagedWrite
    /// True when silver and quarantine are appended to (an incremental day).
    let incremental: Bool
    var batcher: SilverBatcher
    var dropped = 0
    /// The first quarantined rows (at most 3), for the gate's examples.
    var examples: Table?
    /// Silver's new rows per batch, only the columns gold reads, kept only when gold runs.
    var silverBatches: [Table] = []
    var batches = 0

    init(silver: DeltaStagedWrite, quarantine: DeltaStagedWrite, incremental: Bool, batcher: SilverBatcher) {
        self.silver = silver
        self.quarantine = quarantine
        self.incremental = incremental
        self.batcher = batcher
    }

    /// Deletes every staged file (the run failed or falls back to the whole-file path).
    func abandon() {
        for b in bronze { b.write.abandon() }
        silver.abandon()
        quarantine.abandon()
    }
}

enum StreamingIngest {
    /// Raised inside the stream when batches cannot give the whole-file result (a later batch
    /// or file with other columns or id types, which a whole-file ingest widens): the caller
    /// abandons the staged files and takes the whole-file path.
    struct Fallback: Error {}

    /// Whether `source` can be read in batches: a UTF-8 CSV file read with every column.
    static func eligible(_ source: PipelineSource) -> Bool {
        let read = source.parsing.read
        return source.file.path != "-" && source.file.path.lowercased().hasSuffix(".csv") && read.encoding == .utf8
            && read.columns == nil && read.types.isEmpty && read.rejectPath == nil
    }

    /// Streams `sources` (the new files of `kind`, in order) into staged bronze, silver and
    /// quarantine writes. `silverOptions` are the silver and quarantine tables' write options
    /// (overwrite for a rebuild, append for an incremental day, whose silver keys are then
    /// read as already seen). Returns nil when the files need the whole-file path (nothing is
    /// left staged then). Throws read errors as a whole-file ingest would, after removing
    /// the staged files. `keepSilver` (nil when gold does not run) names the silver columns
    /// each batch keeps for gold. O(input bytes); memory one batch of `batchBytes` plus the
    /// keys seen and the kept columns.
    static func run(kind: InputKind, sources: [PipelineSource], lake: String, incremental: Bool,
                    silverOptions: (DeltaWriteOptions, DeltaWriteOptions), suite: ExpectationSuite,
                    nowMicros: Int64, batchBytes: Int, keepSilver: GoldColumns?) throws -> StreamedKind? {
        func path(_ layer: String, _ name: String) -> String { (lake as NSString).appendingPathComponent("\(layer)/\(name)") }
        let silverRoot = path("silver", kind.rawValue), quarantineRoot = path("silver", kind.rawValue + "_quarantine")
        var keptKeys: Column?
        var shapes: (silver: [String], quarantine: [String])?
        func shape(_ s: Schema) -> [String] { s.fields.map { "\($0.name):\($0.type)" } }
        if incremental {
            if let key = ExpectationSuite.keys[kind.rawValue] { keptKeys = try? DeltaTable.read(silverRoot, columns: [key]).column(key) }
            shapes = (shape(try Snapshot.load(silverRoot).schema()), shape(try Snapshot.load(quarantineRoot).schema()))
        }
        let stream = StreamedKind(silver: DeltaStagedWrite(root: silverRoot, options: silverOptions.0),
                                  quarantine: DeltaStagedWrite(root: quarantineRoot, options: silverOptions.1),
                                  incremental: incremental, batcher: SilverBatcher(kind: kind, suite: suite, keptKeys: keptKeys))
        var bronzeShape: [String]?
        do {
            for source in sources {
                var w = DeltaWriteOptions()
                w.mode = .append
                w.mergeSchema = true
                w.transaction = (source.file.appID, 0)
                w.name = "bronze_\(kind.rawValue)"
                let bronzeWrite = DeltaStagedWrite(root: path("bronze", kind.rawValue), options: w)
                stream.bronze.append((source.file, bronzeWrite))
                // Silver's normalised keys depend on each row alone: they are computed on the
                // reading thread, ahead of the batch's validation.
                try streamFile(source, schema: kind.schema, nowMicros: nowMicros, batchBytes: batchBytes,
                               ahead: { try SilverStage.normalisedColumns($0, kind: kind) }) { bronze, normalised in
                    if bronzeShape == nil { bronzeShape = shape(bronze.schema) }
                    guard shape(bronze.schema) == bronzeShape else { throw Fallback() }
                    // Bronze's file is encoded while silver validates, normalises and writes
                    // the same batch (independent work on the same input); bronze's error, if
                    // any, is the one reported, as when the two ran one after the other.
                    var bronzeError: Error?, silverError: Error?
                    var silverOut: (silver: Table, quarantine: Table, dropped: Int)?
                    DispatchQueue.concurrentPerform(iterations: 2) { task in
                        if task == 0 {
                            do { try bronzeWrite.append(bronze) } catch DeltaError.schemaMismatch { bronzeError = Fallback() } catch { bronzeError = error }
                        } else {
                            do {
                                let out = try stream.batcher.add(bronze, normalised: normalised)
                                if let shapes, shape(out.silver.schema) != shapes.silver || shape(out.quarantine.schema) != shapes.quarantine { throw Fallback() }
                                try stream.silver.append(out.silver)
                                try stream.quarantine.append(out.quarantine)
                                silverOut = out
                            } catch { silverError = error }
                        }
                    }
                    if let bronzeError { throw bronzeError }
                    if let silverError { throw silverError }
                    let out = silverOut!
                    stream.dropped += out.dropped
                    stream.batches += 1
                    if out.quarantine.rowCount > 0, (stream.examples?.rowCount ?? 0) < 3 {
                        let head = out.quarantine.gather(Array(0..<min(3, out.quarantine.rowCount)))
                        stream.examples = try stream.examples.map { try Table.concatenate([$0, head]) } ?? head
                    }
                    if let keepSilver { stream.silverBatches.append(try keepSilver.project(kind, out.silver)) }
                }
            }
        } catch is Fallback {
            stream.abandon()
            return nil
        } catch {
            stream.abandon()
            throw error
        }
        return stream
    }

    /// Reads one CSV file batch by batch into bronze tables (declared schema, rescued data,
    /// lineage), as `BronzeIngest.ingest(path:)` would for the whole file: records the parser
    /// rejects come last, as one more batch. `body` sees every batch in file order, with
    /// `ahead` of it when computed (on the reading thread; nil for the rejected records' batch).
    static func streamFile(_ source: PipelineSource, schema: Schema, nowMicros: Int64, batchBytes: Int,
                           ahead: ((Table) throws -> [(String, Column)])? = nil,
                           _ body: (Table, [(String, Column)]?) throws -> Void) throws {
        let file = source.file, parsing = source.parsing
        let rejects = NSTemporaryDirectory() + "amlgraph-bronze-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: rejects) }
        var csv = CSVReadOptions()
        csv.delimiter = parsing.read.delimiter
        csv.defaultType = .string
        csv.rejectPath = rejects
        csv.batchBytes = max(1, batchBytes)
        let reader = try CSVReader(path: file.path, options: csv)
        var conformedSchema: Schema?
        func bronze(_ raw: Table) throws -> Table {
            let (conformed, _) = try BronzeIngest.conform(try BronzeIngest.renamed(raw, parsing, file: file.path), to: schema, parsing: parsing)
            return try BronzeIngest.stamp(conformed, source: file.name, ingestMicros: nowMicros)
        }
        func deliver(_ table: Table, _ extra: [(String, Column)]?) throws {
            // The stamp adds two lineage columns after the conformed ones.
            conformedSchema = Schema(Array(table.schema.fields.dropLast(2)))
            try body(table, extra)
        }
        var delivered = 0
        // Batch N+1 is parsed and typed on a producer thread while `body` validates and
        // writes batch N; batches arrive in file order, so results do not change.
        try BatchPrefetch<(Table, [(String, Column)]?)>.run(produce: { emit in
            try reader.forEachBatch { raw in
                let table = try bronze(raw)
                try emit((table, try ahead?(table)))
            }
        }, consume: { batch in
            delivered += 1
            try deliver(batch.0, batch.1)
        })
        if delivered == 0 {
            try deliver(try bronze(try Table(schema: reader.schema, columns: try reader.schema.fields.map { try Column(type: $0.type, values: []) })), nil)
        }
        guard reader.rejectedRowCount > 0, let good = conformedSchema else { return }
        // Records the CSV parser rejected (wrong field count, bad quoting) keep their raw text.
        let rejected = try CSVReader.read(path: rejects) { $0.defaultType = .string }
        let line = try rejected.column("line"), error = try rejected.column("error"), record = try rejected.column("record")
        var corrupt: [String] = []
        for r in 0..<rejected.rowCount {
            corrupt.append(BronzeIngest.json([("_corrupt_record", record.value(at: r).stringValue ?? ""),
                                              ("_error", "line \(line.value(at: r).description): \(error.value(at: r).stringValue ?? "")")]))
        }
        var nulls = try good.fields.dropLast().map { try Column(type: $0.type, values: Array(repeating: .null, count: corrupt.count)) }
        nulls.append(.string(corrupt))
        try body(try BronzeIngest.stamp(try Table(schema: good, columns: nulls), source: file.name, ingestMicros: nowMicros), nil)
    }
}
