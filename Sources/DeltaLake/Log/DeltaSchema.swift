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
        case .list: return "array"
        case .structure: return "struct"
        case .map: return "map"
        }
    }

    /// The type as a Spark schema JSON value: a primitive's name, or for nested types the
    /// `array` (elementType, containsNull), `struct` (fields) and `map` (keyType, valueType,
    /// valueContainsNull) objects of PROTOCOL.md "Schema Serialization Format".
    public static func typeJSON(_ t: DataType) -> JSONValue {
        switch t {
        case let .list(e):
            return .object([("type", .string("array")), ("elementType", typeJSON(e.type)), ("containsNull", .bool(e.nullable))])
        case let .structure(fs):
            return .object([("type", .string("struct")), ("fields", .array(fs.map(fieldJSON)))])
        case let .map(k, v):
            return .object([("type", .string("map")), ("keyType", typeJSON(k.type)), ("valueType", typeJSON(v.type)),
                            ("valueContainsNull", .bool(v.nullable))])
        default:
            return .string(sparkTypeName(t))
        }
    }

    /// The Columnar type of a Spark schema type (a name or an array/struct/map object), or nil
    /// when some part has no Columnar type. List elements are named `element`, map entries
    /// `key` and `value`, as in Parquet's LIST and MAP layouts. With `physicalNames`, struct
    /// fields carrying `delta.columnMapping.physicalName` take that name (the data files' names).
    public static func columnarType(json type: JSONValue, physicalNames: Bool = false) -> DataType? {
        if let name = type.stringValue { return columnarType(name) }
        switch type["type"]?.stringValue {
        case "array":
            guard let e = type["elementType"].flatMap({ columnarType(json: $0, physicalNames: physicalNames) }) else { return nil }
            return .list(Field("element", e, nullable: type["containsNull"]?.boolValue ?? true))
        case "map":
            guard let k = type["keyType"].flatMap({ columnarType(json: $0, physicalNames: physicalNames) }),
                  let v = type["valueType"].flatMap({ columnarType(json: $0, physicalNames: physicalNames) }) else { return nil }
            return .map(key: Field("key", k, nullable: false), value: Field("value", v, nullable: type["valueContainsNull"]?.boolValue ?? true))
        case "struct":
            guard let fields = type["fields"]?.arrayValue, !fields.isEmpty else { return nil }
            var out: [Field] = []
            for f in fields {
                guard var name = f["name"]?.stringValue, let t = f["type"].flatMap({ columnarType(json: $0, physicalNames: physicalNames) }) else { return nil }
                if physicalNames, let p = f["metadata"]?["delta.columnMapping.physicalName"]?.stringValue { name = p }
                out.append(Field(name, t, nullable: f["nullable"]?.boolValue ?? true))
            }
            return .structure(out)
        default:
            return nil
        }
    }

    /// The schema as Spark's `{"type":"struct","fields":[...]}` JSON text.
    public static func schemaString(_ schema: Schema) -> String {
        JSONValue.object([("type", .string("struct")), ("fields", .array(schema.fields.map(fieldJSON)))]).serialized
    }

    /// One Columnar field as a Spark schema field object (no metadata).
    public static func fieldJSON(_ f: Field) -> JSONValue {
        .object([("name", .string(f.name)), ("type", typeJSON(f.type)),
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

    /// A field of a Delta schema. `type` is nil for types Columnar cannot hold (also inside a
    /// struct, array or map); such columns are readable only when projected away.
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
            let mapped = columnarType(json: type)
            let typeName = type.stringValue ?? (type["type"]?.stringValue ?? "nested")
            let mapping = f["metadata"]?["delta.columnMapping.physicalName"] != nil
            return DeltaField(name: name, type: mapped, typeName: typeName, nullable: nullable, hasColumnMapping: mapping, json: f)
        }
    }

    /// The Columnar type for a Spark primitive type name, or nil.
    /// The shape of a `variant` column: struct<metadata: binary, value: binary>, the two
    /// binaries PROTOCOL.md stores (matched by name in the files, whatever their order), in
    /// the order of Parquet's Variant layout and of delta-rs.
    public static let variantType = DataType.structure([Field("metadata", .binary, nullable: false), Field("value", .binary, nullable: false)])

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
        // PROTOCOL.md "Variant Data Type": stored in Parquet as a struct of two binaries.
        case "variant": return variantType
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
