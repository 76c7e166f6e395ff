import Columnar
import Parquet

/// Reads the actions of a Parquet checkpoint (PROTOCOL.md "Checkpoints"), whoever wrote it
/// (Spark, delta-rs, us). Columns are found by name, so extra columns (`stats_parsed`,
/// `partitionValues_parsed`, `deletionVector`, ...) and other field orders are fine.
enum CheckpointReader {
    static func readActions(path: String) throws -> [DeltaAction] {
        do {
            let reader = try ParquetReader(path: path)
            let fields = try reader.nestedFields()
            let wanted = ["protocol", "metaData", "txn", "add", "remove"].filter { n in fields.contains { $0.name == n } }
            let types = wanted.map { n in fields.first { $0.name == n }!.type }
            let rows = try reader.readRows(columns: wanted)
            var actions: [DeltaAction] = []
            for (r, row) in rows.enumerated() {
                for (k, name) in wanted.enumerated() where !row[k].isNull {
                    actions.append(try decode(name, Cell(value: row[k], type: types[k]), context: "\(path) row \(r)"))
                }
            }
            return actions
        } catch let e as ParquetError {
            throw DeltaError.corruptLog(path, "cannot read checkpoint: \(e)")
        }
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
