// Small helpers for writing self-contained HTML and SVG by hand: escaping and number format.

enum HTML {
    /// Escapes text for element content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// 1234567.8 → "1,234,568"; small values keep two decimals.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if abs(x) < 100 && x != x.rounded() { return String(format2(x)) }
        let n = Int64(x.rounded())
        let digits = String(abs(n))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return (n < 0 ? "-" : "") + grouped
    }

    static func format2(_ x: Double) -> String {
        let scaled = Int64((x * 100).rounded())
        let whole = scaled / 100, frac = abs(scaled % 100)
        return "\(scaled < 0 && whole == 0 ? "-" : "")\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// A coordinate with one decimal, for compact SVG.
    static func coord(_ x: Double) -> String { String(Double((x * 10).rounded()) / 10) }
}
