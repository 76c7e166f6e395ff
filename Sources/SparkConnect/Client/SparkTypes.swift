// Spark's data types as Columnar types.
import Columnar

/// Maps Spark Connect `DataType`s to `Columnar` types, and names Columnar types in Spark's
/// DDL. Byte, short and int become `int32`; timestamps (with or without time zone) become
/// microsecond `timestamp`s, as Spark stores them.
public enum SparkTypes {
    public static func schema(from type: Spark_Connect_DataType) throws -> Schema {
        guard case let .struct(s)? = type.kind else { throw SparkConnectError.protocolViolation("result schema is not a struct") }
        return Schema(try s.fields.map { Field($0.name, try columnType($0.dataType, column: $0.name), nullable: $0.nullable) })
    }

    public static func columnType(_ type: Spark_Connect_DataType, column: String) throws -> DataType {
        switch type.kind {
        case .boolean?: return .bool
        case .byte?, .short?, .integer?: return .int32
        case .long?: return .int64
        case .float?: return .float
        case .double?: return .double
        case .string?: return .string
        case .binary?: return .binary
        case .date?: return .date
        case .timestamp?, .timestampNtz?: return .timestamp
        case let .decimal(d)?:
            let p = Int(d.precision), s = Int(d.scale)
            guard p <= 18 else { throw SparkConnectError.protocolViolation("column \(column): decimal(\(p),\(s)) has more than 18 digits") }
            return .decimal(precision: p, scale: s)
        default: throw SparkConnectError.protocolViolation("column \(column) has a Spark type this client does not read")
        }
    }

    /// Spark SQL's name for a Columnar type (for casts and DDL schemas).
    public static func ddlName(_ type: DataType) -> String {
        switch type {
        case .bool: return "boolean"
        case .int32: return "int"
        case .int64: return "bigint"
        case .float: return "float"
        case .double: return "double"
        case .string: return "string"
        case .binary: return "binary"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case let .decimal(p, s): return "decimal(\(p),\(s))"
        case let .list(e): return "array<\(ddlName(e.type))>"
        case let .structure(fs): return "struct<" + fs.map { "`\($0.name)`: \(ddlName($0.type))" }.joined(separator: ", ") + ">"
        case let .map(k, v): return "map<\(ddlName(k.type)), \(ddlName(v.type))>"
        }
    }
}
