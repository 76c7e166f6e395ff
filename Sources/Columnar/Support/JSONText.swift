/// JSON string literals (RFC 8259 §7): the one escaper every JSON writer in the package uses.
///
/// `"` and `\` are backslash-escaped, newline, carriage return and tab get their short
/// escapes, other control characters below U+0020 become `\u00XX`; everything else,
/// including non-ASCII, is written as UTF-8 unchanged (as Python's `json.dumps(...,
/// ensure_ascii=False)` writes it).
///
/// - Complexity: O(bytes of the string).
public enum JSONText {
    /// `s` as a quoted JSON string literal.
    public static func quoted(_ s: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 2)
        appendQuoted(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `s` as a quoted JSON string literal to `out`.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out += quoted(s)
    }

    /// Appends `s` as a quoted JSON string literal (UTF-8 bytes) to `out`.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
