import Columnar

/// How a leaf's physical values map onto Columnar types, following the LogicalType /
/// ConvertedType rules of apache/parquet-format (LogicalTypes.md).
enum LogicalMapping {
    /// The Columnar type a leaf reads as.
    static func dataType(of leaf: SchemaNode) throws -> DataType {
        let e = leaf.element
        let logical = e.logicalType
        let converted = e.convertedType
        func decimal() throws -> DataType? {
            var precision: Int32?, scale: Int32 = 0
            if case let .decimal(s, p) = logical { precision = p; scale = s }
            else if converted == ConvertedType.decimal { precision = e.precision; scale = e.scale ?? 0 }
            guard let precision else { return nil }
            guard precision > 0, precision <= 18, scale >= 0, scale <= precision else {
                throw UnsupportedError("decimal(\(precision),\(scale)) in \(leaf.dottedPath): only precision 1...18 is supported")
            }
            return .decimal(precision: Int(precision), scale: Int(scale))
        }
        switch e.type! {
        case .boolean: return .bool
        case .int32:
            if let d = try decimal() { return d }
            if logical == .date || converted == ConvertedType.date { return .date }
            if case let .integer(_, signed) = logical, !signed { return .int64 }
            if converted == ConvertedType.uint32 { return .int64 }
            return .int32
        case .int64:
            if let d = try decimal() { return d }
            if case .timestamp = logical { return .timestamp }
            if converted == ConvertedType.timestampMillis || converted == ConvertedType.timestampMicros { return .timestamp }
            return .int64
        case .int96: return .timestamp
        case .float: return .float
        case .double: return .double
        case .byteArray:
            if let d = try decimal() { return d }
            switch logical {
            case .string, .enumeration, .json: return .string
            default: break
            }
            if converted == ConvertedType.utf8 || converted == ConvertedType.enumeration || converted == ConvertedType.json { return .string }
            return .binary
        case .fixedLenByteArray:
            if let d = try decimal() { return d }
            return .binary
        }
    }

    /// True for an INT64 leaf annotated as unsigned (INT(64, false) or UINT_64).
    static func isUnsigned64(_ leaf: SchemaNode) -> Bool {
        guard leaf.element.type == .int64 else { return false }
        if case let .integer(_, signed) = leaf.element.logicalType, !signed { return true }
        return leaf.element.convertedType == ConvertedType.uint64
    }

    /// Multiplier/divisor turning the stored INT64 timestamp into microseconds.
    private static func timestampScale(_ leaf: SchemaNode) -> (mul: Int64, div: Int64) {
        if case let .timestamp(_, unit) = leaf.element.logicalType {
            switch unit {
            case .millis: return (1000, 1)
            case .micros: return (1, 1)
            case .nanos: return (1, 1000)
            }
        }
        if leaf.element.convertedType == ConvertedType.timestampMillis { return (1000, 1) }
        return (1, 1)
    }

    /// Big-endian two's complement bytes to Int64 (decimals in BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY).
    static func bigEndianInt(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws -> Int64 {
        if range.isEmpty { return 0 }
        var start = range.lowerBound
        // Drop sign-extension bytes beyond 8.
        while range.upperBound - start > 8 {
            let b = p[start]
            guard b == 0 || b == 0xFF, (p[start + 1] & 0x80 != 0) == (b == 0xFF) else { throw DecodeError("decimal value does not fit 64 bits") }
            start += 1
        }
        var v: Int64 = p[start] & 0x80 != 0 ? -1 : 0
        for i in start..<range.upperBound { v = v << 8 | Int64(p[i]) }
        return v
    }

    /// Dense column data of `type` from the decoded physical values.
    static func denseData(_ values: PhysicalValues, leaf: SchemaNode, type: DataType) throws -> ColumnData {
        switch type {
        case .bool: return .bool(values.bools)
        case .int32: return .int32(values.i32)
        case .int64:
            if values.type == .int32 { return .int64(values.i32.map { Int64(UInt32(bitPattern: $0)) }) }
            if isUnsigned64(leaf), let i = values.i64.firstIndex(where: { $0 < 0 }) {
                throw UnsupportedError("\(leaf.dottedPath): unsigned 64-bit value \(UInt64(bitPattern: values.i64[i])) is larger than the largest int64 (9223372036854775807), which amlgraph tables hold")
            }
            return .int64(values.i64)
        case .float: return .float(values.f32)
        case .double: return .double(values.f64)
        case .date: return .date(values.i32)
        case .timestamp:
            if values.type == .int96 { return .timestamp(values.i64) }
            let (mul, div) = timestampScale(leaf)
            if mul == 1 && div == 1 { return .timestamp(values.i64) }
            if div == 1 { return .timestamp(values.i64.map { $0 &* mul }) }
            return .timestamp(values.i64.map { floorDiv($0, div) })
        case .string: return .string(StringArray(offsets: values.offsets, bytes: values.bytes))
        case .binary: return .binary(StringArray(offsets: values.offsets, bytes: values.bytes))
        case let .decimal(p, s):
            switch values.type {
            case .int32: return .decimal(values.i32.map(Int64.init), precision: p, scale: s)
            case .int64: return .decimal(values.i64, precision: p, scale: s)
            default:
                var out: [Int64] = []
                out.reserveCapacity(values.count)
                try values.bytes.withUnsafeBufferPointer { b in
                    for i in 0..<(values.offsets.count - 1) { out.append(try bigEndianInt(b, values.offsets[i]..<values.offsets[i + 1])) }
                }
                return .decimal(out, precision: p, scale: s)
            }
        }
    }

    /// A statistics value (plain-encoded bytes of the physical type) as a Columnar `Value`.
    static func statValue(_ bytes: [UInt8], leaf: SchemaNode, type: DataType) -> Value? {
        // Unsigned 64-bit min/max order differently from the signed values Columnar holds:
        // no statistics rather than skipping row groups that hold matching rows.
        if isUnsigned64(leaf) { return nil }
        var v = PhysicalValues(type: leaf.element.type!, typeLength: Int(leaf.element.typeLength ?? 0))
        let ok: Bool = bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            do {
                if v.type == .byteArray {
                    v.bytes = Array(raw.bindMemory(to: UInt8.self))
                    v.offsets = [0, raw.count]
                } else if v.type == .fixedLenByteArray {
                    v.bytes = Array(raw.bindMemory(to: UInt8.self))
                    v.offsets = [0, raw.count]
                } else {
                    try v.appendPlain(&c, count: 1)
                }
                return true
            } catch { return false }
        }
        guard ok, let data = try? denseData(v, leaf: leaf, type: type), data.count == 1 else { return nil }
        return Column(data).value(at: 0)
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
