/// One cell, for row-at-a-time access (tests, expressions, small outputs).
///
/// Hot paths never use `Value`: they work on the typed arrays in `ColumnData`.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// Unscaled value and scale: `decimal(12345, 2)` is 123.45.
    case decimal(Int64, scale: Int)
    /// A decimal whose unscaled value needs up to 128 bits (precision 19...38).
    case decimal128(Int128, scale: Int)
    /// A list column's cell: its elements in order.
    case list([Value])
    /// A struct column's cell: field names and values, in the type's field order.
    case structure(names: [String], values: [Value])
    /// A map column's cell: keys and values, entry by entry.
    case map(keys: [Value], values: [Value])

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as a Double when it is numeric.
    public var doubleValue: Double? {
        switch self {
        case let .int(v): return Double(v)
        case let .double(v): return v
        case let .decimal(v, s): return Double(v) / pow10(s)
        case let .decimal128(v, s): return Double(v) / pow10(s)
        default: return nil
        }
    }

    /// The value as an Int64 when it is integral.
    public var intValue: Int64? {
        switch self {
        case let .int(v): return v
        case let .date(v): return Int64(v)
        case let .timestamp(v): return v
        default: return nil
        }
    }

    /// The unscaled value and scale of a decimal of either width.
    public var decimalParts: (unscaled: Int128, scale: Int)? {
        switch self {
        case let .decimal(v, s): return (Int128(v), s)
        case let .decimal128(v, s): return (v, s)
        default: return nil
        }
    }

    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }

    public var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .int(v): return String(v)
        case let .double(v): return formatDouble(v)
        case let .string(s): return s
        case let .binary(b): return b.map { String(format: "%02x", $0) }.joined()
        case let .date(d): return CivilTime.formatDate(days: d)
        case let .timestamp(t): return CivilTime.formatTimestamp(micros: t)
        case let .decimal(v, s): return formatDecimal(v, scale: s)
        case let .decimal128(v, s): return formatDecimal(v, scale: s)
        case .list, .structure, .map: return jsonText
        }
    }
}

@usableFromInline func pow10(_ s: Int) -> Double {
    var r = 1.0
    for _ in 0..<s { r *= 10 }
    return r
}

/// Shortest round-trip text for a Double (Swift's `description`, so whole values keep ".0"
/// and read back as doubles, as pandas and DuckDB print them).
public func formatDouble(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    return v.description
}

/// Formats an unscaled decimal (`12345`, scale 2 -> `123.45`), 64 or 128 bits.
public func formatDecimal<T: BinaryInteger>(_ v: T, scale: Int) -> String {
    if scale == 0 { return String(v) }
    let negative = v < 0
    var digits = String(v.magnitude)
    while digits.count <= scale { digits = "0" + digits }
    let cut = digits.index(digits.endIndex, offsetBy: -scale)
    return (negative ? "-" : "") + digits[..<cut] + "." + digits[cut...]
}

import Foundation
