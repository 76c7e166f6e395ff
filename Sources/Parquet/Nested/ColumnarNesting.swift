import Columnar

/// Conversions between the Parquet layer's nested schema and values (`NestedType`,
/// `NestedValue`) and Columnar's nested types and values (`DataType.list/structure/map`,
/// `Value.list/structure/map`), so nested Parquet columns read into and write from tables.
extension NestedType {
    /// The Columnar type of this nested type. Map keys are non-null fields named `key`.
    public var columnarType: DataType {
        switch self {
        case let .primitive(t): return t
        case let .structure(fields): return .structure(fields.map { Field($0.name, $0.type.columnarType, nullable: $0.nullable) })
        case let .list(e): return .list(Field(e.name, e.type.columnarType, nullable: e.nullable))
        case let .map(k, v): return .map(key: Field("key", k, nullable: false), value: Field(v.name, v.type.columnarType, nullable: v.nullable))
        }
    }

    /// The nested type of a Columnar type; throws for a map whose key is itself nested
    /// (Parquet allows it, the writer's maps take primitive keys).
    public init(_ type: DataType) throws {
        switch type {
        case let .list(e): self = .list(NestedField(e.name, try NestedType(e.type), nullable: e.nullable))
        case let .structure(fs):
            guard !fs.isEmpty else { throw ParquetError.invalidArgument("a struct with no fields cannot be written to Parquet") }
            self = .structure(try fs.map { NestedField($0.name, try NestedType($0.type), nullable: $0.nullable) })
        case let .map(k, v):
            guard !k.type.isNested else { throw ParquetError.invalidArgument("map keys of type \(k.type) cannot be written; keys must be primitive") }
            self = .map(key: k.type, value: NestedField(v.name, try NestedType(v.type), nullable: v.nullable))
        default: self = .primitive(type)
        }
    }
}

extension NestedValue {
    /// The Columnar value of this nested value of `type` (struct field names from the type).
    /// - Complexity: O(size of the value).
    public func columnarValue(_ type: NestedType) -> Value {
        switch (self, type) {
        case (.null, _): return .null
        case let (.primitive(v), _): return v
        case let (.structure(values), .structure(fields)):
            return .structure(names: fields.map(\.name), values: zip(values, fields).map { $0.columnarValue($1.type) })
        case let (.list(items), .list(e)): return .list(items.map { $0.columnarValue(e.type) })
        case let (.map(entries), .map(_, v)):
            return .map(keys: entries.map(\.key), values: entries.map { $0.value.columnarValue(v.type) })
        // A keys-only map is read as a list of its keys (see RecordAssembler).
        default: return .null
        }
    }

    /// The nested value of a Columnar value.
    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case let .list(items): self = .list(items.map(NestedValue.init))
        case let .structure(_, values): self = .structure(values.map(NestedValue.init))
        case let .map(keys, values): self = .map(zip(keys, values).map { MapEntry($0, NestedValue($1)) })
        default: self = .primitive(value)
        }
    }
}
