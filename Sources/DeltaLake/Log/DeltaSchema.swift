import Columnar

/// Conversion between Columnar schemas and Spark's JSON schema string (`metaData.schemaString`),
/// the format PROTOCOL.md "Schema Serialization Format" prescribes.
public enum DeltaSchema {
    /// Spark's primitive type name for a Columnar type.
    public static func sparkTypeName(_ t: DataType) -> String {
        switch t {
        case .bool: return "boolean"
        case .int32: return "integer"
        case .int64: return "long"
        case .float: return "float"
        case .double: return "double"
        case .string: return "string"
        case .binary: return "binary"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case let .decimal(p, s): return "decimal(\(p),\(s))"
        }
    }

    /// The schema as Spark's `{"type":"struct","fields":[...]}` JSON text.
    public static func schemaString(_ schema: Schema) -> String {
        let fields: [JSONValue] = schema.fields.map { f in
            .object([("name", .string(f.name)), ("type", .string(sparkTypeName(f.type))),
                     ("nullable", .bool(f.nullable)), ("metadata", .object([]))])
        }
        return JSONValue.object([("type", .string("struct")), ("fields", .array(fields))]).serialized
    }

    /// A field of a Delta schema. `type` is nil for nested types (struct, array, map) and
    /// types Columnar cannot hold; such columns are readable only when projected away.
    public struct DeltaField: Sendable, Equatable {
        public var name: String
        public var type: DataType?
        public var typeName: String
        public var nullable: Bool
        public var hasColumnMapping: Bool
    }

    /// Parses a schema string. Throws `corruptLog` naming `context` if it is not a struct.
    public static func parse(_ text: String, context: String) throws -> [DeltaField] {
        let json = try JSONValue.parse(text, context: context + " (schemaString)")
        guard json["type"]?.stringValue == "struct", let fields = json["fields"]?.arrayValue else {
            throw DeltaError.corruptLog(context, "schemaString is not a struct type")
        }
        return try fields.map { f in
            guard let name = f["name"]?.stringValue, let type = f["type"] else {
                throw DeltaError.corruptLog(context, "schema field without name or type")
            }
            let nullable = f["nullable"]?.boolValue ?? true
            let mapped = type.stringValue.flatMap(columnarType)
            let typeName = type.stringValue ?? (type["type"]?.stringValue ?? "nested")
            let mapping = f["metadata"]?["delta.columnMapping.physicalName"] != nil
            return DeltaField(name: name, type: mapped, typeName: typeName, nullable: nullable, hasColumnMapping: mapping)
        }
    }

    /// The Columnar type for a Spark primitive type name, or nil.
    public static func columnarType(_ name: String) -> DataType? {
        switch name {
        case "boolean": return .bool
        case "byte", "short", "integer": return .int32
        case "long": return .int64
        case "float": return .float
        case "double": return .double
        case "string": return .string
        case "binary": return .binary
        case "date": return .date
        case "timestamp", "timestamp_ntz": return .timestamp
        default:
            guard name.hasPrefix("decimal(") else { return nil }
            return DataType(name: name)
        }
    }

    /// The Columnar schema of the fields Columnar can represent (all of them when `strict`,
    /// throwing on the first it cannot).
    public static func columnarSchema(_ fields: [DeltaField], strict: Bool) throws -> Schema {
        var out: [Field] = []
        for f in fields {
            if let t = f.type { out.append(Field(f.name, t, nullable: f.nullable)) }
            else if strict { throw DeltaError.unsupported("column '\(f.name)' has type \(f.typeName), which amlgraph tables cannot hold; project it away with --columns") }
        }
        return Schema(out)
    }
}
