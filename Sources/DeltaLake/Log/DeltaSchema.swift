import Columnar
import Parquet

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
        JSONValue.object([("type", .string("struct")), ("fields", .array(schema.fields.map(fieldJSON)))]).serialized
    }

    /// One Columnar field as a Spark schema field object (no metadata).
    public static func fieldJSON(_ f: Field) -> JSONValue {
        .object([("name", .string(f.name)), ("type", .string(sparkTypeName(f.type))),
                 ("nullable", .bool(f.nullable)), ("metadata", .object([]))])
    }

    /// The schema string of an existing table's `fields`, each written back exactly as the log
    /// holds it (type names such as `byte` or `timestamp_ntz`, nullability, comments and other
    /// field metadata), followed by `added` columns. Evolving a schema never rewrites a field.
    public static func schemaString(keeping fields: [DeltaField], adding added: [Field]) -> String {
        let kept = fields.map { $0.json ?? fieldJSON(Field($0.name, $0.type ?? .string, nullable: $0.nullable)) }
        return JSONValue.object([("type", .string("struct")), ("fields", .array(kept + added.map(fieldJSON)))]).serialized
    }

    /// The Parquet annotation that stores a Spark type Columnar holds in a wider type.
    public static func annotation(_ typeName: String) -> ColumnAnnotation? {
        switch typeName {
        case "byte": return .int8
        case "short": return .int16
        case "timestamp_ntz": return .timestampNTZ
        default: return nil
        }
    }

    /// The values an integral Spark type holds.
    public static func integerRange(_ typeName: String) -> ClosedRange<Int64>? {
        switch typeName {
        case "byte": return Int64(Int8.min)...Int64(Int8.max)
        case "short": return Int64(Int16.min)...Int64(Int16.max)
        case "integer": return Int64(Int32.min)...Int64(Int32.max)
        case "long": return Int64.min...Int64.max
        default: return nil
        }
    }

    /// A field of a Delta schema. `type` is nil for nested types (struct, array, map) and
    /// types Columnar cannot hold; such columns are readable only when projected away.
    public struct DeltaField: Sendable, Equatable {
        public var name: String
        public var type: DataType?
        public var typeName: String
        public var nullable: Bool
        public var hasColumnMapping: Bool
        /// The field object exactly as the log holds it (nil for fields made here).
        public var json: JSONValue?

        /// `delta.invariants` of this field: the SQL boolean expression every row must satisfy.
        public var invariant: String? {
            guard let raw = json?["metadata"]?["delta.invariants"] else { return nil }
            // Spark stores it as a JSON string `{"expression":{"expression":"x > 3"}}`.
            if let text = raw.stringValue, let v = try? JSONValue.parse(text, context: "delta.invariants") {
                return v["expression"]?["expression"]?.stringValue
            }
            return raw["expression"]?["expression"]?.stringValue
        }
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
            return DeltaField(name: name, type: mapped, typeName: typeName, nullable: nullable, hasColumnMapping: mapping, json: f)
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
