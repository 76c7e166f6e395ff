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
            guard precision > 0, precision <= Int32(DataType.maxDecimalPrecision), scale >= 0, scale <= precision else {
                throw UnsupportedError("decimal(\(precision),\(scale)) in \(leaf.dottedPath): only precision 1...\(DataType.maxDecimalPrecision) with 0 <= scale <= precision is supported")
            }
            if e.type == .int32, precision > 9 { throw DecodeError("decimal(\(precision),\(scale)) in \(leaf.dottedPath) is stored as INT32, which holds at most 9 digits") }
            if e.type == .int64, precision > 18 { throw DecodeError("decimal(\(precision),\(scale)) in \(leaf.dottedPath) is stored as INT64, which holds at most 18 digits") }
            if e.type == .fixedLenByteArray, let n = e.typeLength, precision > maxDigits(bytes: Int(n)) {
                throw DecodeError("decimal(\(precision),\(scale)) in \(leaf.dottedPath) does not fit its \(n)-byte FIXED_LEN_BYTE_ARRAY")
            }
            return .decimal(precision: Int(precision), scale: Int(scale))
        }
        switch e.type! {
        case .boolean: return .bool
        case .int32:
            if let d = try decimal() { return d }
            if logical == .date || converted == ConvertedType.date { return .date }
            if case let .integer(_, signed) = logical, !signed { return .int64 }
            if isUnsigned32(leaf) { return .int64 }
            return .int32
        case .int64:
            if let d = try decimal() { return d }
            if isUnsigned64(leaf) { return unsigned64Type }
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
            if logical == .float16 {
                guard e.typeLength == 2 else { throw DecodeError("FLOAT16 column \(leaf.dottedPath) has length \(e.typeLength ?? 0), not 2") }
                return .float
            }
            if logical == .uuid {
                guard e.typeLength == 16 else { throw DecodeError("UUID column \(leaf.dottedPath) has length \(e.typeLength ?? 0), not 16") }
                return .string
            }
            return .binary
        }
    }

    /// Unsigned 64-bit integers read as `decimal(20,0)`: every value 0...2^64-1 exactly, and
    /// Delta and Spark (which have no unsigned type) can store it.
    static let unsigned64Type = DataType.decimal(precision: 20, scale: 0)

    /// Most decimal digits a two's complement integer of `bytes` bytes holds
    /// (floor(log10(2^(8n-1) - 1))), as parquet-format's DECIMAL rules state.
    static func maxDigits(bytes: Int) -> Int {
        guard bytes > 0 else { return 0 }
        if bytes >= 16 { return 38 }
        let bits = Double(8 * bytes - 1)
        return Int((bits * 0.30102999566398120).rounded(.down))
    }

    /// Bytes of the FIXED_LEN_BYTE_ARRAY that holds `precision` digits (the smallest, as
    /// parquet-format recommends and pyarrow writes).
    static func decimalByteWidth(precision: Int) -> Int {
        var n = 1
        while maxDigits(bytes: n) < precision { n += 1 }
        return n
    }

    /// True for an INT32 leaf annotated as unsigned (UINT_8/16/32 or INT(n, false)).
    static func isUnsigned32(_ leaf: SchemaNode) -> Bool {
        guard leaf.element.type == .int32 else { return false }
        if case let .integer(_, signed) = leaf.element.logicalType, !signed { return true }
        return [ConvertedType.uint8, ConvertedType.uint16, ConvertedType.uint32].contains(leaf.element.convertedType ?? -1)
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

    /// Big-endian two's complement bytes (at most 16 significant) to Int128.
    static func bigEndianInt128(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws -> Int128 {
        if range.isEmpty { return 0 }
        var start = range.lowerBound
        while range.upperBound - start > 16 {
            let b = p[start]
            guard b == 0 || b == 0xFF, (p[start + 1] & 0x80 != 0) == (b == 0xFF) else { throw DecodeError("decimal value does not fit 128 bits") }
            start += 1
        }
        var v: Int128 = p[start] & 0x80 != 0 ? -1 : 0
        for i in start..<range.upperBound { v = v << 8 | Int128(p[i]) }
        return v
    }

    /// IEEE half-precision values (FLOAT16: 2 little-endian bytes) widened exactly to Float.
    static func float16Values(_ values: PhysicalValues, _ leaf: SchemaNode) throws -> [Float] {
        let n = values.count
        guard values.bytes.count == 2 * n else { throw DecodeError("\(leaf.dottedPath): FLOAT16 values are not 2 bytes each") }
        var out = [Float](repeating: 0, count: n)
        values.bytes.withUnsafeBufferPointer { b in
            for i in 0..<n { out[i] = halfToFloat(UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8) }
        }
        return out
    }

    /// Exact conversion of IEEE 754 binary16 bits to Float (normal, subnormal, inf, NaN).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), fraction = Int(h & 0x3FF)
        if exponent == 0 { return sign * Float(fraction) * 0x1p-24 }
        if exponent == 31 { return fraction == 0 ? sign * .infinity : .nan }
        return sign * Float(1024 + fraction) * Float(sign: .plus, exponent: exponent - 25, significand: 1)
    }

    /// UUIDs (16 bytes, RFC 4122 byte order) as lowercase 36-character text, as pyarrow and
    /// Spark print them.
    static func uuidStrings(_ values: PhysicalValues, _ leaf: SchemaNode) throws -> StringArray {
        let n = values.count
        guard values.bytes.count == 16 * n else { throw DecodeError("\(leaf.dottedPath): UUID values are not 16 bytes each") }
        let hex = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 36 * n)
        var offsets = [Int](repeating: 0, count: n + 1)
        values.bytes.withUnsafeBufferPointer { b in
            for i in 0..<n {
                var o = 36 * i
                for k in 0..<16 {
                    if k == 4 || k == 6 || k == 8 || k == 10 { bytes[o] = 0x2D; o += 1 }
                    let v = b[16 * i + k]
                    bytes[o] = hex[Int(v >> 4)]
                    bytes[o + 1] = hex[Int(v & 15)]
                    o += 2
                }
                offsets[i + 1] = 36 * (i + 1)
            }
        }
        return StringArray(offsets: offsets, bytes: bytes)
    }

    /// Dense column data of `type` from the decoded physical values.
    static func denseData(_ values: PhysicalValues, leaf: SchemaNode, type: DataType) throws -> ColumnData {
        switch type {
        case .list, .structure, .map: throw UnsupportedError("a leaf column cannot be of nested type \(type)")
        case .bool: return .bool(values.bools)
        case .int32: return .int32(values.i32)
        case .int64:
            if values.type == .int32 { return .int64(values.i32.map { Int64(UInt32(bitPattern: $0)) }) }
            return .int64(values.i64)
        case .float:
            if values.type == .fixedLenByteArray { return .float(try float16Values(values, leaf)) }
            return .float(values.f32)
        case .double: return .double(values.f64)
        case .date: return .date(values.i32)
        case .timestamp:
            if values.type == .int96 { return .timestamp(values.i64) }
            let (mul, div) = timestampScale(leaf)
            if mul == 1 && div == 1 { return .timestamp(values.i64) }
            if div == 1 { return .timestamp(values.i64.map { $0 &* mul }) }
            return .timestamp(values.i64.map { floorDiv($0, div) })
        case .string:
            if values.type == .fixedLenByteArray { return .string(try uuidStrings(values, leaf)) }
            return .string(StringArray(offsets: values.offsets, bytes: values.bytes))
        case .binary: return .binary(StringArray(offsets: values.offsets, bytes: values.bytes))
        case let .decimal(p, s) where p > DataType.maxDecimal64Precision:
            switch values.type {
            case .int32: return .decimal128(values.i32.map { Int128($0) }, precision: p, scale: s)
            case .int64:
                if isUnsigned64(leaf) { return .decimal128(values.i64.map { Int128(UInt64(bitPattern: $0)) }, precision: p, scale: s) }
                return .decimal128(values.i64.map { Int128($0) }, precision: p, scale: s)
            default:
                var out: [Int128] = []
                out.reserveCapacity(values.count)
                let limit = Decimal128Bounds.limit(p)
                try values.bytes.withUnsafeBufferPointer { b in
                    for i in 0..<(values.offsets.count - 1) {
                        let v = try bigEndianInt128(b, values.offsets[i]..<values.offsets[i + 1])
                        guard v.magnitude < limit else { throw DecodeError("\(leaf.dottedPath): decimal value \(formatDecimal(v, scale: s)) has more than \(p) digits") }
                        out.append(v)
                    }
                }
                return .decimal128(out, precision: p, scale: s)
            }
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
        // Unsigned integers decode from their bit patterns (uint64 as decimal(20,0)), so their
        // unsigned-order min/max compare correctly with Columnar values.
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
