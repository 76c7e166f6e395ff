/// One token of the expression language.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case integer(Int64)
        case decimal(Double)
        /// A duration literal (`30d`, `12h`, `15m`, `10s`, `250ms`) in microseconds.
        case duration(Int64)
        case string(String)
        /// A name; `quoted` for backtick-quoted names, which are never keywords.
        case identifier(String, quoted: Bool)
        /// Punctuation and operators: `( ) , . + - * / % = == != <> < <= > >= ||`.
        case symbol(String)
        case end
    }

    let kind: Kind
    /// 0-based offset in Unicode scalars.
    let offset: Int

    /// True for an unquoted identifier equal to `keyword`, ignoring case.
    func isKeyword(_ keyword: String) -> Bool {
        if case let .identifier(name, false) = kind { return name.lowercased() == keyword }
        return false
    }

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case let .integer(v): return "'\(v)'"
        case let .decimal(v): return "'\(v)'"
        case .duration: return "duration literal"
        case let .string(s): return "string '\(s)'"
        case let .identifier(n, quoted): return quoted ? "`\(n)`" : "'\(n)'"
        case let .symbol(s): return "'\(s)'"
        case .end: return "end of expression"
        }
    }
}

/// Splits expression text into tokens. O(length).
///
/// Numbers: `12` is an integer, `1.5`, `.5` and `1e3` are decimals (doubles). A number
/// immediately followed by a unit (`d`, `h`, `m`, `s`, `ms`, `us`) is a duration in
/// microseconds, so `e2.ts - e1.ts <= 30d` compares timestamps. Strings use single quotes
/// with `''` for a quote (SQL). Names are `[A-Za-z_][A-Za-z0-9_]*` or backtick-quoted
/// (with a doubled backtick for a backtick).
enum ExpressionLexer {
    static let durationUnits: [String: Int64] = [
        "us": 1, "ms": 1_000, "s": 1_000_000, "m": 60_000_000, "h": 3_600_000_000, "d": 86_400_000_000, "w": 604_800_000_000,
    ]

    static func tokenize(_ source: String) throws -> [ExpressionToken] {
        let s = Array(source.unicodeScalars)
        var tokens: [ExpressionToken] = []
        var i = 0
        func error(_ message: String, _ at: Int) -> ExpressionError { ExpressionError(.syntax, message, source: source, offset: at) }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        func isNameStart(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" }
        func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || isDigit(c) }

        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            if isDigit(c) || (c == "." && i + 1 < s.count && isDigit(s[i + 1])) {
                var isDecimal = false
                while i < s.count, isDigit(s[i]) { i += 1 }
                if i < s.count, s[i] == ".", i + 1 < s.count, isDigit(s[i + 1]) {
                    isDecimal = true
                    i += 1
                    while i < s.count, isDigit(s[i]) { i += 1 }
                }
                if i < s.count, s[i] == "e" || s[i] == "E" {
                    var j = i + 1
                    if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
                    if j < s.count, isDigit(s[j]) {
                        isDecimal = true
                        i = j
                        while i < s.count, isDigit(s[i]) { i += 1 }
                    }
                }
                let text = String(String.UnicodeScalarView(s[start..<i]))
                if i < s.count, isNameStart(s[i]) {
                    var j = i
                    while j < s.count, isNameChar(s[j]) { j += 1 }
                    let unit = String(String.UnicodeScalarView(s[i..<j])).lowercased()
                    guard !isDecimal, let scale = durationUnits[unit], let count = Int64(text) else {
                        throw error("expected a duration unit (us, ms, s, m, h, d, w) after the integer '\(text)'", i)
                    }
                    let (micros, overflow) = count.multipliedReportingOverflow(by: scale)
                    guard !overflow else { throw error("duration '\(text)\(unit)' is too large", start) }
                    tokens.append(ExpressionToken(kind: .duration(micros), offset: start))
                    i = j
                    continue
                }
                if isDecimal {
                    guard let v = Double(text) else { throw error("malformed number '\(text)'", start) }
                    tokens.append(ExpressionToken(kind: .decimal(v), offset: start))
                } else {
                    guard let v = Int64(text) else { throw error("integer '\(text)' does not fit in 64 bits", start) }
                    tokens.append(ExpressionToken(kind: .integer(v), offset: start))
                }
                continue
            }
            if isNameStart(c) {
                while i < s.count, isNameChar(s[i]) { i += 1 }
                tokens.append(ExpressionToken(kind: .identifier(String(String.UnicodeScalarView(s[start..<i])), quoted: false), offset: start))
                continue
            }
            if c == "'" || c == "`" {
                var text = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < s.count {
                    if s[i] == c {
                        if i + 1 < s.count, s[i + 1] == c { text.append(c); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    text.append(s[i])
                    i += 1
                }
                guard closed else {
                    throw error(c == "'" ? "expected a closing quote (') for the string started here" : "expected a closing backtick for the name started here", start)
                }
                if c == "`" {
                    guard !text.isEmpty else { throw error("expected a name between the backticks", start) }
                    tokens.append(ExpressionToken(kind: .identifier(String(text), quoted: true), offset: start))
                } else {
                    tokens.append(ExpressionToken(kind: .string(String(text)), offset: start))
                }
                continue
            }
            let two = i + 1 < s.count ? String(String.UnicodeScalarView([c, s[i + 1]])) : ""
            if ["==", "!=", "<>", "<=", ">=", "||"].contains(two) {
                tokens.append(ExpressionToken(kind: .symbol(two), offset: start))
                i += 2
                continue
            }
            if "()+-*/%=<>,.".unicodeScalars.contains(c) {
                tokens.append(ExpressionToken(kind: .symbol(String(c)), offset: start))
                i += 1
                continue
            }
            throw error("unexpected character '\(c)' (expected a value, a name or an operator)", start)
        }
        tokens.append(ExpressionToken(kind: .end, offset: s.count))
        return tokens
    }
}
