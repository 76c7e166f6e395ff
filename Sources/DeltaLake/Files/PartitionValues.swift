import Columnar

/// Partition values as Delta stores them in `add.partitionValues`: strings in Spark's
/// canonical form (PROTOCOL.md "Partition Value Serialization"), nil for null.
public enum PartitionValues {
    /// The serialized form of one cell.
    public static func serialize(_ v: Value) -> String? {
        switch v {
        case .null: return nil
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .double(d): return formatDouble(d)
        case let .string(s): return s
        case let .binary(b): return String(decoding: b, as: UTF8.self)
        case let .date(d): return CivilTime.formatDate(days: d)
        case let .timestamp(t):
            // Spark's form: `yyyy-MM-dd HH:mm:ss[.ffffff]`.
            var s = CivilTime.formatTimestamp(micros: t)
            s.removeLast()
            return s.replacingOccurrences(of: "T", with: " ")
        case let .decimal(u, s): return formatDecimal(u, scale: s)
        case let .decimal128(u, s): return formatDecimal(u, scale: s)
        case .list, .structure, .map: return v.jsonText
        }
    }

    /// Parses a serialized partition value as `type`; throws naming the file when it does not fit.
    public static func parse(_ text: String?, as type: DataType, column: String, file: String) throws -> Value {
        guard let text, text != TablePaths.nullPartition else { return .null }
        func bad() -> DeltaError { .corruptLog(file, "partition value '\(text)' of column '\(column)' is not a valid \(type)") }
        switch type {
        case .list, .structure, .map:
            throw DeltaError.unsupported("\(file): partition column '\(column)' has nested type \(type); partition columns must be primitive")
        case .string: return .string(text)
        case .binary: return .binary(Array(text.utf8))
        case .bool:
            switch text.lowercased() { case "true": return .bool(true); case "false": return .bool(false); default: throw bad() }
        case .int32, .int64:
            guard let i = Int64(text) else { throw bad() }
            return .int(i)
        case .float, .double:
            guard let d = Double(text) else { throw bad() }
            return .double(d)
        case .date:
            var text = text
            guard let d = text.withUTF8({ CivilTime.parseDate($0) }) else { throw bad() }
            return .date(d)
        case .timestamp:
            if text.isEmpty { return .null }
            var text = text
            guard let t = text.withUTF8({ CivilTime.parseTimestamp($0) }) else { throw bad() }
            return .timestamp(t)
        case let .decimal(precision, scale) where precision > DataType.maxDecimal64Precision:
            let negative = text.hasPrefix("-")
            let body = negative ? String(text.dropFirst()) : text
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            let frac = parts.count == 2 ? String(parts[1]) : ""
            guard parts.count <= 2, frac.count <= scale, (String(parts[0]) + frac).allSatisfy(\.isASCII),
                  let unscaled = Int128(String(parts[0].isEmpty ? "0" : parts[0]) + frac + String(repeating: "0", count: scale - frac.count)),
                  Decimal128Bounds.fits(unscaled, precision: precision) else { throw bad() }
            return .decimal128(negative ? -unscaled : unscaled, scale: scale)
        case let .decimal(_, scale):
            let negative = text.hasPrefix("-")
            let body = negative ? String(text.dropFirst()) : text
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0])) else { throw bad() }
            var frac = parts.count == 2 ? String(parts[1]) : ""
            guard frac.count <= scale, frac.allSatisfy(\.isNumber) else { throw bad() }
            frac += String(repeating: "0", count: scale - frac.count)
            var unscaled = whole
            for _ in 0..<scale { unscaled = unscaled.multipliedReportingOverflow(by: 10).partialValue }
            unscaled += Int64(frac) ?? 0
            return .decimal(negative ? -unscaled : unscaled, scale: scale)
        }
    }

    /// A column of `count` copies of `v` with type `type`.
    public static func constantColumn(_ v: Value, type: DataType, count: Int) throws -> Column {
        var b = ColumnBuilder(type: type, capacity: count)
        for _ in 0..<count { try b.append(v) }
        return b.finish()
    }
}
