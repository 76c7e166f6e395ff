// Reading report columns as display values: ids as opaque text, amounts as doubles, times as
// seconds since the epoch.
import Columnar

enum ReportColumns {
    /// Every cell as text: strings as they are, other types as they print, null as "".
    /// Integer and string ids come out alike, so ids stay opaque. O(rows).
    static func texts(_ t: Table, _ name: String) throws -> [String] {
        let c = try t.column(name)
        return (0..<c.count).map { text(c, $0) }
    }

    static func text(_ c: Column, _ row: Int) -> String {
        if c.isNull(row) { return "" }
        let v = c.value(at: row)
        return v.stringValue ?? v.description
    }

    /// Numeric cells as doubles (null and non-numeric as 0). O(rows).
    static func doubles(_ t: Table, _ name: String) throws -> [Double] {
        try optionalDoubles(t, name).map { $0 ?? 0 }
    }

    static func optionalDoubles(_ t: Table, _ name: String) throws -> [Double?] {
        let c = try t.column(name)
        return (0..<c.count).map { r -> Double? in
            if c.isNull(r) { return nil }
            let v = c.value(at: r)
            return v.doubleValue ?? v.stringValue.flatMap(Double.init)
        }
    }

    /// Times as seconds since the Unix epoch: timestamps, dates and ISO 8601 text; plain
    /// numbers are taken as they are (the axis then shows numbers, see `isCalendar`). Nulls and
    /// unparseable text are nil. O(rows).
    static func times(_ t: Table, _ name: String) throws -> (seconds: [Double?], isCalendar: Bool) {
        let c = try t.column(name)
        switch c.type {
        case .timestamp, .date, .string:
            let out = (0..<c.count).map { r -> Double? in
                if c.isNull(r) { return nil }
                switch c.value(at: r) {
                case let .timestamp(us): return Double(us) / 1e6
                case let .date(d): return Double(d) * 86_400
                case let .string(s): return (CivilTime.parseTimestamp(s) ?? CivilTime.parseDate(s).map { Int64($0) * 86_400_000_000 }).map { Double($0) / 1e6 }
                default: return nil
                }
            }
            return (out, true)
        default:
            return ((0..<c.count).map { c.isNull($0) ? nil : c.value(at: $0).doubleValue }, false)
        }
    }

    /// `YYYY-MM-DD` (and ` HH:MM` when `withTime`) of epoch seconds, UTC.
    static func formatTime(_ seconds: Double, calendar: Bool, withTime: Bool = true) -> String {
        guard calendar else { return HTML.number(seconds) }
        let text = CivilTime.formatTimestamp(micros: Int64((seconds * 1e6).rounded()))
        let date = String(text.prefix(10))
        guard withTime, text.count >= 16 else { return date }
        let i = text.index(text.startIndex, offsetBy: 11), j = text.index(text.startIndex, offsetBy: 16)
        return date + " " + text[i..<j]
    }
}
