/// The logical type of a column.
///
/// Physical layouts (see `ColumnData`): `int32`/`date` are 32-bit, `int64`/`timestamp` are
/// 64-bit, `timestamp` counts microseconds since the Unix epoch in UTC and `date` counts days
/// since the epoch, as in Parquet, Arrow and Delta (`timestamp` is Delta's `timestamp`,
/// adjusted to UTC). `decimal` stores an unscaled integer with a fixed scale: `Int64` for
/// precision 1...18, `Int128` for 19...38 (`DataType.maxDecimalPrecision`), as Spark and Arrow's
/// decimal128 do.
public enum DataType: Hashable, Sendable, CustomStringConvertible {
    case bool
    case int32
    case int64
    case float
    case double
    case string
    case binary
    case date
    case timestamp
    case decimal(precision: Int, scale: Int)
    // Nested types (Arrow's list/struct/map, Parquet's LIST/MAP groups, Delta's array/struct/map).
    /// A list; the field is the element: its name (Parquet's `element`), type and whether
    /// elements may be null (Delta's `containsNull`).
    indirect case list(Field)
    /// A struct of named child fields, each with its own nullability.
    indirect case structure([Field])
    /// A map; keys are never null, `value.nullable` is Delta's `valueContainsNull`.
    indirect case map(key: Field, value: Field)

    public var description: String {
        switch self {
        case .bool: return "bool"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float: return "float"
        case .double: return "double"
        case .string: return "string"
        case .binary: return "binary"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case let .decimal(p, s): return "decimal(\(p),\(s))"
        case let .list(e): return "list<\(e.type)>"
        case let .structure(fs): return "struct<" + fs.map(\.description).joined(separator: ",") + ">"
        case let .map(k, v): return "map<\(k.type),\(v.type)>"
        }
    }

    /// True for list, struct and map types.
    public var isNested: Bool {
        switch self {
        case .list, .structure, .map: return true
        default: return false
        }
    }

    /// Parses the names printed by `description` (as used in `--schema id:int64,name:string`).
    public init?(name: String) {
        switch name.lowercased() {
        case "bool", "boolean": self = .bool
        case "int32", "int", "integer": self = .int32
        case "int64", "long", "bigint": self = .int64
        case "float", "float32": self = .float
        case "double", "float64": self = .double
        case "string", "utf8", "text": self = .string
        case "binary", "bytes": self = .binary
        case "date": self = .date
        case "timestamp", "datetime": self = .timestamp
        default:
            let lower = name.lowercased()
            guard lower.hasPrefix("decimal("), lower.hasSuffix(")") else { return nil }
            let inner = lower.dropFirst(8).dropLast().split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard inner.count == 2, let p = inner[0], let s = inner[1], p > 0, p <= DataType.maxDecimalPrecision, s >= 0, s <= p else { return nil }
            self = .decimal(precision: p, scale: s)
        }
    }

    /// The largest decimal precision (Spark, Delta and Arrow decimal128 allow 38 digits).
    public static let maxDecimalPrecision = 38
    /// Decimals above this precision hold their unscaled values in 128 bits (`ColumnData.decimal128`).
    public static let maxDecimal64Precision = 18

    /// True for a decimal whose values are stored in 128 bits.
    public var isWideDecimal: Bool {
        if case let .decimal(p, _) = self { return p > DataType.maxDecimal64Precision }
        return false
    }

    /// True for the integer-like and floating types that arithmetic accepts.
    public var isNumeric: Bool {
        switch self {
        case .int32, .int64, .float, .double, .decimal: return true
        default: return false
        }
    }
}

/// A named, typed, nullable column slot in a `Schema`.
public struct Field: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var type: DataType
    public var nullable: Bool

    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    public var description: String { "\(name):\(type)" }
}

/// An ordered list of fields. Column names are unique.
public struct Schema: Hashable, Sendable, CustomStringConvertible {
    public var fields: [Field]

    public init(_ fields: [Field]) { self.fields = fields }

    public var names: [String] { fields.map(\.name) }
    public var count: Int { fields.count }

    /// The position of `name`, or nil. O(columns).
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    public var description: String { fields.map(\.description).joined(separator: ",") }

    /// Parses `name:type,name:type` (types as in `DataType(name:)`).
    public static func parse(_ text: String) throws -> Schema {
        var fields: [Field] = []
        // Commas inside parentheses belong to the type (`decimal(38,2)`).
        var parts: [Substring] = []
        var depth = 0, start = text.startIndex
        for i in text.indices {
            switch text[i] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(text[start..<i])
                start = text.index(after: i)
            default: break
            }
        }
        parts.append(text[start...])
        for part in parts {
            let pieces = part.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty else {
                throw ColumnarError.invalidArgument("schema entry '\(part)' is not name:type")
            }
            guard let type = DataType(name: pieces[1]) else {
                throw ColumnarError.invalidArgument("schema entry '\(part)': unknown type '\(pieces[1])' (expected bool, int32, int64, float, double, string, binary, date, timestamp or decimal(p,s))")
            }
            fields.append(Field(pieces[0], type))
        }
        return Schema(fields)
    }
}
