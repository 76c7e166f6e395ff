// Bronze's conversion of text fields straight from the CSV reader's bytes, for the fields
// whose meaning is plain: ASCII with no surrounding white space. Every other field takes the
// general path (`BronzeIngest.convert`), so the result is the same value either way.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// What the byte-level parse of one field found.
enum FastField<T> {
    /// The field converts to this value.
    case value(T)
    /// The field is plain text that does not convert (a rescue).
    case invalid
    /// Not plain enough for this parser: use the general path.
    case general
}

enum BronzeFastParse {
    /// True for ASCII bytes with no white space at either end (what `trimmingSpaces` would
    /// leave unchanged and every Unicode rule treats as plain ASCII).
    @inline(__always)
    static func isPlain(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = p.first, let last = p.last, !isSpace(first), !isSpace(last) else { return false }
        for b in p where b >= 0x80 { return false }
        return true
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// `Int64(text)`: an optional sign and decimal digits, nil on overflow or anything else.
    static func int64(_ p: UnsafeBufferPointer<UInt8>) -> FastField<Int64> {
        guard isPlain(p) else { return .general }
        var i = 0
        var negative = false
        if p[0] == 0x2B || p[0] == 0x2D { negative = p[0] == 0x2D; i = 1 }
        guard i < p.count else { return .invalid }
        var v: Int64 = 0
        while i < p.count {
            let d = p[i] &- 0x30
            guard d < 10 else { return .invalid }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return .invalid }
            v = s
            i += 1
        }
        return .value(v)
    }

    /// `Double(text)` for a plain decimal `[+-]digits[.digits][e[+-]digits]` (or `.digits`),
    /// through the C library's correctly rounded `strtod`, as Swift's own parser; other
    /// spellings (`nan`, `inf`, hexadecimal) go the general way.
    static func double(_ p: UnsafeBufferPointer<UInt8>) -> FastField<Double> {
        guard isPlain(p), p.count < 64 else { return .general }
        var i = 0
        if p[0] == 0x2B || p[0] == 0x2D { i = 1 }
        var mantissa = 0
        while i < p.count, p[i] &- 0x30 < 10 { i += 1; mantissa += 1 }
        if i < p.count, p[i] == 0x2E {
            i += 1
            while i < p.count, p[i] &- 0x30 < 10 { i += 1; mantissa += 1 }
        }
        guard mantissa > 0 else { return .general }
        if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            var exponent = 0
            while i < p.count, p[i] &- 0x30 < 10 { i += 1; exponent += 1 }
            guard exponent > 0 else { return .general }
        }
        guard i == p.count else { return .general }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            for k in 0..<p.count { buffer[k] = CChar(bitPattern: p[k]) }
            buffer[p.count] = 0
            return .value(strtod(buffer.baseAddress!, nil))
        }
    }

    /// `TimestampFormat.parseISO` in a zone with no offset and no daylight saving (UTC), where
    /// it is `CivilTime.parseTimestamp`, else a date alone at midnight.
    static func timestampUTC(_ p: UnsafeBufferPointer<UInt8>) -> FastField<Int64> {
        guard isPlain(p) else { return .general }
        if let v = CivilTime.parseTimestamp(p) { return .value(v) }
        if let d = CivilTime.parseDate(p) { return .value(Int64(d) * 86_400_000_000) }
        return .invalid
    }
}
