import Columnar
import Foundation
import Parquet

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
        if snapshot == nil { try checkCreatable(store.root) }
        let plan = try planSchema(table, snapshot: snapshot, options: options, root: store.root)
        let data = try conform(table, to: plan.fields, root: store.root)
        try checkConstraints(data, fields: plan.fields, configuration: (plan.metadata ?? snapshot?.metadata)?.configuration ?? [:], root: store.root)
        var tx = try beginWrite(store: store, snapshot: snapshot, plan: plan, options: options)
        let adds = try writeDataFiles(data, root: store.root, partitionColumns: plan.partitionColumns, options: options, fields: plan.fields)
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

    /// A new table may be created only where nothing else lives: an absent path, an empty
    /// directory, or one holding only what an earlier, interrupted write of a table leaves
    /// (`_delta_log`, hidden files, `part-*` data files, `name=value` partition directories).
    /// A directory of other files (say one named `x.csv`) is an error, not a place for a table.
    static func checkCreatable(_ root: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw DeltaError.io(root, "exists and is not a directory; refusing to replace it with a Delta table") }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        if let foreign = names.sorted().first(where: { !($0.hasPrefix("_") || $0.hasPrefix(".") || $0.hasPrefix("part-") || $0.contains("=")) }) {
            throw DeltaError.io(root, "is a directory that is not a Delta table and holds other files (\(foreign)); refusing to create a table in it")
        }
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
        /// The Delta fields written (exact Spark types, nullability, metadata).
        var fields: [DeltaSchema.DeltaField]
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
            if fresh.count == table.columnCount, !fresh.fields.isEmpty || snapshot != nil {
                return SchemaPlan(schema: fresh, partitionColumns: options.partitionBy, metadata: md, fields: try DeltaSchema.parse(md.schemaString, context: root))
            }
            throw DeltaError.invalidArgument("cannot create a Delta table with no columns")
        }
        if !options.partitionBy.isEmpty && options.partitionBy != snapshot.partitionColumns {
            throw DeltaError.schemaMismatch("\(root) is partitioned by [\(snapshot.partitionColumns.joined(separator: ", "))], the write asks for [\(options.partitionBy.joined(separator: ", "))]")
        }
        let current = snapshot.fields
        _ = try snapshot.schema() // every column must be one amlgraph can hold
        var added: [Field] = []
        for (f, column) in zip(table.schema.fields, table.columns) {
            if let t = current.first(where: { $0.name.lowercased() == f.name.lowercased() }) {
                guard t.name == f.name else { throw DeltaError.schemaMismatch("column '\(f.name)' is spelled '\(t.name)' in \(root)") }
                guard canStore(column, in: t) else {
                    throw DeltaError.schemaMismatch("column '\(f.name)' is \(f.type) in the data but \(t.typeName) in \(root)")
                }
            } else if options.mergeSchema {
                added.append(Field(f.name, f.type, nullable: true))
            } else {
                throw DeltaError.schemaMismatch("column '\(f.name)' is not in the schema of \(root) (\(current.map { "\($0.name):\($0.typeName)" }.joined(separator: ", "))); pass mergeSchema to add it")
            }
        }
        let missing = current.filter { cf in table.schema.index(of: cf.name) == nil }
        if !missing.isEmpty && !options.mergeSchema {
            throw DeltaError.schemaMismatch("the data lacks column(s) \(missing.map(\.name).joined(separator: ", ")) of \(root); pass mergeSchema to write them as nulls")
        }
        if let nn = missing.first(where: { !$0.nullable }) {
            throw DeltaError.schemaMismatch("column '\(nn.name)' of \(root) is not nullable and is missing from the data")
        }
        guard !added.isEmpty else {
            return SchemaPlan(schema: try snapshot.schema(), partitionColumns: snapshot.partitionColumns, metadata: nil, fields: current)
        }
        // Existing fields are written back exactly as the log holds them; only new ones are made here.
        var m = snapshot.metadata
        m.schemaString = DeltaSchema.schemaString(keeping: current, adding: added)
        let fields = try DeltaSchema.parse(m.schemaString, context: root)
        return SchemaPlan(schema: try DeltaSchema.columnarSchema(fields, strict: true), partitionColumns: snapshot.partitionColumns, metadata: m, fields: fields)
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

    /// Splits `data` by partition values, writes each group (in chunks of maxRowsPerFile) as
    /// Parquet under its hive-style directory, and returns the add actions with exact sizes
    /// and stats. Partition columns are not stored in the files (Delta convention).
    static func writeDataFiles(_ data: Table, root: String, partitionColumns: [String], options: DeltaWriteOptions, fields: [DeltaSchema.DeltaField] = []) throws -> [AddAction] {
        var annotations: [String: ColumnAnnotation] = [:]
        for f in fields where !partitionColumns.contains(f.name) { if let a = DeltaSchema.annotation(f.typeName) { annotations[f.name] = a } }
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
        if !FileManager.default.fileExists(atPath: root) {
            do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(options.directoryMode & 0o777)]) }
            catch { throw DeltaError.io(root, "cannot create table directory") }
        }
        let store = LogStore(root: root)
        let dirMode = store.directoryMode
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
                do { try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true, attributes: [.posixPermissions: Int(dirMode)]) }
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
                let size = try DataFiles.write(chunk, to: root + "/" + relative, codec: options.codec, rowGroupSize: options.rowGroupSize, annotations: annotations, fileMode: store.fileMode)
                adds.append(AddAction(path: TablePaths.uriEncode(relative), partitionValues: partitionValues, size: size,
                                      modificationTime: LogStore.modificationTimeMillis(root + "/" + relative) ?? DeltaTransaction.nowMillis(),
                                      dataChange: true, stats: FileStats.compute(chunk).json))
                start = end
            } while start < rows.count
        }
        return adds
    }
}
