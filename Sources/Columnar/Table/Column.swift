/// The typed payload of a column: one flat Swift array per physical type.
///
/// Null slots hold an unspecified placeholder (0, false or the empty string); the
/// column's `ValidityBitmap` says which slots are null.
public enum ColumnData: Hashable, Sendable {
    case bool([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    case string(StringArray)
    case binary(StringArray)
    case date([Int32])
    case timestamp([Int64])
    /// Decimals of precision 1...18: unscaled values in 64 bits.
    case decimal([Int64], precision: Int, scale: Int)
    /// Decimals of precision 19...38 (Spark's and Delta's `decimal(38,x)`, Parquet's
    /// FIXED_LEN_BYTE_ARRAY decimals, unsigned 64-bit integers as `decimal(20,0)`): unscaled
    /// values in 128 bits. Its `type` is `.decimal(precision:scale:)` like the 64-bit case.
    case decimal128([Int128], precision: Int, scale: Int)
    /// A list column: offsets into one child column (see `ListData`).
    indirect case list(ListData)
    /// A struct column: one child column per field (see `StructData`).
    indirect case structure(StructData)
    /// A map column: offsets into key and value columns (see `MapData`).
    indirect case map(MapData)

    public var count: Int {
        switch self {
        case let .bool(a): return a.count
        case let .int32(a), let .date(a): return a.count
        case let .int64(a), let .timestamp(a), let .decimal(a, _, _): return a.count
        case let .float(a): return a.count
        case let .double(a): return a.count
        case let .string(a), let .binary(a): return a.count
        case let .decimal128(a, _, _): return a.count
        case let .list(l): return l.count
        case let .structure(st): return st.count
        case let .map(m): return m.count
        }
    }

    public var type: DataType {
        switch self {
        case .bool: return .bool
        case .int32: return .int32
        case .int64: return .int64
        case .float: return .float
        case .double: return .double
        case .string: return .string
        case .binary: return .binary
        case .date: return .date
        case .timestamp: return .timestamp
        case let .decimal(_, p, s), let .decimal128(_, p, s): return .decimal(precision: p, scale: s)
        case let .list(l): return .list(l.element)
        case let .structure(st): return .structure(st.fields)
        case let .map(m): return .map(key: m.key, value: m.value)
        }
    }
}

/// A typed, nullable column: payload plus an optional validity bitmap (nil = no nulls).
public struct Column: Hashable, Sendable {
    public var data: ColumnData
    public var validity: ValidityBitmap?

    public init(_ data: ColumnData, validity: ValidityBitmap? = nil) {
        if let validity { precondition(validity.count == data.count, "validity length must equal data length") }
        self.data = data
        // Normalise: a bitmap with no nulls is dropped so `validity == nil` means "no nulls".
        self.validity = (validity?.nullCount ?? 0) == 0 ? nil : validity
    }

    public var count: Int { data.count }
    public var type: DataType { data.type }
    public var nullCount: Int { validity?.nullCount ?? 0 }

    @inlinable public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

    /// Cell `row` as a `Value`. O(1) (O(length) for strings, O(size) for nested values).
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch data {
        case let .bool(a): return .bool(a[row])
        case let .int32(a): return .int(Int64(a[row]))
        case let .int64(a): return .int(a[row])
        case let .float(a): return .double(Double(a[row]))
        case let .double(a): return .double(a[row])
        case let .string(a): return .string(a[row])
        case let .binary(a): return .binary(Array(a.byteSlice(row)))
        case let .date(a): return .date(a[row])
        case let .timestamp(a): return .timestamp(a[row])
        case let .decimal(a, _, s): return .decimal(a[row], scale: s)
        case let .decimal128(a, _, s): return .decimal128(a[row], scale: s)
        case .list, .structure, .map: return nestedValue(at: row)
        }
    }

    /// The rows at `indices`, in that order. O(indices) (plus bytes for strings).
    public func gather(_ indices: [Int]) -> Column {
        let newValidity: ValidityBitmap? = validity.map { v in
            var out = ValidityBitmap()
            out.reserveCapacity(indices.count)
            for i in indices { out.append(v[i]) }
            return out
        }
        let newData: ColumnData
        switch data {
        case let .bool(a): newData = .bool(indices.map { a[$0] })
        case let .int32(a): newData = .int32(indices.map { a[$0] })
        case let .int64(a): newData = .int64(indices.map { a[$0] })
        case let .float(a): newData = .float(indices.map { a[$0] })
        case let .double(a): newData = .double(indices.map { a[$0] })
        case let .string(a): newData = .string(a.gather(indices))
        case let .binary(a): newData = .binary(a.gather(indices))
        case let .date(a): newData = .date(indices.map { a[$0] })
        case let .timestamp(a): newData = .timestamp(indices.map { a[$0] })
        case let .decimal(a, p, s): newData = .decimal(indices.map { a[$0] }, precision: p, scale: s)
        case let .decimal128(a, p, s): newData = .decimal128(indices.map { a[$0] }, precision: p, scale: s)
        case .list, .structure, .map: newData = Column.gatherNested(data, indices)
        }
        return Column(newData, validity: newValidity)
    }

    /// Builds a column of `type` from values (nulls allowed). Values must fit the type.
    public init(type: DataType, values: [Value]) throws {
        var builder = ColumnBuilder(type: type)
        for v in values { try builder.append(v) }
        self = builder.finish()
    }

    // Convenience constructors for non-null columns.
    public static func int64(_ v: [Int64]) -> Column { Column(.int64(v)) }
    public static func double(_ v: [Double]) -> Column { Column(.double(v)) }
    public static func string(_ v: [String]) -> Column { Column(.string(StringArray(v))) }
    public static func bool(_ v: [Bool]) -> Column { Column(.bool(v)) }
    public static func timestamp(_ v: [Int64]) -> Column { Column(.timestamp(v)) }
}
