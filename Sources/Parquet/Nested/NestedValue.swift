import Columnar

/// The type of a possibly nested column: what Delta checkpoints (struct `add` with a
/// `partitionValues` map, `metaData.partitionColumns` list, ...) need beyond flat tables.
///
/// Written as Parquet's standard layouts (LogicalTypes.md): a list is
/// `<rep> group name (LIST) { repeated group list { <rep> element } }`, a map is
/// `<rep> group name (MAP) { repeated group key_value { required key; <rep> value } }`.
public indirect enum NestedType: Hashable, Sendable, CustomStringConvertible {
    case primitive(DataType)
    case structure([NestedField])
    /// A list; the field describes the element (its name is ignored, `element` is written).
    case list(NestedField)
    /// A map with non-null keys (primitive, or a nested Columnar type); the field describes the value.
    case map(key: DataType, value: NestedField)

    public var description: String {
        switch self {
        case let .primitive(t): return t.description
        case let .structure(fields): return "struct<" + fields.map { "\($0.name):\($0.type)" }.joined(separator: ",") + ">"
        case let .list(e): return "list<\(e.type)>"
        case let .map(k, v): return "map<\(k),\(v.type)>"
        }
    }

    /// Number of Parquet leaf columns this type shreds into.
    public var leafCount: Int {
        switch self {
        case .primitive: return 1
        case let .structure(fields): return fields.reduce(0) { $0 + $1.type.leafCount }
        case let .list(e): return e.type.leafCount
        case let .map(k, v): return ((try? NestedType(k))?.leafCount ?? 1) + v.type.leafCount
        }
    }
}

/// A named slot of a nested schema.
public struct NestedField: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var type: NestedType
    public var nullable: Bool

    public init(_ name: String, _ type: NestedType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// A primitive field.
    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.init(name, .primitive(type), nullable: nullable)
    }

    public var description: String { "\(name):\(type)" }
}

/// One map entry: a primitive key and a nested value.
public struct MapEntry: Hashable, Sendable {
    public var key: Value
    public var value: NestedValue
    public init(_ key: Value, _ value: NestedValue) {
        self.key = key
        self.value = value
    }
}

/// One cell of a nested column. `structure` holds the values in the type's field order.
public indirect enum NestedValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case primitive(Value)
    case structure([NestedValue])
    case list([NestedValue])
    case map([MapEntry])

    public static func string(_ s: String) -> NestedValue { .primitive(.string(s)) }
    public static func int(_ v: Int64) -> NestedValue { .primitive(.int(v)) }
    public static func bool(_ b: Bool) -> NestedValue { .primitive(.bool(b)) }

    /// A string-to-string map (Delta's `partitionValues`, `configuration`); nil values become nulls.
    public static func stringMap(_ pairs: [(String, String?)]) -> NestedValue {
        .map(pairs.map { MapEntry(.string($0.0), $0.1.map { .string($0) } ?? .null) })
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The primitive value, `.null` for null, nil for containers.
    public var primitiveValue: Value? {
        switch self {
        case .null: return .null
        case let .primitive(v): return v
        default: return nil
        }
    }

    /// The `i`-th field of a structure (nil when not a structure or out of range).
    public func field(_ i: Int) -> NestedValue? {
        if case let .structure(values) = self, i >= 0, i < values.count { return values[i] }
        return nil
    }

    /// The `name` field of a structure of `type`.
    public func field(_ name: String, in type: NestedType) -> NestedValue? {
        guard case let .structure(fields) = type, let i = fields.firstIndex(where: { $0.name == name }) else { return nil }
        return field(i)
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case let .primitive(v): return v.description
        case let .structure(vs): return "{" + vs.map(\.description).joined(separator: ", ") + "}"
        case let .list(vs): return "[" + vs.map(\.description).joined(separator: ", ") + "]"
        case let .map(es): return "{" + es.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}
