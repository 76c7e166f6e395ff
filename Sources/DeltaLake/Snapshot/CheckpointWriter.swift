import Columnar
import Parquet

/// Writes a snapshot as a classic single-file Parquet checkpoint: the protocol, metaData,
/// txn, live add and tombstone actions that replaying the log up to the version yields.
enum CheckpointWriter {
    static func write(_ snapshot: Snapshot, to path: String) throws {
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
        for r in snapshot.tombstones {
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
