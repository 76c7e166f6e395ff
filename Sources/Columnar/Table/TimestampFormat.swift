import Foundation

/// Parses timestamps written in a strftime-style format (`%d/%m/%Y %H:%M:%S`), as Python's
/// `datetime.strptime` reads them, into microseconds since the epoch (UTC).
///
/// Directives: `%Y` (4-digit year), `%y` (2-digit, 1969–2068 as POSIX), `%m`, `%d`, `%e`,
/// `%H`, `%I` with `%p`, `%M`, `%S`, `%f` (1–6 fraction digits), `%j` (day of year), `%b`/`%B`
/// (English month names), `%z` (`Z`, `+hh:mm`, `+hhmm`), `%T` (`%H:%M:%S`), `%F`
/// (`%Y-%m-%d`), `%%`. Fields may have one digit fewer than their width, as strptime allows;
/// anything else must match literally. A value without `%z` is read in `timezone`.
///
/// - Complexity: O(length of the value) per value; the format is parsed once.
public struct TimestampFormat: Sendable {
    enum Piece: Sendable, Equatable { case literal(Character), field(Character) }
    let pieces: [Piece]
    /// The zone of values without an offset.
    public let timezone: TimeZone
    public let format: String

    /// Parses `format`; throws for an unknown directive. `timezone`: `UTC`, an IANA name
    /// (`Europe/Paris`) or a fixed offset (`+02:00`).
    public init(_ format: String, timezone: String = "UTC") throws {
        var out: [Piece] = []
        var chars = Array(format)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(.literal(c)); continue }
            guard let d = chars.popFirst() else { throw ColumnarError.invalidArgument("timestamp format '\(format)' ends with a lone %") }
            switch d {
            case "T": out += [.field("H"), .literal(":"), .field("M"), .literal(":"), .field("S")]
            case "F": out += [.field("Y"), .literal("-"), .field("m"), .literal("-"), .field("d")]
            case "%": out.append(.literal("%"))
            case "Y", "y", "m", "d", "e", "H", "I", "M", "S", "f", "p", "z", "b", "B", "j": out.append(.field(d))
            default: throw ColumnarError.invalidArgument("timestamp format '\(format)': unknown directive %\(d) (known: %Y %y %m %d %e %H %I %p %M %S %f %j %b %B %z %T %F %%)")
            }
        }
        pieces = out
        self.format = format
        guard let zone = TimestampFormat.zone(timezone) else {
            throw ColumnarError.invalidArgument("timezone '\(timezone)': expected UTC, an IANA name such as Europe/Paris, or an offset such as +02:00")
        }
        self.timezone = zone
    }

    /// `UTC`, an IANA identifier or `±hh:mm`; nil when unknown.
    public static func zone(_ text: String) -> TimeZone? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.uppercased() == "UTC" || t.uppercased() == "Z" || t.isEmpty { return TimeZone(secondsFromGMT: 0) }
        if let first = t.first, first == "+" || first == "-" {
            let digits = t.dropFirst().replacingOccurrences(of: ":", with: "")
            guard digits.count == 4, let v = Int(digits) else { return nil }
            let seconds = (v / 100 * 3600 + v % 100 * 60) * (first == "+" ? 1 : -1)
            return TimeZone(secondsFromGMT: seconds)
        }
        return TimeZone(identifier: t)
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Microseconds since the epoch, or nil when `text` does not match the format.
    public func parse(_ text: String) -> Int64? {
        let s = Array(text.trimmingCharacters(in: .whitespaces))
        var i = 0
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0, dayOfYear: Int?
        var pm: Bool?, offset: Int?
        func number(_ maxDigits: Int) -> Int? {
            var v = 0, n = 0
            while n < maxDigits, i < s.count, let d = s[i].wholeNumberValue, s[i].isASCII { v = v * 10 + d; n += 1; i += 1 }
            return n == 0 ? nil : v
        }
        for piece in pieces {
            switch piece {
            case let .literal(c):
                if c == " " { while i < s.count, s[i] == " " { i += 1 }; continue }
                guard i < s.count, s[i] == c else { return nil }
                i += 1
            case let .field(f):
                switch f {
                case "Y": guard let v = number(4) else { return nil }; year = v
                case "y": guard let v = number(2) else { return nil }; year = v < 69 ? 2000 + v : 1900 + v
                case "m": guard let v = number(2), (1...12).contains(v) else { return nil }; month = v
                case "d", "e":
                    while f == "e", i < s.count, s[i] == " " { i += 1 }
                    guard let v = number(2), v >= 1 else { return nil }; day = v
                case "H": guard let v = number(2), v <= 23 else { return nil }; hour = v
                case "I": guard let v = number(2), (1...12).contains(v) else { return nil }; hour = v
                case "M": guard let v = number(2), v <= 59 else { return nil }; minute = v
                case "S": guard let v = number(2), v <= 61 else { return nil }; second = min(v, 59)
                case "j": guard let v = number(3), (1...366).contains(v) else { return nil }; dayOfYear = v
                case "f":
                    let start = i
                    guard let v = number(6) else { return nil }
                    var scaled = v
                    for _ in (i - start)..<6 { scaled *= 10 }
                    micros = scaled
                case "p":
                    guard i + 1 < s.count else { return nil }
                    let word = String(s[i...i + 1]).uppercased()
                    guard word == "AM" || word == "PM" else { return nil }
                    pm = word == "PM"; i += 2
                case "b", "B":
                    var letters = ""
                    while i < s.count, s[i].isLetter { letters.append(s[i]); i += 1 }
                    guard letters.count >= 3, let m = TimestampFormat.months.firstIndex(of: String(letters.lowercased().prefix(3))) else { return nil }
                    month = m + 1
                case "z":
                    guard i < s.count else { return nil }
                    if s[i] == "Z" { offset = 0; i += 1; break }
                    guard s[i] == "+" || s[i] == "-" else { return nil }
                    let sign = s[i] == "+" ? 1 : -1
                    i += 1
                    guard let hh = number(2) else { return nil }
                    if i < s.count, s[i] == ":" { i += 1 }
                    let mm = number(2) ?? 0
                    offset = sign * (hh * 3600 + mm * 60)
                default: return nil
                }
            }
        }
        guard i == s.count else { return nil }
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        if let dayOfYear {
            let days = CivilTime.days(year: year, month: 1, day: 1) + dayOfYear - 1
            return TimestampFormat.combine(days: days, hour, minute, second, micros, offset: offset, zone: timezone)
        }
        guard day <= CivilTime.daysInMonth(year: year, month: month) else { return nil }
        return TimestampFormat.combine(days: CivilTime.days(year: year, month: month, day: day), hour, minute, second, micros, offset: offset, zone: timezone)
    }

    /// A wall-clock time in `zone` (or at a fixed `offset`) as UTC microseconds; for zones
    /// with daylight saving the offset in force at that instant is used.
    static func combine(days: Int, _ h: Int, _ m: Int, _ s: Int, _ micros: Int, offset: Int?, zone: TimeZone) -> Int64 {
        let local = Int64(days) * 86400 + Int64(h * 3600 + m * 60 + s)
        var shift = offset ?? 0
        if offset == nil {
            shift = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
            shift = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(shift))))
        }
        return (local - Int64(shift)) * 1_000_000 + Int64(micros)
    }

    /// Reads an ISO 8601 value (`CivilTime.parseTimestamp`, or a date alone) and interprets a
    /// value without an offset in `zone`. nil when it is not ISO 8601.
    public static func parseISO(_ text: String, zone: TimeZone) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let utc: Int64
        if let v = CivilTime.parseTimestamp(t) { utc = v } else if let d = CivilTime.parseDate(t) { utc = Int64(d) * 86_400_000_000 } else { return nil }
        if zone.secondsFromGMT() == 0 && zone.nextDaylightSavingTimeTransition == nil { return utc }
        let c = Array(t)
        let hasZone = t.hasSuffix("Z") || (c.count > 6 && (c[c.count - 6] == "+" || c[c.count - 6] == "-") && c[c.count - 3] == ":")
        if hasZone { return utc }
        let micros = ((utc % 1_000_000) + 1_000_000) % 1_000_000, seconds = (utc - micros) / 1_000_000
        let days = Int((seconds - ((seconds % 86400) + 86400) % 86400) / 86400), rest = Int(((seconds % 86400) + 86400) % 86400)
        return combine(days: days, rest / 3600, rest % 3600 / 60, rest % 60, Int(micros), offset: nil, zone: zone)
    }
}
