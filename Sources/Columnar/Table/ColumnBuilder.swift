/// Accumulates values of one type into a `Column`, tracking nulls.
///
/// Appends are amortised O(1) (O(length) for strings). A builder is the only way readers
/// create columns, so every reader produces the same layout. The payload lives in one typed
/// stored array per physical layout, never inside an enum while it grows: an array bound out
/// of an enum case is shared with the enum and would be copied on every append.
public struct ColumnBuilder: Sendable {
    public let type: DataType
    private var bools: [Bool] = []
    private var int32s: [Int32] = []
    private var int64s: [Int64] = []
    private var int128s: [Int128] = []
    /// Decimals above 18 digits keep 128-bit values.
    private let wide: Bool
    private var floats: [Float] = []
    private var doubles: [Double] = []
    private var strings = StringArray()
    private var validity = ValidityBitmap()
    private var sawNull = false
    /// Nested types: child builders (list: the element; struct: one per field; map: keys,
    /// values) and, for lists and maps, row offsets into the children.
    private var children: [ColumnBuilder] = []
    private var offsets: [Int] = [0]

    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        wide = type.isWideDecimal
        switch type {
        case let .list(e): children = [ColumnBuilder(type: e.type)]
        case let .structure(fs): children = fs.map { ColumnBuilder(type: $0.type) }
        case let .map(k, v): children = [ColumnBuilder(type: k.type), ColumnBuilder(type: v.type)]
        default: break
        }
        if capacity > 0 { reserveCapacity(capacity) }
    }

    public var count: Int { validity.count }

    /// The values appended so far.
    public var data: ColumnData {
        switch type {
        case .bool: return .bool(bools)
        case .int32: return .int32(int32s)
        case .int64: return .int64(int64s)
        case .float: return .float(floats)
        case .double: return .double(doubles)
        case .string: return .string(strings)
        case .binary: return .binary(strings)
        case .date: return .date(int32s)
        case .timestamp: return .timestamp(int64s)
        case let .decimal(p, s): return wide ? .decimal128(int128s, precision: p, scale: s) : .decimal(int64s, precision: p, scale: s)
        case let .list(e): return .list(ListData(element: e, offsets: offsets, values: children[0].finish()))
        case let .structure(fs): return .structure(StructData(fields: fs, children: children.map { $0.finish() }, count: validity.count))
        case let .map(k, v): return .map(MapData(key: k, value: v, offsets: offsets, keys: children[0].finish(), values: children[1].finish()))
        }
    }

    public mutating func reserveCapacity(_ n: Int) {
        validity.reserveCapacity(n)
        if wide { int128s.reserveCapacity(n); return }
        switch type {
        case .list, .map: offsets.reserveCapacity(n + 1)
        case .structure: for i in children.indices { children[i].reserveCapacity(n) }
        case .bool: bools.reserveCapacity(n)
        case .int32, .date: int32s.reserveCapacity(n)
        case .int64, .timestamp, .decimal: int64s.reserveCapacity(n)
        case .float: floats.reserveCapacity(n)
        case .double: doubles.reserveCapacity(n)
        case .string, .binary: strings.reserveCapacity(strings: n, bytes: 0)
        }
    }

    public mutating func appendNull() {
        validity.append(false)
        sawNull = true
        if wide { int128s.append(0); return }
        switch type {
        case .list, .map: offsets.append(offsets[offsets.count - 1])
        case .structure: for i in children.indices { children[i].appendNull() }
        case .bool: bools.append(false)
        case .int32, .date: int32s.append(0)
        case .int64, .timestamp, .decimal: int64s.append(0)
        case .float: floats.append(0)
        case .double: doubles.append(0)
        case .string, .binary: strings.appendEmpty()
        }
    }

    public mutating func append(int v: Int64) {
        validity.append(true)
        if wide { int128s.append(Int128(v)); return }
        switch type {
        case .int64, .timestamp, .decimal: int64s.append(v)
        case .int32, .date: int32s.append(Int32(truncatingIfNeeded: v))
        case .double: doubles.append(Double(v))
        case .float: floats.append(Float(v))
        default: preconditionFailure("append(int:) on a \(type) column")
        }
    }

    public mutating func append(double v: Double) {
        validity.append(true)
        switch type {
        case .double: doubles.append(v)
        case .float: floats.append(Float(v))
        default: preconditionFailure("append(double:) on a \(type) column")
        }
    }

    /// Appends an unscaled 128-bit decimal value (decimal columns only).
    public mutating func append(int128 v: Int128) {
        guard case .decimal = type else { preconditionFailure("append(int128:) on a \(type) column") }
        if wide {
            validity.append(true)
            int128s.append(v)
        } else {
            append(int: Int64(truncatingIfNeeded: v))
        }
    }

    public mutating func append(bool v: Bool) {
        precondition(type == .bool, "append(bool:) on a \(type) column")
        validity.append(true)
        bools.append(v)
    }

    public mutating func append(bytes p: UnsafeBufferPointer<UInt8>) {
        precondition(type == .string || type == .binary, "append(bytes:) on a \(type) column")
        validity.append(true)
        strings.append(bytes: p)
    }

    public mutating func append(string s: String) {
        var s = s
        s.withUTF8 { append(bytes: $0) }
    }

    /// Appends a `Value`, converting between compatible types (int into double, and so on).
    /// Throws when the value cannot be represented in this column's type.
    public mutating func append(_ v: Value) throws {
        switch (v, type) {
        case (.null, _): appendNull()
        case let (.bool(b), .bool): append(bool: b)
        case let (.int(i), .int64), let (.int(i), .timestamp): append(int: i)
        case let (.int(i), .int32):
            guard let x = Int32(exactly: i) else { throw ColumnarError.invalidArgument("value \(i) does not fit int32") }
            append(int: Int64(x))
        case let (.int(i), .double), let (.int(i), .float): append(double: Double(i))
        case let (.double(x), .double), let (.double(x), .float): append(double: x)
        case let (.string(s), .string): append(string: s)
        case let (.binary(b), .binary): b.withUnsafeBufferPointer { append(bytes: $0) }
        case let (.string(s), .binary): append(string: s)
        case let (.date(d), .date): append(int: Int64(d))
        case let (.timestamp(t), .timestamp): append(int: t)
        case let (.decimal(u, s1), .decimal(_, s2)) where s1 == s2: append(int: u)
        case let (.decimal128(u, s1), .decimal(p, s2)) where s1 == s2:
            if wide { append(int128: u) } else {
                guard let x = Int64(exactly: u) else { throw ColumnarError.invalidArgument("decimal \(v) does not fit decimal(\(p),\(s2))") }
                append(int: x)
            }
        case let (.list(items), .list):
            for item in items { try children[0].append(item) }
            offsets.append(children[0].count)
            validity.append(true)
        case let (.structure(_, values), .structure(fs)):
            guard values.count == fs.count else {
                throw ColumnarError.invalidArgument("struct value with \(values.count) fields for a \(type) column")
            }
            for (i, x) in values.enumerated() { try children[i].append(x) }
            validity.append(true)
        case let (.map(keys, values), .map):
            guard keys.count == values.count else { throw ColumnarError.invalidArgument("map value with \(keys.count) keys and \(values.count) values") }
            for (k, x) in zip(keys, values) {
                guard !k.isNull else { throw ColumnarError.invalidArgument("null map key in a \(type) column") }
                try children[0].append(k)
                try children[1].append(x)
            }
            offsets.append(children[0].count)
            validity.append(true)
        default: throw ColumnarError.invalidArgument("cannot store \(v) in a \(type) column")
        }
    }

    /// Appends all rows of a column of the same type.
    public mutating func append(column: Column) {
        precondition(column.type == type, "append(column:) type \(column.type) into \(type)")
        let n = column.count
        if type.isNested {
            // Row by row: the types are equal, so every value fits.
            for r in 0..<n { try! append(column.value(at: r)) }
            return
        }
        if let v = column.validity { validity.append(contentsOf: v); sawNull = true } else { validity.append(contentsOf: ValidityBitmap(repeating: true, count: n)) }
        switch column.data {
        case let .bool(b): bools.append(contentsOf: b)
        case let .int32(b), let .date(b): int32s.append(contentsOf: b)
        case let .int64(b), let .timestamp(b), let .decimal(b, _, _):
            if wide { int128s.append(contentsOf: b.lazy.map { Int128($0) }) } else { int64s.append(contentsOf: b) }
        case let .decimal128(b, _, _):
            if wide { int128s.append(contentsOf: b) } else { int64s.append(contentsOf: b.lazy.map { Int64(truncatingIfNeeded: $0) }) }
        case let .float(b): floats.append(contentsOf: b)
        case let .double(b): doubles.append(contentsOf: b)
        case let .string(b), let .binary(b): strings.append(contentsOf: b)
        case .list, .structure, .map: break
        }
    }

    /// The finished column. The builder may be reused afterwards only by reassigning it.
    public func finish() -> Column {
        Column(data, validity: sawNull ? validity : nil)
    }
}
