// The byte-level fast path of the name and address normalisers: most bank data is ASCII, and
// walking its UTF-8 bytes avoids building a Character (a grapheme cluster) per letter.

/// Lower-cased words of ASCII text. O(length).
enum ASCIIWords {
    /// Letters and digits (and `kept`) form words, lower-cased; bytes in `dropped` vanish
    /// without splitting ("p.o." → "po"); every other byte separates words. Returns nil when
    /// the text is not ASCII, so callers take their Unicode path, which gives the same words
    /// for ASCII input.
    static func split(_ text: String, kept: UInt8? = nil, dropped: (UInt8, UInt8)? = nil) -> [String]? {
        var words: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(24)
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            let c = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == kept {
                current.append(c)
            } else if let dropped, c == dropped.0 || c == dropped.1 {
                continue
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// True when the UTF-8 bytes of `needle` occur in those of `text`. O(|text| · |needle|).
    static func contains(_ text: String, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first else { return true }
        let t = Array(text.utf8)
        guard t.count >= n.count else { return false }
        var i = 0
        while i <= t.count - n.count {
            if t[i] == first {
                var k = 1
                while k < n.count && t[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
