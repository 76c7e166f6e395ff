/// Conversions between civil dates/times (proleptic Gregorian, UTC) and the epoch counts that
/// `date` and `timestamp` columns store. Pure integer arithmetic (Howard Hinnant's
/// days-from-civil algorithm), O(1), no Foundation calendars.
public enum CivilTime {
    /// Days since 1970-01-01 for a civil date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The civil date of a day count.
    public static func civil(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public static func formatDate(days: Int32) -> String {
        let c = civil(days: Int(days))
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// ISO 8601 in UTC: `YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` only when there are fractional
    /// microseconds.
    public static func formatTimestamp(micros: Int64) -> String {
        var days = micros / 86_400_000_000
        var rem = micros % 86_400_000_000
        if rem < 0 { rem += 86_400_000_000; days -= 1 }
        let secs = Int(rem / 1_000_000), frac = Int(rem % 1_000_000)
        var s = formatDate(days: Int32(days)) + "T" + pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2)
        if frac != 0 { s += "." + pad(frac, 6) }
        return s + "Z"
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v.magnitude)
        let body = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return v < 0 ? "-" + body : body
    }

    /// Parses `YYYY-MM-DD` from bytes. Returns nil unless the text is exactly a valid date.

    public static func parseDate(_ p: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard p.count == 10, p[4] == 0x2D, p[7] == 0x2D,
              let y = digits(p, 0, 4), let m = digits(p, 5, 2), let d = digits(p, 8, 2),
              m >= 1, m <= 12, d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return Int32(days(year: y, month: m, day: d))
    }

    /// Parses an ISO 8601 timestamp: `YYYY-MM-DD[T ]HH:MM[:SS[.f{1,9}]][Z|+HH:MM|-HH:MM]`.
    /// A timestamp without an offset is taken as UTC. Fractions beyond microseconds are
    /// truncated. Returns nil unless the whole text matches.

    public static func parseTimestamp(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard p.count >= 16, p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54 || p[10] == 0x20, p[13] == 0x3A,
              let y = digits(p, 0, 4), let mo = digits(p, 5, 2), let d = digits(p, 8, 2),
              let h = digits(p, 11, 2), let mi = digits(p, 14, 2),
              mo >= 1, mo <= 12, d >= 1, d <= daysInMonth(year: y, month: mo), h <= 23, mi <= 59 else { return nil }
        var i = 16
        var sec = 0
        var micros = 0
        if i < p.count, p[i] == 0x3A {
            guard let s = digits(p, i + 1, 2), s <= 60 else { return nil }
            sec = s
            i += 3
            if i < p.count, p[i] == 0x2E {
                i += 1
                var n = 0
                var scale = 100_000
                while i < p.count, p[i] >= 0x30, p[i] <= 0x39 {
                    if n < 6 { micros += Int(p[i] - 0x30) * scale; scale /= 10 }
                    n += 1
                    i += 1
                }
                guard n >= 1, n <= 9 else { return nil }
            }
        }
        var offsetSeconds = 0
        if i < p.count {
            if p[i] == 0x5A && i + 1 == p.count {
                i += 1
            } else if (p[i] == 0x2B || p[i] == 0x2D) && i + 6 == p.count && p[i + 3] == 0x3A {
                guard let oh = digits(p, i + 1, 2), let om = digits(p, i + 4, 2), oh <= 23, om <= 59 else { return nil }
                offsetSeconds = (oh * 3600 + om * 60) * (p[i] == 0x2B ? 1 : -1)
                i += 6
            } else {
                return nil
            }
        }
        let day = days(year: y, month: mo, day: d)
        let seconds = Int64(day) * 86400 + Int64(h * 3600 + mi * 60 + sec - offsetSeconds)
        return seconds * 1_000_000 + Int64(micros)
    }


    static func digits(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ n: Int) -> Int? {
        guard start + n <= p.count else { return nil }
        var v = 0
        for k in start..<(start + n) {
            let c = p[k]
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// Convenience for tests and literals: parses a timestamp string.
    public static func parseTimestamp(_ s: String) -> Int64? {
        var s = s
        return s.withUTF8 { parseTimestamp($0) }
    }

    /// Convenience for tests and literals: parses a date string.
    public static func parseDate(_ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { parseDate($0) }
    }
}
