import Columnar
import Foundation
import Parquet

/// Reads the actions of a Parquet checkpoint (PROTOCOL.md "Checkpoints"), whoever wrote it
/// (Spark, delta-rs, us). Columns are found by name, so extra columns (`stats_parsed`,
/// `partitionValues_parsed`, `deletionVector`, ...) and other field orders are fine.
enum CheckpointReader {
    /// What one checkpoint file holds. `sidecars` and `checkpointMetadata` exist only in
    /// V2-spec checkpoints (PROTOCOL.md "V2 Spec"); they are kept apart from `actions`
    /// because they describe the checkpoint, not the table.
    struct Contents {
        /// Table actions in file order (protocol, metaData, txn, domainMetadata, add, remove).
        var actions: [DeltaAction] = []
        var sidecars: [SidecarAction] = []
        var checkpointMetadata: [CheckpointMetadataAction] = []
        /// How many of `actions` are add or remove.
        var fileActions = 0
    }

    /// The action columns of a top-level checkpoint, and of a sidecar file (file actions only).
    static let checkpointColumns: Set<String> = ["protocol", "metaData", "txn", "add", "remove", "domainMetadata", "checkpointMetadata", "sidecar"]
    static let sidecarColumns: Set<String> = ["add", "remove"]

    /// The table actions of a whole checkpoint for `version`: the files of one checkpoint
    /// (one classic or UUID-named file, or the parts of a multi-part one), plus, for a
    /// V2-spec checkpoint, the add and remove actions of the sidecar files it references.
    /// Checks what PROTOCOL.md requires of the checkpoint's shape: a UUID-named checkpoint
    /// has exactly one `checkpointMetadata`, naming `version`; sidecars appear only in V2-spec
    /// checkpoints, which then hold no add or remove of their own; sidecar paths stay inside
    /// `_delta_log/_sidecars` and their sizes match the files. O(actions).
    static func read(paths: [String], version: Int64, uuidNamed: Bool, store: LogStore) throws -> [DeltaAction] {
        var all = Contents()
        for p in paths {
            let c = try readFile(path: p, columns: checkpointColumns)
            all.actions += c.actions
            all.sidecars += c.sidecars
            all.checkpointMetadata += c.checkpointMetadata
            all.fileActions += c.fileActions
        }
        let name = paths.first ?? store.checkpointPath(version)
        let v2Spec = !all.checkpointMetadata.isEmpty
        if uuidNamed, !v2Spec {
            throw DeltaError.corruptLog(name, "a UUID-named checkpoint must hold a checkpointMetadata action (V2 spec)")
        }
        if v2Spec {
            guard all.checkpointMetadata.count == 1 else {
                throw DeltaError.corruptLog(name, "a V2-spec checkpoint holds exactly one checkpointMetadata action, found \(all.checkpointMetadata.count)")
            }
            guard paths.count == 1 else {
                throw DeltaError.corruptLog(name, "a multi-part checkpoint cannot follow the V2 spec (it holds checkpointMetadata)")
            }
            guard all.checkpointMetadata[0].version == version else {
                throw DeltaError.corruptLog(name, "checkpointMetadata says version \(all.checkpointMetadata[0].version), the file name says \(version)")
            }
        }
        guard !all.sidecars.isEmpty else { return all.actions }
        guard v2Spec else {
            throw DeltaError.corruptLog(name, "sidecar actions are only allowed in V2-spec checkpoints (with a checkpointMetadata action)")
        }
        guard all.fileActions == 0 else {
            throw DeltaError.corruptLog(name, "a V2-spec checkpoint keeps its add and remove actions either all inline or all in sidecar files, not both")
        }
        var actions = all.actions
        for sidecar in all.sidecars {
            let path = try SidecarFiles.resolve(sidecar, store: store, checkpoint: name)
            let c = try readFile(path: path, columns: sidecarColumns)
            actions += c.actions
        }
        return actions
    }

