/// Receives one column's fields from one chunk of a CSV file and parses them straight into a
/// typed array. One sink per (chunk, column); sinks of consecutive chunks are concatenated in
/// order, so results never depend on how the file was split.
///
/// A sink is owned by the one thread parsing its chunk and is never reached through two
/// overlapping accesses, so its stored properties opt out of the runtime exclusivity check:
/// the check (a thread-local access set per field appended) cost a fifth of a CSV parse.
final class CSVColumnSink {
    enum Kind {
        case bool, int32, int64, float, double, string, binary, date, timestamp
        case decimal(precision: Int, scale: Int)
        /// Type inference: records which types every non-null value fits.
        case infer
    }

    let kind: Kind
    let type: DataType
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) var ints: [Int64] = []
    /// Decimals above 18 digits.
    @exclusivity(unchecked) var wides: [Int128] = []
    @exclusivity(unchecked) var ints32: [Int32] = []
    @exclusivity(unchecked) var doubles: [Double] = []
    @exclusivity(unchecked) var floats: [Float] = []
    @exclusivity(unchecked) var bools: [Bool] = []
    @exclusivity(unchecked) var offsets: [Int] = [0]
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// Rows (chunk-relative) that are null, ascending.
    @exclusivity(unchecked) var nullRows: [Int] = []

    // Inference flags: each stays true while every non-null value seen fits that type.
    @exclusivity(unchecked) var fitsBool = true
    @exclusivity(unchecked) var fitsInt = true
    @exclusivity(unchecked) var fitsDouble = true
    @exclusivity(unchecked) var fitsDate = true
    @exclusivity(unchecked) var fitsTimestamp = true
    @exclusivity(unchecked) var sawValue = false

    init(type: DataType?) {
        if let type {
            self.type = type
            switch type {
            case .bool: kind = .bool
            case .int32: kind = .int32
            case .int64: kind = .int64
            case .float: kind = .float
            case .double: kind = .double
            case .string: kind = .string
            case .binary: kind = .binary
            case .date: kind = .date
            case .timestamp: kind = .timestamp
            case let .decimal(p, s): kind = .decimal(precision: p, scale: s)
            case .list, .structure, .map: preconditionFailure("CSV columns cannot be nested (CSVReader refuses such a schema)")
            }
        } else {
            self.type = .string
            kind = .infer
        }
    }

    func reserve(_ n: Int) {
        switch kind {
        case .int64, .timestamp, .decimal: ints.reserveCapacity(n)
        case .double: doubles.reserveCapacity(n)
        case .int32, .date: ints32.reserveCapacity(n)
        case .string, .binary: offsets.reserveCapacity(n + 1)
        default: break
        }
    }

    /// Appends a field. Returns nil on success or what was expected on failure (nothing is
    /// appended then). An unquoted empty field is null; a quoted empty field is the empty
    /// string for text columns and null for others.
    @inline(__always)
    func append(_ p: UnsafePointer<UInt8>, _ n: Int, quoted: Bool) -> String? {
        if n == 0, !quoted || !(kind.isText) {
            appendNull()
            return nil
        }
        switch kind {
        case .int64:
            guard let v = NumberParsing.parseInt(p, n) else { return "an integer" }
            ints.append(v)
        case .int32:
            guard let v = NumberParsing.parseInt(p, n), let w = Int32(exactly: v) else { return "a 32-bit integer" }
            ints32.append(w)
        case .double:
            guard let v = NumberParsing.parseDouble(p, n) else { return "a number" }
            doubles.append(v)
        case .float:
            guard let v = NumberParsing.parseDouble(p, n) else { return "a number" }
            floats.append(Float(v))
        case .bool:
            guard let v = NumberParsing.parseBool(p, n, lenient: true) else { return "true or false" }
            bools.append(v)
        case .string:
            guard UTF8Validation.isValid(p, n) else { return UTF8Validation.describeInvalid(p, n) }
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            offsets.append(bytes.count)
        case .binary:
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            offsets.append(bytes.count)
        case .date:
            guard let v = CivilTime.parseDate(UnsafeBufferPointer(start: p, count: n)) else { return "a date YYYY-MM-DD" }
            ints32.append(v)
        case .timestamp:
            let buf = UnsafeBufferPointer(start: p, count: n)
            if let v = CivilTime.parseTimestamp(buf) {
                ints.append(v)
            } else if let d = CivilTime.parseDate(buf) {
                ints.append(Int64(d) * 86_400_000_000)
            } else {
                return "a timestamp like 2025-01-31T12:00:00Z"
            }
        case let .decimal(precision, scale):
            if precision > DataType.maxDecimal64Precision {
                guard let v = NumberParsing.parseDecimal(p, n, scale: scale, as: Int128.self), v.magnitude < Decimal128Bounds.limit(precision) else {
                    return "a decimal of at most \(precision) digits with at most \(scale) fractional digits"
                }
                wides.append(v)
            } else {
                guard let v = NumberParsing.parseDecimal(p, n, scale: scale) else { return "a decimal with at most \(scale) fractional digits" }
                ints.append(v)
            }
        case .infer:
            observe(p, n)
        }
        count += 1
        return nil
    }

    private func observe(_ p: UnsafePointer<UInt8>, _ n: Int) {
        sawValue = true
        if fitsBool { fitsBool = NumberParsing.parseBool(p, n, lenient: false) != nil }
        if fitsInt { fitsInt = NumberParsing.parseInt(p, n) != nil && !NumberParsing.hasLeadingZero(p, n) }
        if fitsDouble { fitsDouble = NumberParsing.parseDouble(p, n) != nil && !NumberParsing.hasLeadingZero(p, n) && !isSpecialWord(p, n) }
        let buf = UnsafeBufferPointer(start: p, count: n)
        if fitsDate { fitsDate = CivilTime.parseDate(buf) != nil }
        if fitsTimestamp { fitsTimestamp = CivilTime.parseTimestamp(buf) != nil || CivilTime.parseDate(buf) != nil }
    }

    // "nan"/"inf" alone should not turn a text column numeric.
    private func isSpecialWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let c = p[n - 1] | 0x20
        return c == 0x6E || c == 0x66 || c == 0x79
    }

    /// The type inference settles on: bool, int64, double, date, timestamp, else string.
    var inferredType: DataType {
        guard sawValue else { return .string }
        if fitsBool { return .bool }
        if fitsInt { return .int64 }
        if fitsDouble { return .double }
        if fitsDate { return .date }
        if fitsTimestamp { return .timestamp }
        return .string
    }

    @inline(__always)
    func appendNull() {
        nullRows.append(count)
        switch kind {
        case let .decimal(p, _) where p > DataType.maxDecimal64Precision: wides.append(0)
        case .int64, .timestamp, .decimal: ints.append(0)
        case .int32, .date: ints32.append(0)
        case .double: doubles.append(0)
        case .float: floats.append(0)
        case .bool: bools.append(false)
        case .string, .binary: offsets.append(bytes.count)
        case .infer: break
        }
        count += 1
    }

    /// Drops rows from `n` on (used to roll back a rejected row's earlier fields).
    func truncate(to n: Int) {
        guard n < count else { return }
        switch kind {
        case let .decimal(p, _) where p > DataType.maxDecimal64Precision: wides.removeLast(count - n)
        case .int64, .timestamp, .decimal: ints.removeLast(count - n)
        case .int32, .date: ints32.removeLast(count - n)
        case .double: doubles.removeLast(count - n)
        case .float: floats.removeLast(count - n)
        case .bool: bools.removeLast(count - n)
        case .string, .binary:
            offsets.removeLast(count - n)
            bytes.removeLast(bytes.count - offsets[n])
        case .infer: break
        }
        while let last = nullRows.last, last >= n { nullRows.removeLast() }
        count = n
    }

    /// Concatenates sinks of consecutive chunks into one column.
    static func merge(_ sinks: [CSVColumnSink], type: DataType) -> Column {
        let total = sinks.reduce(0) { $0 + $1.count }
        var validity: ValidityBitmap?
        if sinks.contains(where: { !$0.nullRows.isEmpty }) {
            var v = ValidityBitmap(repeating: true, count: total)
            var base = 0
            for s in sinks {
                for r in s.nullRows { v[base + r] = false }
                base += s.count
            }
            validity = v
        }
        func flat<T>(_ key: (CSVColumnSink) -> [T]) -> [T] {
            if sinks.count == 1 { return key(sinks[0]) }
            var out: [T] = []
            out.reserveCapacity(total)
            for s in sinks { out.append(contentsOf: key(s)) }
            return out
        }
        let data: ColumnData
        switch type {
        case .int64: data = .int64(flat { $0.ints })
        case .timestamp: data = .timestamp(flat { $0.ints })
        case let .decimal(p, s):
            data = p > DataType.maxDecimal64Precision ? .decimal128(flat { $0.wides }, precision: p, scale: s) : .decimal(flat { $0.ints }, precision: p, scale: s)
        case .int32: data = .int32(flat { $0.ints32 })
        case .date: data = .date(flat { $0.ints32 })
        case .double: data = .double(flat { $0.doubles })
        case .float: data = .float(flat { $0.floats })
        case .bool: data = .bool(flat { $0.bools })
        case .list, .structure, .map: preconditionFailure("CSV columns cannot be nested")
        case .string, .binary:
            var array: StringArray
            if sinks.count == 1 {
                array = StringArray(offsets: sinks[0].offsets, bytes: sinks[0].bytes)
            } else {
                var offsets: [Int] = [0]
                offsets.reserveCapacity(total + 1)
                var bytes: [UInt8] = []
                bytes.reserveCapacity(sinks.reduce(0) { $0 + $1.bytes.count })
                for s in sinks {
                    let base = bytes.count
                    bytes.append(contentsOf: s.bytes)
                    for i in 1..<s.offsets.count { offsets.append(s.offsets[i] + base) }
                }
                array = StringArray(offsets: offsets, bytes: bytes)
            }
            data = type == .string ? .string(array) : .binary(array)
        }
        return Column(data, validity: validity)
    }
}

