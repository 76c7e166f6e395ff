import Columnar
import Dispatch

/// Per-file statistics as Delta stores them in `add.stats` (PROTOCOL.md "Per-file
/// Statistics"): numRecords, and per column minValues, maxValues and nullCount.
///
/// We write min/max only where they are exact under JSON: integers, finite floats, dates,
/// booleans are left out (as Spark does), strings only up to 32 characters, and timestamps
/// at millisecond precision rounded outward (min down, max up) so skipping stays correct.
public struct FileStats: Sendable, Equatable {
    public var numRecords: Int64
    public var minValues: [String: Value]
    public var maxValues: [String: Value]
    public var nullCount: [String: Int64]

    public init(numRecords: Int64, minValues: [String: Value] = [:], maxValues: [String: Value] = [:], nullCount: [String: Int64] = [:]) {
        self.numRecords = numRecords
        self.minValues = minValues
        self.maxValues = maxValues
        self.nullCount = nullCount
    }

    /// Statistics of `table`. O(rows × columns), one task per column.
    public static func compute(_ table: Table) -> FileStats {
        var s = FileStats(numRecords: Int64(table.rowCount))
        var ranges = [(Value, Value)?](repeating: nil, count: table.columnCount)
        let columns = table.columns
        ranges.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: columns.count) { i in base[i] = minMax(columns[i]) }
        }
        for (i, field) in table.schema.fields.enumerated() {
            // Nested columns get no statistics (the protocol makes them optional).
            if field.type.isNested { continue }
            s.nullCount[field.name] = Int64(columns[i].nullCount)
            if let (lo, hi) = ranges[i] {
                s.minValues[field.name] = lo
                s.maxValues[field.name] = hi
            }
        }
        return s
    }

    static func minMax(_ c: Column) -> (Value, Value)? {
        func scan<T: Comparable>(_ a: [T]) -> (T, T)? {
            guard let first = (0..<a.count).first(where: { !c.isNull($0) }) else { return nil }
            var lo = a[first], hi = a[first]
            if c.validity == nil {
                for v in a { if v < lo { lo = v } else if v > hi { hi = v } }
            } else {
                for i in first..<a.count where !c.isNull(i) {
                    let v = a[i]
                    if v < lo { lo = v } else if v > hi { hi = v }
                }
            }
            return (lo, hi)
        }
        switch c.data {
        case let .int32(a): return scan(a).map { (.int(Int64($0.0)), .int(Int64($0.1))) }
        case let .int64(a): return scan(a).map { (.int($0.0), .int($0.1)) }
        case let .float(a):
            if a.indices.contains(where: { !c.isNull($0) && !a[$0].isFinite }) { return nil }
            return scan(a).map { (.double(Double($0.0)), .double(Double($0.1))) }
        case let .double(a):
            if a.indices.contains(where: { !c.isNull($0) && !a[$0].isFinite }) { return nil }
            return scan(a).map { (.double($0.0), .double($0.1)) }
        case let .date(a): return scan(a).map { (.date($0.0), .date($0.1)) }
        case let .timestamp(a):
            return scan(a).map { lo, hi in
                let loMs = floorDiv(lo, 1000) * 1000
                let hiMs = -floorDiv(-hi, 1000) * 1000
                return (.timestamp(loMs), .timestamp(hiMs))
            }
        case let .string(sa):
            let found = c.validity == nil ? sa.minMaxSlots(in: 0..<sa.count) : sa.minMaxSlots(in: 0..<sa.count, isNull: { c.isNull($0) })
            guard let (lo, hi) = found else { return nil }
            let a = sa[lo], b = sa[hi]
            guard a.count <= 32, b.count <= 32 else { return nil }
            return (.string(a), .string(b))
        default: return nil
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The JSON text for `add.stats`.
    public var json: String {
        func enc(_ m: [String: Value]) -> JSONValue {
            .object(m.keys.sorted().compactMap { k in FileStats.encode(m[k]!).map { (k, $0) } })
        }
        return JSONValue.object([
            ("numRecords", .int(numRecords)),
            ("minValues", enc(minValues)),
            ("maxValues", enc(maxValues)),
            ("nullCount", .object(nullCount.keys.sorted().map { ($0, .int(nullCount[$0]!)) })),
        ]).serialized
    }

    static func encode(_ v: Value) -> JSONValue? {
        switch v {
        case let .int(i): return .int(i)
        case let .double(d): return .double(d)
        case let .string(s): return .string(s)
        case let .date(d): return .string(CivilTime.formatDate(days: d))
        case let .timestamp(t):
            let secs = floorDiv(t, 1_000_000)
            let ms = (t - secs * 1_000_000) / 1000
            var base = CivilTime.formatTimestamp(micros: secs * 1_000_000)
            base.removeLast()
            let msText = String(ms)
            return .string(base + "." + String(repeating: "0", count: 3 - msText.count) + msText + "Z")
        default: return nil
        }
    }

    /// Parses `add.stats` against the table's column types; values of unexpected shape are
    /// dropped (a stat we cannot read only costs skipping, never correctness). Nested
    /// (struct) stats are ignored.
    public static func parse(_ text: String, types: [String: DataType], context: String) -> FileStats? {
        guard let json = try? JSONValue.parse(text, context: context) else { return nil }
        var s = FileStats(numRecords: json["numRecords"]?.int64Value ?? -1)
        func dec(_ v: JSONValue, _ t: DataType) -> Value? {
            switch t {
            case .int32, .int64: return v.int64Value.map { .int($0) }
            case .float, .double: return v.doubleValue.map { .double($0) }
            case .string: return v.stringValue.map { .string($0) }
            case .date:
                guard var str = v.stringValue else { return nil }
                return str.withUTF8 { CivilTime.parseDate($0) }.map { .date($0) }
            case .timestamp:
                guard var str = v.stringValue else { return nil }
                return str.withUTF8 { CivilTime.parseTimestamp($0) }.map { .timestamp($0) }
            default: return nil
            }
        }
        for (k, v) in json["minValues"]?.objectValue ?? [] { if let t = types[k], let x = dec(v, t) { s.minValues[k] = x } }
        for (k, v) in json["maxValues"]?.objectValue ?? [] { if let t = types[k], let x = dec(v, t) { s.maxValues[k] = x } }
        for (k, v) in json["nullCount"]?.objectValue ?? [] { if let n = v.int64Value { s.nullCount[k] = n } }
        return s
    }
}