    /// Reads one checkpoint or sidecar file, Parquet or (UUID-named checkpoints) JSON lines,
    /// keeping the action kinds in `columns`.
    static func readFile(path: String, columns: Set<String>) throws -> Contents {
        path.hasSuffix(".json") ? try readJSON(path: path, columns: columns) : try readParquet(path: path, columns: columns)
    }

    static func readJSON(path: String, columns: Set<String>) throws -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeltaError.corruptLog(path, "cannot read checkpoint")
        }
        var out = Contents()
        for a in try LogStore.parseActions(data: data, file: path) {
            switch a {
            case .protocol where columns.contains("protocol"), .metadata where columns.contains("metaData"), .txn where columns.contains("txn"):
                out.actions.append(a)
            case .add where columns.contains("add"), .remove where columns.contains("remove"):
                out.actions.append(a)
                out.fileActions += 1
            case let .other(kind, body) where columns.contains(kind):
                switch kind {
                case "sidecar": out.sidecars.append(try SidecarAction(json: body, context: path))
                case "checkpointMetadata": out.checkpointMetadata.append(try CheckpointMetadataAction(json: body, context: path))
                default: out.actions.append(a)
                }
            default:
                // commitInfo and cdc are never part of a checkpoint; other kinds are not ours.
                continue
            }
        }
        return out
    }

    static func readParquet(path: String, columns: Set<String>) throws -> Contents {
        do {
            let reader = try ParquetReader(path: path)
            let fields = try reader.nestedFields()
            let wanted = fields.map(\.name).filter { columns.contains($0) }
            let types = wanted.map { n in fields.first { $0.name == n }!.type }
            let rows = try reader.readRows(columns: wanted)
            var out = Contents()
            for (r, row) in rows.enumerated() {
                for (k, name) in wanted.enumerated() where !row[k].isNull {
                    let cell = Cell(value: row[k], type: types[k])
                    let context = "\(path) row \(r)"
                    switch name {
                    case "sidecar": out.sidecars.append(try sidecar(cell, context: context))
                    case "checkpointMetadata": out.checkpointMetadata.append(try checkpointMetadata(cell, context: context))
                    default:
                        out.actions.append(try decode(name, cell, context: context))
                        if name == "add" || name == "remove" { out.fileActions += 1 }
                    }
                }
            }
            return out
        } catch let e as ParquetError {
            throw DeltaError.corruptLog(path, "cannot read checkpoint: \(e)")
        }
    }

    /// The classic-checkpoint reader's entry point (kept for callers that read one file).
    static func readActions(path: String) throws -> [DeltaAction] {
        try readParquet(path: path, columns: checkpointColumns.subtracting(["sidecar", "checkpointMetadata"])).actions
    }

    static func sidecar(_ c: Cell, context: String) throws -> SidecarAction {
        guard let p = c["path"]?.string, let size = c["sizeInBytes"]?.int, let mtime = c["modificationTime"]?.int else {
            throw DeltaError.corruptLog(context, "sidecar needs path, sizeInBytes and modificationTime")
        }
        return SidecarAction(path: p, sizeInBytes: size, modificationTime: mtime, tags: c["tags"]?.stringMap)
    }

    static func checkpointMetadata(_ c: Cell, context: String) throws -> CheckpointMetadataAction {
        guard let v = c["version"]?.int else { throw DeltaError.corruptLog(context, "checkpointMetadata lacks 'version'") }
        return CheckpointMetadataAction(version: v, tags: c["tags"]?.stringMap)
    }

    /// A nested value with its type, for lookups by field name.
    struct Cell {
        var value: NestedValue
        var type: NestedType

        subscript(_ name: String) -> Cell? {
            guard case let .structure(fs) = type, let i = fs.firstIndex(where: { $0.name == name }),
                  let v = value.field(i), !v.isNull else { return nil }
            return Cell(value: v, type: fs[i].type)
        }
        var string: String? { if case let .primitive(.string(s)) = value { return s }; return nil }
        var int: Int64? { if case let .primitive(v) = value { return v.intValue }; return nil }
        var bool: Bool? { if case let .primitive(.bool(b)) = value { return b }; return nil }
        var strings: [String]? {
            guard case let .list(items) = value else { return nil }
            return items.compactMap { if case let .primitive(.string(s)) = $0 { return s }; return nil }
        }
        var optionalStringMap: [String: String?]? {
            guard case let .map(entries) = value else { return nil }
            var out: [String: String?] = [:]
            for e in entries {
                guard case let .string(k) = e.key else { continue }
                if case let .primitive(.string(s)) = e.value { out[k] = .some(s) } else { out[k] = .some(nil) }
            }
            return out
        }
        var stringMap: [String: String]? { optionalStringMap?.compactMapValues { $0 } }
    }

    static func decode(_ name: String, _ c: Cell, context: String) throws -> DeltaAction {
        func need<T>(_ field: String, _ v: T?) throws -> T {
            guard let v else { throw DeltaError.corruptLog(context, "\(name) lacks '\(field)'") }
            return v
        }
        func dv(_ d: Cell?) throws -> DeletionVectorDescriptor? {
            guard let d else { return nil }
            guard let t = d["storageType"]?.string, let p = d["pathOrInlineDv"]?.string, let size = d["sizeInBytes"]?.int, let card = d["cardinality"]?.int else {
                throw DeltaError.corruptLog(context, "\(name).deletionVector needs storageType, pathOrInlineDv, sizeInBytes and cardinality")
            }
            return DeletionVectorDescriptor(storageType: t, pathOrInlineDv: p, offset: d["offset"]?.int, sizeInBytes: size, cardinality: card)
        }
        switch name {
        case "protocol":
            return .protocol(ProtocolAction(minReaderVersion: Int(try need("minReaderVersion", c["minReaderVersion"]?.int)),
                                            minWriterVersion: Int(try need("minWriterVersion", c["minWriterVersion"]?.int)),
                                            readerFeatures: c["readerFeatures"]?.strings, writerFeatures: c["writerFeatures"]?.strings))
        case "metaData":
            return .metadata(MetadataAction(id: try need("id", c["id"]?.string), name: c["name"]?.string, description: c["description"]?.string,
                                            schemaString: try need("schemaString", c["schemaString"]?.string),
                                            partitionColumns: c["partitionColumns"]?.strings ?? [],
                                            configuration: c["configuration"]?.stringMap ?? [:], createdTime: c["createdTime"]?.int))
        case "domainMetadata":
            var body: [(String, JSONValue)] = [("domain", .string(try need("domain", c["domain"]?.string)))]
            body.append(("configuration", c["configuration"]?.string.map { .string($0) } ?? .null))
            body.append(("removed", .bool(c["removed"]?.bool ?? false)))
            return .other("domainMetadata", .object(body))
        case "txn":
            return .txn(TxnAction(appId: try need("appId", c["appId"]?.string), version: try need("version", c["version"]?.int),
                                  lastUpdated: c["lastUpdated"]?.int))
        case "add":
            return .add(AddAction(path: try need("path", c["path"]?.string), partitionValues: c["partitionValues"]?.optionalStringMap ?? [:],
                                  size: try need("size", c["size"]?.int), modificationTime: c["modificationTime"]?.int ?? 0,
                                  dataChange: c["dataChange"]?.bool ?? false, stats: c["stats"]?.string, tags: c["tags"]?.stringMap,
                                  deletionVector: try dv(c["deletionVector"])))
        default:
            return .remove(RemoveAction(path: try need("path", c["path"]?.string), deletionTimestamp: c["deletionTimestamp"]?.int,
                                        dataChange: c["dataChange"]?.bool ?? false, extendedFileMetadata: c["extendedFileMetadata"]?.bool,
                                        partitionValues: c["partitionValues"]?.optionalStringMap, size: c["size"]?.int,
                                        deletionVector: try dv(c["deletionVector"])))
        }
    }
}