extension CSVColumnSink.Kind {
    var isText: Bool {
        switch self {
        case .string, .binary, .infer: return true
        default: return false
        }
    }
}

/// UTF-8 validation of raw field bytes (ASCII fast path, full check otherwise).
enum UTF8Validation {
    @inline(__always)
    static func isValid(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        var acc: UInt8 = 0
        while i < n { acc |= p[i]; i += 1 }
        if acc < 0x80 { return true }
        return firstInvalidOffset(p, n) == nil
    }

    /// Offset of the first byte that breaks UTF-8, or nil.
    static func firstInvalidOffset(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let len: Int
            var minValue: UInt32
            var v: UInt32
            if b & 0xE0 == 0xC0 { len = 2; v = UInt32(b & 0x1F); minValue = 0x80 }
            else if b & 0xF0 == 0xE0 { len = 3; v = UInt32(b & 0x0F); minValue = 0x800 }
            else if b & 0xF8 == 0xF0 { len = 4; v = UInt32(b & 0x07); minValue = 0x10000 }
            else { return i }
            guard i + len <= n else { return i }
            for k in 1..<len {
                let c = p[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                v = (v << 6) | UInt32(c & 0x3F)
            }
            if v < minValue || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return i }
            i += len
        }
        return nil
    }

    static func describeInvalid(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        let off = firstInvalidOffset(p, n) ?? 0
        let hex = String(p[off], radix: 16, uppercase: true)
        return "valid UTF-8 text (found byte 0x\(hex.count == 1 ? "0" + hex : hex) at byte \(off + 1) of the field)"
    }
}
