import Columnar
import Foundation

/// Table-level operations over a directory holding a Delta table. Every operation reads a
/// snapshot, writes data files under fresh unique names, and commits through
/// `DeltaTransaction` (the single atomic step).
public enum DeltaTable {
    /// True when `path` is a directory with a `_delta_log/` subdirectory.
    public static func isDeltaTable(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path + "/_delta_log", isDirectory: &isDir) && isDir.boolValue
    }

    /// Loads the snapshot, or nil when no table exists at `root`.
    static func existing(_ root: String) throws -> Snapshot? {
        do { return try Snapshot.load(root) } catch DeltaError.notATable { return nil }
    }

    /// Writes `table` to the Delta table at `root` (created when absent) and returns the
    /// committed version, or nil when nothing was committed (`ignore` on an existing table,
    /// or an idempotent batch already applied). Follows Spark's save modes and delta-rs's
    /// `write_deltalake`. O(rows) plus Parquet encoding.
    @discardableResult
    public static func write(_ table: Table, to root: String, options: DeltaWriteOptions = DeltaWriteOptions()) throws -> Int64? {
        do {
            return try writeOnce(table, to: root, options: options)
        } catch DeltaError.alreadyExists where options.mode == .append || options.mode == .ignore {
            // Lost a race to create the table: write again against the table the winner made.
            return try writeOnce(table, to: root, options: options)
        }
    }

    static func writeOnce(_ table: Table, to root: String, options: DeltaWriteOptions) throws -> Int64? {
        let store = LogStore(root: root)
        let snapshot = try existing(store.root)
        if let snapshot {
            switch options.mode {
            case .errorIfExists: throw DeltaError.alreadyExists(store.root)
            case .ignore: return nil
            default: break
            }
            try ProtocolSupport.checkWritable(snapshot.protocolAction, snapshot.metadata, root: store.root)
            if let t = options.transaction, let done = snapshot.appVersions[t.appId], done >= t.version { return nil }
        }
        let plan = try planSchema(table, snapshot: snapshot, options: options, root: store.root)
        let data = try conform(table, to: plan.schema)
        var tx = DeltaTransaction(store: store, readVersion: snapshot?.version ?? -1,
                                  isBlindAppend: options.mode == .append && snapshot != nil && plan.metadata == nil)
        if snapshot == nil { tx.actions.append(.protocol(ProtocolAction())) }
        if let m = plan.metadata { tx.actions.append(.metadata(m)) }
        if let t = options.transaction {
            tx.actions.append(.txn(TxnAction(appId: t.appId, version: t.version, lastUpdated: DeltaTransaction.nowMillis())))
        }
        if options.mode == .overwrite, let snapshot {
            if snapshot.metadata.configuration["delta.appendOnly"] == "true" {
                throw DeltaError.invalidArgument("\(store.root): table is append-only (delta.appendOnly); overwrite is not allowed")
            }
            tx.readWholeTable = true
            let now = DeltaTransaction.nowMillis()
            for f in snapshot.files {
                tx.readFiles.insert((try? TablePaths.uriDecode(f.path)) ?? f.path)
                tx.actions.append(.remove(RemoveAction(path: f.path, deletionTimestamp: now, dataChange: true,
                                                       extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size)))
            }
        }
        let adds = try writeDataFiles(data, root: store.root, partitionColumns: plan.partitionColumns, options: options)
        tx.actions.append(contentsOf: adds.map { .add($0) })
        let mode = options.mode == .errorIfExists || options.mode == .ignore ? "ErrorIfExists" : options.mode.rawValue.capitalized
        var params: [(String, JSONValue)] = [("mode", .string(mode))]
        if !plan.partitionColumns.isEmpty {
            params.append(("partitionBy", .string(JSONValue.array(plan.partitionColumns.map { .string($0) }).serialized)))
        }
        let metrics: [(String, JSONValue)] = [
            ("numFiles", .string(String(adds.count))),
            ("numOutputRows", .string(String(data.rowCount))),
            ("numOutputBytes", .string(String(adds.reduce(0) { $0 + $1.size }))),
        ]
        let version = try tx.commit(operation: snapshot == nil ? "CREATE TABLE AS SELECT" : "WRITE", parameters: params, metrics: metrics)
        maybeCheckpoint(store: store, version: version, options: options, metadata: plan.metadata ?? snapshot?.metadata)
        return version
    }

    /// Writes a checkpoint after `version` when the interval says so. A failed checkpoint
    /// does not undo the commit (the JSON log is complete without it), so errors are dropped.
    static func maybeCheckpoint(store: LogStore, version: Int64, options: DeltaWriteOptions, metadata: MetadataAction?) {
        let interval = metadata?.configuration["delta.checkpointInterval"].flatMap(Int64.init) ?? Int64(options.checkpointInterval)
        guard interval > 0, version > 0, version % interval == 0 else { return }
        _ = try? checkpoint(store.root, version: version)
    }

    struct SchemaPlan {
        var schema: Schema
        var partitionColumns: [String]
        /// New metadata to commit, when the table is created or its schema changes.
        var metadata: MetadataAction?
    }

    /// Schema enforcement (Delta's rules): an existing table accepts exactly its columns with
    /// their types; `mergeSchema` lets new nullable columns be added (missing ones are written
    /// as nulls); `overwriteSchema` with overwrite replaces the schema outright.
    static func planSchema(_ table: Table, snapshot: Snapshot?, options: DeltaWriteOptions, root: String) throws -> SchemaPlan {
        for p in options.partitionBy where table.schema.index(of: p) == nil {
            throw DeltaError.invalidArgument("partition column '\(p)' is not in the data (columns: \(table.columnNames.joined(separator: ", ")))")
        }
        var seen = Set<String>()
        for n in table.columnNames {
            guard seen.insert(n.lowercased()).inserted else { throw DeltaError.schemaMismatch("column '\(n)' appears twice (Delta column names are case-insensitive)") }
        }
        let replace = options.mode == .overwrite && options.overwriteSchema
        guard let snapshot, !replace else {
            let fresh = Schema(table.schema.fields.map { Field($0.name, $0.type, nullable: true) })
            for p in options.partitionBy {
                if case .binary = fresh.fields[fresh.index(of: p)!].type { throw DeltaError.invalidArgument("cannot partition by binary column '\(p)'") }
            }
            let md = MetadataAction(id: snapshot?.metadata.id ?? UUID().uuidString.lowercased(), name: options.name, description: options.description,
                                    schemaString: DeltaSchema.schemaString(fresh), partitionColumns: options.partitionBy,
                                    configuration: snapshot?.metadata.configuration ?? creationConfiguration(options), createdTime: DeltaTransaction.nowMillis())
            if fresh.count == table.columnCount, !fresh.fields.isEmpty || snapshot != nil { return SchemaPlan(schema: fresh, partitionColumns: options.partitionBy, metadata: md) }
            throw DeltaError.invalidArgument("cannot create a Delta table with no columns")
        }
        if !options.partitionBy.isEmpty && options.partitionBy != snapshot.partitionColumns {
            throw DeltaError.schemaMismatch("\(root) is partitioned by [\(snapshot.partitionColumns.joined(separator: ", "))], the write asks for [\(options.partitionBy.joined(separator: ", "))]")
        }
        let current = try snapshot.schema()
        var fields = current.fields
        var added: [String] = []
        for f in table.schema.fields {
            if let i = current.fields.firstIndex(where: { $0.name.lowercased() == f.name.lowercased() }) {
                let t = current.fields[i]
                guard t.name == f.name else { throw DeltaError.schemaMismatch("column '\(f.name)' is spelled '\(t.name)' in \(root)") }
                guard t.type == f.type || (t.type == .int64 && f.type == .int32) || (t.type == .double && f.type == .float) else {
                    throw DeltaError.schemaMismatch("column '\(f.name)' is \(f.type) in the data but \(t.type) in \(root)")
                }
            } else if options.mergeSchema {
                fields.append(Field(f.name, f.type, nullable: true))
                added.append(f.name)
            } else {
                throw DeltaError.schemaMismatch("column '\(f.name)' is not in the schema of \(root) (\(current)); pass mergeSchema to add it")
            }
        }
        let missing = current.fields.filter { cf in table.schema.index(of: cf.name) == nil }
        if !missing.isEmpty && !options.mergeSchema {
            throw DeltaError.schemaMismatch("the data lacks column(s) \(missing.map(\.name).joined(separator: ", ")) of \(root); pass mergeSchema to write them as nulls")
        }
        if let nn = missing.first(where: { !$0.nullable }) {
            throw DeltaError.schemaMismatch("column '\(nn.name)' of \(root) is not nullable and is missing from the data")
        }
        let schema = Schema(fields)
        var metadata: MetadataAction?
        if !added.isEmpty {
            var m = snapshot.metadata
            m.schemaString = DeltaSchema.schemaString(schema)
            metadata = m
        }
        return SchemaPlan(schema: schema, partitionColumns: snapshot.partitionColumns, metadata: metadata)
    }

    /// Settings for a new table: the caller's, plus a non-default checkpoint interval so that
    /// every later writer honours it.
    static func creationConfiguration(_ options: DeltaWriteOptions) -> [String: String] {
        var c = options.configuration
        if options.checkpointInterval != 10, c["delta.checkpointInterval"] == nil, options.checkpointInterval > 0 {
            c["delta.checkpointInterval"] = String(options.checkpointInterval)
        }
        return c
    }

    /// `table` with exactly `schema`'s columns, in order, widened where needed and
    /// null-filled where absent.
    static func conform(_ table: Table, to schema: Schema) throws -> Table {
        var pairs: [(String, Column)] = []
        for f in schema.fields {
            if let i = table.schema.index(of: f.name) {
                var c = table.columns[i]
                if c.type != f.type { c = try DataFiles.cast(c, to: f.type, column: f.name, file: "input") }
                pairs.append((f.name, c))
            } else {
                pairs.append((f.name, try PartitionValues.constantColumn(.null, type: f.type, count: table.rowCount)))
            }
        }
        return try Table(pairs)
    }

    /// Splits `data` by partition values, writes each group (in chunks of maxRowsPerFile) as
    /// Parquet under its hive-style directory, and returns the add actions with exact sizes
    /// and stats. Partition columns are not stored in the files (Delta convention).
    static func writeDataFiles(_ data: Table, root: String, partitionColumns: [String], options: DeltaWriteOptions) throws -> [AddAction] {
        var groups: [[Value]: [Int]] = [:]
        var order: [[Value]] = []
        let partIdx = try partitionColumns.map { p -> Int in
            guard let i = data.schema.index(of: p) else { throw DeltaError.invalidArgument("no partition column '\(p)'") }
            return i
        }
        if partIdx.isEmpty {
            order = [[]]
            groups[[]] = Array(0..<data.rowCount)
        } else {
            for r in 0..<data.rowCount {
                let key = partIdx.map { data.columns[$0].value(at: r) }
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(r)
            }
        }
        let dataColumns = data.columnNames.filter { !partitionColumns.contains($0) }
        var adds: [AddAction] = []
        var part = 0
        do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
        catch { throw DeltaError.io(root, "cannot create table directory") }
        for key in order {
            let rows = groups[key]!
            var partitionValues: [String: String?] = [:]
            var dir = ""
            for (k, p) in partitionColumns.enumerated() {
                let s = PartitionValues.serialize(key[k])
                partitionValues[p] = .some(s)
                dir += TablePaths.partitionSegment(p, s) + "/"
            }
            if !dir.isEmpty {
                do { try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true) }
                catch { throw DeltaError.io(root + "/" + dir, "cannot create partition directory") }
            }
            let wholeTable = partIdx.isEmpty
            var start = 0
            repeat {
                let end = min(rows.count, start + max(1, options.maxRowsPerFile))
                var chunk = try data.select(dataColumns)
                if !(wholeTable && start == 0 && end == rows.count) { chunk = chunk.gather(Array(rows[start..<end])) }
                let relative = dir + DataFiles.newFileName(part: part, codec: options.codec)
                part += 1
                let size = try DataFiles.write(chunk, to: root + "/" + relative, codec: options.codec, rowGroupSize: options.rowGroupSize)
                adds.append(AddAction(path: TablePaths.uriEncode(relative), partitionValues: partitionValues, size: size,
                                      modificationTime: LogStore.modificationTimeMillis(root + "/" + relative) ?? DeltaTransaction.nowMillis(),
                                      dataChange: true, stats: FileStats.compute(chunk).json))
                start = end
            } while start < rows.count
        }
        return adds
    }
}
