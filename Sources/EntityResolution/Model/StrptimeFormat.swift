import Columnar

/// DuckDB's `strptime(text, format)` for the specifiers date templates use: `%Y` (year,
/// 1–4 digits), `%y` (two digits: 00–68 → 2000s, 69–99 → 1900s, as C's), `%m`, `%d`, `%H`,
/// `%M`, `%S` (1–2 digits), `%f` (1–6 digits of fraction, microseconds), `%%`, and literal
/// characters (a space in the format matches any run of spaces). Leading spaces in the text
/// are skipped; trailing text, a value out of range or an impossible date (1990-02-30) is
/// no match. The result is microseconds since 1970-01-01 (a timestamp), UTC.
///
/// - Complexity: O(|text| + |format|).
public enum StrptimeFormat {
    public enum Failure: Error {
        /// The text does not have the format (`try_strptime` gives null).
        case noMatch
        /// The format uses a specifier outside the supported set.
        case unsupported(String)

        func message(_ text: String, _ format: String) -> String {
            switch self {
            case .noMatch: return "could not parse '\(text)' with format '\(format)'"
            case let .unsupported(spec): return "strptime format '\(format)': unsupported specifier \(spec) (supported: %Y %y %m %d %H %M %S %f %%)"
            }
        }
    }

    public static func parse(_ text: String, format: String) -> Result<Int64, Failure> {
        let t = Array(text.utf8), f = Array(format.utf8)
        var i = 0, k = 0
        while i < t.count, t[i] == 32 { i += 1 }
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0
        func number(_ maxDigits: Int) -> Int? {
            var v = 0, n = 0
            while n < maxDigits, i < t.count, t[i] >= 48, t[i] <= 57 { v = v * 10 + Int(t[i] - 48); i += 1; n += 1 }
            return n == 0 ? nil : v
        }
        while k < f.count {
            let c = f[k]
            if c == 37, k + 1 < f.count {  // %
                let spec = f[k + 1]
                k += 2
                switch spec {
                case UInt8(ascii: "Y"): guard let v = number(4) else { return .failure(.noMatch) }; year = v
                case UInt8(ascii: "y"): guard let v = number(2) else { return .failure(.noMatch) }; year = v < 69 ? 2000 + v : 1900 + v
                case UInt8(ascii: "m"): guard let v = number(2) else { return .failure(.noMatch) }; month = v
                case UInt8(ascii: "d"): guard let v = number(2) else { return .failure(.noMatch) }; day = v
                case UInt8(ascii: "H"): guard let v = number(2) else { return .failure(.noMatch) }; hour = v
                case UInt8(ascii: "M"): guard let v = number(2) else { return .failure(.noMatch) }; minute = v
                case UInt8(ascii: "S"): guard let v = number(2) else { return .failure(.noMatch) }; second = v
                case UInt8(ascii: "f"):
                    let start = i
                    guard var v = number(6) else { return .failure(.noMatch) }
                    for _ in (i - start)..<6 { v *= 10 }
                    micros = v
                case UInt8(ascii: "%"):
                    guard i < t.count, t[i] == 37 else { return .failure(.noMatch) }
                    i += 1
                default:
                    return .failure(.unsupported("%" + String(decoding: [spec], as: UTF8.self)))
                }
            } else if c == 32 {
                k += 1
                while i < t.count, t[i] == 32 { i += 1 }
            } else {
                guard i < t.count, t[i] == c else { return .failure(.noMatch) }
                i += 1; k += 1
            }
        }
        while i < t.count, t[i] == 32 { i += 1 }
        guard i == t.count, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              hour < 24, minute < 60, second < 60 else { return .failure(.noMatch) }
        let days = Int64(CivilTime.days(year: year, month: month, day: day))
        return .success(((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000_000 + Int64(second) * 1_000_000 + Int64(micros))
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
