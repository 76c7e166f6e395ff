import Columnar
import Parquet

/// Column mapping (PROTOCOL.md "Column Mapping"): in `name` mode data files, partition values
/// and statistics use each column's physical name (`delta.columnMapping.physicalName`); in
/// `id` mode data file columns are found by Parquet `field_id` (`delta.columnMapping.id`),
/// partition values and statistics by physical name. Readers see logical names only.
/// The table property counts only when the protocol supports the feature (reader version 2,
/// or 3 with `columnMapping` listed).
public struct ColumnMapping: Sendable, Equatable {
    public enum Mode: String, Sendable { case none, name, id }

    public let mode: Mode
    /// Logical top-level name -> physical name (only mapped columns).
    let physical: [String: String]
    /// Logical top-level name -> field id.
    let ids: [String: Int32]
    /// Logical top-level name -> the nested type with struct fields under their physical
    /// names (only nested columns), how data files name nested fields.
    let physicalTypes: [String: DataType]

    /// The mapping `snapshot`'s protocol and metadata ask for.
    public init(protocolAction p: ProtocolAction, metadata m: MetadataAction, fields: [DeltaSchema.DeltaField]) throws {
        let supported = p.minReaderVersion == 2 || (p.minReaderVersion >= 3 && (p.readerFeatures ?? []).contains("columnMapping"))
        let raw = m.configuration["delta.columnMapping.mode"] ?? "none"
        guard supported, raw != "none" else {
            mode = .none; physical = [:]; ids = [:]; physicalTypes = [:]
            return
        }
        guard let mode = Mode(rawValue: raw) else {
            throw DeltaError.unsupported("delta.columnMapping.mode '\(raw)' (expected none, name or id)")
        }
        self.mode = mode
        var physical: [String: String] = [:], ids: [String: Int32] = [:], physicalTypes: [String: DataType] = [:]
        for f in fields {
            if let t = f.json?["type"], t.stringValue == nil, let p = DeltaSchema.columnarType(json: t, physicalNames: true) { physicalTypes[f.name] = p }
            let md = f.json?["metadata"]
            guard let name = md?["delta.columnMapping.physicalName"]?.stringValue else {
                throw DeltaError.corruptLog("schema", "column '\(f.name)' has no delta.columnMapping.physicalName in \(raw) mode")
            }
            physical[f.name] = name
            if let id = md?["delta.columnMapping.id"]?.int64Value, let i = Int32(exactly: id) { ids[f.name] = i }
            else if mode == .id { throw DeltaError.corruptLog("schema", "column '\(f.name)' has no 32-bit delta.columnMapping.id in id mode") }
        }
        self.physical = physical
        self.ids = ids
        self.physicalTypes = physicalTypes
    }

    /// The nested type of `logical` with physical field names (nil: not nested, or no mapping).
    func physicalType(_ logical: String) -> DataType? { physicalTypes[logical] }

    /// The name partition values and statistics use for `logical`.
    func physicalName(_ logical: String) -> String { physical[logical] ?? logical }

    /// For each logical column, the top-level column of `reader`'s file that holds it (nil:
    /// absent from the file, read as nulls).
    func fileColumns(_ logical: [String], reader: ParquetReader, path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        switch mode {
        case .none:
            for l in logical { out[l] = l }
        case .name:
            for l in logical { out[l] = physicalName(l) }
        case .id:
            var byID: [Int32: String] = [:]
            for f in reader.schemaTree.fields { if let id = f.element.fieldID { byID[id] = f.name } }
            if byID.isEmpty && !reader.schemaTree.fields.isEmpty {
                throw DeltaError.dataFile("\(path): the table maps columns by id but the file has no Parquet field ids")
            }
            for l in logical { if let id = ids[l], let name = byID[id] { out[l] = name } }
        }
        return out
    }
}
