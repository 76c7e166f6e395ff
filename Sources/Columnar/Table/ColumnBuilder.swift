/// Accumulates values of one type into a `Column`, tracking nulls.
///
/// Appends are amortised O(1). A builder is the only way readers create columns, so every
/// reader produces the same layout.
public struct ColumnBuilder: Sendable {
    public let type: DataType
    public private(set) var data: ColumnData
    private var validity = ValidityBitmap()
    private var sawNull = false

    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .bool: data = .bool([])
        case .int32: data = .int32([])
        case .int64: data = .int64([])
        case .float: data = .float([])
        case .double: data = .double([])
        case .string: data = .string(StringArray())
        case .binary: data = .binary(StringArray())
        case .date: data = .date([])
        case .timestamp: data = .timestamp([])
        case let .decimal(p, s): data = .decimal([], precision: p, scale: s)
        }
        if capacity > 0 { reserveCapacity(capacity) }
    }

    public var count: Int { validity.count }

    public mutating func reserveCapacity(_ n: Int) {
        validity.reserveCapacity(n)
        modify { d in
            switch d {
            case var .int64(a): a.reserveCapacity(n); d = .int64(a)
            case var .double(a): a.reserveCapacity(n); d = .double(a)
            case var .timestamp(a): a.reserveCapacity(n); d = .timestamp(a)
            default: break
            }
        }
    }

    // Moves the payload out while mutating so the arrays stay uniquely referenced.
    @inline(__always)
    private mutating func modify(_ body: (inout ColumnData) -> Void) {
        var d = data
        data = .bool([])
        body(&d)
        data = d
    }

    public mutating func appendNull() {
        validity.append(false)
        sawNull = true
        modify { d in
            switch d {
            case var .bool(a): a.append(false); d = .bool(a)
            case var .int32(a): a.append(0); d = .int32(a)
            case var .int64(a): a.append(0); d = .int64(a)
            case var .float(a): a.append(0); d = .float(a)
            case var .double(a): a.append(0); d = .double(a)
            case var .string(a): a.appendEmpty(); d = .string(a)
            case var .binary(a): a.appendEmpty(); d = .binary(a)
            case var .date(a): a.append(0); d = .date(a)
            case var .timestamp(a): a.append(0); d = .timestamp(a)
            case .decimal(var a, let p, let s): a.append(0); d = .decimal(a, precision: p, scale: s)
            }
        }
    }

    public mutating func append(int v: Int64) {
        validity.append(true)
        modify { d in
            switch d {
            case var .int64(a): a.append(v); d = .int64(a)
            case var .timestamp(a): a.append(v); d = .timestamp(a)
            case var .int32(a): a.append(Int32(truncatingIfNeeded: v)); d = .int32(a)
            case var .date(a): a.append(Int32(truncatingIfNeeded: v)); d = .date(a)
            case var .double(a): a.append(Double(v)); d = .double(a)
            case var .float(a): a.append(Float(v)); d = .float(a)
            case .decimal(var a, let p, let s): a.append(v); d = .decimal(a, precision: p, scale: s)
            default: preconditionFailure("append(int:) on a column of another type")
            }
        }
    }

    public mutating func append(double v: Double) {
        validity.append(true)
        modify { d in
            switch d {
            case var .double(a): a.append(v); d = .double(a)
            case var .float(a): a.append(Float(v)); d = .float(a)
            default: preconditionFailure("append(double:) on a column of another type")
            }
        }
    }

    public mutating func append(bool v: Bool) {
        validity.append(true)
        modify { d in
            guard case var .bool(a) = d else { preconditionFailure("append(bool:) on a column of another type") }
            a.append(v)
            d = .bool(a)
        }
    }

    public mutating func append(bytes p: UnsafeBufferPointer<UInt8>) {
        validity.append(true)
        modify { d in
            switch d {
            case var .string(a): a.append(bytes: p); d = .string(a)
            case var .binary(a): a.append(bytes: p); d = .binary(a)
            default: preconditionFailure("append(bytes:) on a column of another type")
            }
        }
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
        default: throw ColumnarError.invalidArgument("cannot store \(v) in a \(type) column")
        }
    }

    /// Appends all rows of a column of the same type.
    public mutating func append(column: Column) {
        precondition(column.type == type, "append(column:) type \(column.type) into \(type)")
        let n = column.count
        if let v = column.validity { validity.append(contentsOf: v); sawNull = true } else { validity.append(contentsOf: ValidityBitmap(repeating: true, count: n)) }
        modify { d in
            switch (d, column.data) {
            case (var .bool(a), let .bool(b)): a.append(contentsOf: b); d = .bool(a)
            case (var .int32(a), let .int32(b)): a.append(contentsOf: b); d = .int32(a)
            case (var .int64(a), let .int64(b)): a.append(contentsOf: b); d = .int64(a)
            case (var .float(a), let .float(b)): a.append(contentsOf: b); d = .float(a)
            case (var .double(a), let .double(b)): a.append(contentsOf: b); d = .double(a)
            case (var .string(a), let .string(b)): a.append(contentsOf: b); d = .string(a)
            case (var .binary(a), let .binary(b)): a.append(contentsOf: b); d = .binary(a)
            case (var .date(a), let .date(b)): a.append(contentsOf: b); d = .date(a)
            case (var .timestamp(a), let .timestamp(b)): a.append(contentsOf: b); d = .timestamp(a)
            case (.decimal(var a, let p, let s), let .decimal(b, _, _)): a.append(contentsOf: b); d = .decimal(a, precision: p, scale: s)
            default: preconditionFailure("unreachable: types checked above")
            }
        }
    }

    /// The finished column. The builder may be reused afterwards only by reassigning it.
    public func finish() -> Column {
        Column(data, validity: sawNull ? validity : nil)
    }
}
