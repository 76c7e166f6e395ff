import Columnar
import Parquet

/// Writes a snapshot as a classic single-file Parquet checkpoint: the protocol, metaData,
/// txn, live add and tombstone actions that replaying the log up to the version yields.
/// Tombstones older than the table's `delta.deletedFileRetentionDuration` (7 days by
/// default) are expired, as PROTOCOL.md allows: vacuum may already have deleted their files.
enum CheckpointWriter {
    /// The tombstone retention in ms: `delta.deletedFileRetentionDuration` as Spark writes it
    /// (`interval 7 days`, units week/day/hour/minute/second), nil when absent or unreadable
    /// (then nothing is expired).
    static func retentionMillis(_ configuration: [String: String]) -> Int64? {
        guard let raw = configuration["delta.deletedFileRetentionDuration"] else { return Int64(DeltaTable.defaultRetentionHours * 3_600_000) }
        var words = raw.lowercased().split(separator: " ").map(String.init)
        if words.first == "interval" { words.removeFirst() }
        guard words.count == 2, let n = Int64(words[0]), n >= 0 else { return nil }
        let unit: Int64
        switch words[1].hasSuffix("s") ? String(words[1].dropLast()) : words[1] {
        case "week": unit = 604_800_000
        case "day": unit = 86_400_000
        case "hour": unit = 3_600_000
        case "minute": unit = 60_000
        case "second": unit = 1000
        default: return nil
        }
        let (ms, overflow) = n.multipliedReportingOverflow(by: unit)
        return overflow ? nil : ms
    }

    static func write(_ snapshot: Snapshot, to path: String, now: Int64 = DeltaTransaction.nowMillis()) throws {
        func str(_ s: String?) -> NestedValue { s.map { .string($0) } ?? .null }
        func i64(_ v: Int64?) -> NestedValue { v.map { .int($0) } ?? .null }
        func pmap(_ m: [String: String?]?) -> NestedValue {
            guard let m else { return .null }
            return .stringMap(m.keys.sorted().map { ($0, m[$0]!) })
        }
        func smap(_ m: [String: String]?) -> NestedValue {
            guard let m else { return .null }
            return .stringMap(m.keys.sorted().map { ($0, m[$0]) })
        }
        func list(_ l: [String]?) -> NestedValue { l.map { .list($0.map { .string($0) }) } ?? .null }
        func row(_ column: Int, _ v: NestedValue) -> [NestedValue] {
            var r = [NestedValue](repeating: .null, count: 5)
            r[column] = v
            return r
        }
        let p = snapshot.protocolAction
        let m = snapshot.metadata
        var rows: [[NestedValue]] = []
        rows.append(row(0, .structure([.int(Int64(p.minReaderVersion)), .int(Int64(p.minWriterVersion)), list(p.readerFeatures), list(p.writerFeatures)])))
        rows.append(row(1, .structure([.string(m.id), str(m.name), str(m.description), .structure([.string("parquet"), .stringMap([])]),
                                       .string(m.schemaString), list(m.partitionColumns), smap(m.configuration), i64(m.createdTime)])))
        for app in snapshot.appVersions.keys.sorted() {
            rows.append(row(2, .structure([.string(app), .int(snapshot.appVersions[app]!), .null])))
        }
        for a in snapshot.files {
            rows.append(row(3, .structure([.string(a.path), pmap(a.partitionValues), .int(a.size), .int(a.modificationTime),
                                           .bool(a.dataChange), str(a.stats), smap(a.tags)])))
        }
        let cutoff = retentionMillis(snapshot.metadata.configuration).map { now - $0 }
        for r in snapshot.tombstones {
            if let cutoff, let t = r.deletionTimestamp, t < cutoff { continue }
            rows.append(row(4, .structure([.string(r.path), i64(r.deletionTimestamp), .bool(r.dataChange),
                                           r.extendedFileMetadata.map { .bool($0) } ?? .null, pmap(r.partitionValues), i64(r.size)])))
        }
        var options = ParquetWriteOptions()
        options.codec = .snappy
        options.fileMode = LogStore(root: snapshot.root).fileMode
        do {
            let writer = try ParquetWriter(path: path, fields: CheckpointSchema.fields, options: options)
            try writer.write(rows: rows)
            try writer.close()
        } catch let e as ParquetError {
            throw DeltaError.io(path, "cannot write checkpoint: \(e)")
        }
    }
}
