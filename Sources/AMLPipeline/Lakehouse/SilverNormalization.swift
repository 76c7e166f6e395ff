// Normalised forms of names and addresses, written beside the originals in silver so entity
// resolution compares like with like ("ACME TRADING LTD." and "Acme Trading Limited").

/// Text normalisation for matching. Pure functions of their input; O(length).
public enum SilverNormalization {
    /// A person or organisation name: case folded, punctuation dropped, whitespace collapsed,
    /// "Last, First" turned into "first last", abbreviations expanded ("ltd" → "limited").
    public static func name(_ text: String) -> String {
        var t = text
        // The byte test skips the Character scan for the names without a comma (most).
        if t.utf8.contains(UInt8(ascii: ",")), let comma = t.firstIndex(of: ","), t.filter({ $0 == "," }).count == 1 {
            let last = String(t[..<comma]).trimmingSpaces(), first = String(t[t.index(after: comma)...]).trimmingSpaces()
            if !last.isEmpty, !first.isEmpty, !last.contains(" ") { t = "\(first) \(last)" }
        }
        return words(t).map { nameExpansions[$0] ?? $0 }.joined(separator: " ")
    }

    /// A name's words in sorted order ("tanaka ines" and "Ines Tanaka" both give "ines tanaka"):
    /// the matching key for reported names, whose words banks reorder. Built on `name`.
    public static func nameTokens(_ text: String) -> String { sortedWords(name(text)) }

    /// The space-separated words of already normalised text, sorted. O(w log w).
    public static func sortedWords(_ normalized: String) -> String {
        normalized.split(separator: " ").sorted().joined(separator: " ")
    }

    /// An organisation name without its legal form ("acme trading" for "Acme Trading Ltd"),
    /// the key on which organisation records are usually blocked.
    public static func organisationCore(_ text: String) -> String {
        var w = words(text).map { nameExpansions[$0] ?? $0 }
        while let last = w.last, legalForms.contains(last), w.count > 1 { w.removeLast() }
        return w.joined(separator: " ")
    }

    /// An address: the same key the address flags use (see `AddressFlags.normalize`).
    public static func address(_ text: String) -> String { AddressFlags.normalize(text) }

    static func words(_ text: String) -> [String] {
        if let ascii = ASCIIWords.split(text, dropped: (UInt8(ascii: "'"), UInt8(ascii: "."))) { return ascii }
        var cleaned = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { cleaned.append(ch) } else if ch != "'" && ch != "." { cleaned.append(" ") }
        }
        return cleaned.split(separator: " ").map(String.init)
    }

    static let nameExpansions: [String: String] = [
        "ltd": "limited", "co": "company", "inc": "incorporated", "corp": "corporation", "intl": "international",
        "grp": "group", "mgmt": "management", "svcs": "services", "bros": "brothers", "&": "and",
    ]

    static let legalForms: Set<String> = ["limited", "company", "incorporated", "corporation", "llc", "plc", "group", "holdings", "gmbh", "sa", "ag"]
}
