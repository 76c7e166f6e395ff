// Error messages quote values read from files; a raw ESC or carriage return in one could
// rewrite the user's terminal or hide the rest of the message.

extension String {
    /// The text with C0 control characters (except newline and tab), DEL and C1 controls
    /// shown as `\u{XX}`, so that quoting untrusted file content in a message is safe for a
    /// terminal or log. O(length).
    public var escapingControlCharacters: String {
        func isControl(_ v: UInt32) -> Bool { (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v) }
        guard unicodeScalars.contains(where: { isControl($0.value) }) else { return self }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            if isControl(s.value) {
                out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
