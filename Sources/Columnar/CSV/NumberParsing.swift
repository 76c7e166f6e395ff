#if canImport(Glibc)
import Glibc
#endif

/// Byte-level number parsing for CSV fields: exact, allocation-free on the common paths.
enum NumberParsing {
    /// Parses `[+-]digits` into Int64; nil on any other byte or on overflow.
    @inline(__always)
    static func parseInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D || p[0] == 0x2B {
            negative = p[0] == 0x2D
            i = 1
            guard n > 1 else { return nil }
        }
        var v: UInt64 = 0
        while i < n {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            v = s
            i += 1
        }
        if negative {
            guard v <= UInt64(Int64.max) + 1 else { return nil }
            return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
        }
        guard v <= UInt64(Int64.max) else { return nil }
        return Int64(v)
    }

    /// True when the text starts with a redundant leading zero before another digit ("007",
    /// "01.5"): such values are identifiers (phones, codes), so inference keeps them as
    /// strings. "0", "0.5" and "-0.25" are ordinary numbers.
    @inline(__always)
    static func hasLeadingZero(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = (n > 0 && (p[0] == 0x2D || p[0] == 0x2B)) ? 1 : 0
        return n - start > 1 && p[start] == 0x30 && p[start + 1] &- 0x30 < 10
    }

    private static let exactPowers: [Double] = (0...22).map { e in var r = 1.0; for _ in 0..<e { r *= 10 }; return r }

    /// Parses a decimal or scientific number, `nan`, `inf`, `infinity` (any case, signed).
    /// Uses the exact fast path (mantissa < 2^53, |exp| ≤ 22) and strtod otherwise.
    static func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard n > 0, n < 400 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D || p[0] == 0x2B { negative = p[0] == 0x2D; i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exp10 = 0
        var sawDigit = false
        var significant = 0
        while i < n, p[i] &- 0x30 < 10 {
            sawDigit = true
            if significant < 19 { mantissa = mantissa * 10 + UInt64(p[i] - 0x30); if mantissa > 0 { significant += 1 } } else { exp10 += 1 }
            digits += 1
            i += 1
        }
        if i < n, p[i] == 0x2E {
            i += 1
            while i < n, p[i] &- 0x30 < 10 {
                sawDigit = true
                if significant < 19 { mantissa = mantissa * 10 + UInt64(p[i] - 0x30); exp10 -= 1; if mantissa > 0 { significant += 1 } }
                i += 1
            }
        }
        if !sawDigit { return parseSpecial(p, n) }
        if i < n, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            var eneg = false
            if i < n, p[i] == 0x2D || p[i] == 0x2B { eneg = p[i] == 0x2D; i += 1 }
            var e = 0
            var sawExp = false
            while i < n, p[i] &- 0x30 < 10 {
                sawExp = true
                if e < 100_000 { e = e * 10 + Int(p[i] - 0x30) }
                i += 1
            }
            guard sawExp else { return nil }
            exp10 += eneg ? -e : e
        }
        guard i == n else { return nil }
        if mantissa < (1 << 53), exp10 >= -22, exp10 <= 22, significant <= 19 {
            var v = Double(mantissa)
            if exp10 < 0 { v /= exactPowers[-exp10] } else { v *= exactPowers[exp10] }
            return negative ? -v : v
        }
        // Slow path: strtod on a NUL-terminated copy gives correctly rounded results.
        var buffer = [CChar](repeating: 0, count: n + 1)
        for k in 0..<n { buffer[k] = CChar(bitPattern: p[k]) }
        return buffer.withUnsafeBufferPointer { b -> Double? in
            var endp: UnsafeMutablePointer<CChar>?
            let v = strtod(b.baseAddress!, &endp)
            guard let endp, endp - UnsafeMutablePointer(mutating: b.baseAddress!) == n else { return nil }
            return v
        }
    }

    private static func parseSpecial(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self).lowercased()
        var sign = 1.0
        if s.hasPrefix("-") { sign = -1; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        switch s {
        case "nan": return .nan
        case "inf", "infinity": return sign * .infinity
        default: return nil
        }
    }

    /// `true`/`false` in any case; with `lenient`, also `1`/`0`, `t`/`f`, `yes`/`no`.
    @inline(__always)
    static func parseBool(_ p: UnsafePointer<UInt8>, _ n: Int, lenient: Bool) -> Bool? {
        func lower(_ i: Int) -> UInt8 { p[i] | 0x20 }
        if n == 4, lower(0) == 0x74, lower(1) == 0x72, lower(2) == 0x75, lower(3) == 0x65 { return true }
        if n == 5, lower(0) == 0x66, lower(1) == 0x61, lower(2) == 0x6C, lower(3) == 0x73, lower(4) == 0x65 { return false }
        guard lenient else { return nil }
        if n == 1 {
            switch lower(0) {
            case 0x31, 0x74, 0x79: return true
            case 0x30, 0x66, 0x6E: return false
            default: return nil
            }
        }
        if n == 3, lower(0) == 0x79, lower(1) == 0x65, lower(2) == 0x73 { return true }
        if n == 2, lower(0) == 0x6E, lower(1) == 0x6F { return false }
        return nil
    }

    /// Parses a decimal literal into an unscaled Int64 at `scale`; nil when it has more
    /// fractional digits than the scale or overflows.
    static func parseDecimal(_ p: UnsafePointer<UInt8>, _ n: Int, scale: Int) -> Int64? {
        parseDecimal(p, n, scale: scale, as: Int64.self)
    }

    /// Parses a decimal literal into an unscaled integer of type `T` (Int64 or Int128).
    static func parseDecimal<T: FixedWidthInteger & SignedInteger>(_ p: UnsafePointer<UInt8>, _ n: Int, scale: Int, as: T.Type) -> T? {
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D || p[0] == 0x2B { negative = p[0] == 0x2D; i = 1 }
        var v: T = 0
        var fraction = -1
        var sawDigit = false
        while i < n {
            let c = p[i]
            if c == 0x2E, fraction < 0 { fraction = 0; i += 1; continue }
            let d = c &- 0x30
            guard d < 10 else { return nil }
            sawDigit = true
            if fraction >= 0 { fraction += 1; guard fraction <= scale else { return nil } }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(T(d))
            guard !o1, !o2 else { return nil }
            v = s
            i += 1
        }
        guard sawDigit else { return nil }
        for _ in 0..<(scale - max(fraction, 0)) {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            v = m
        }
        return negative ? -v : v
    }
}
