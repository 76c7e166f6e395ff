// Noisy copies of names and addresses, as a transaction's reported originator fields come out
// of a bank's systems: typing errors, abbreviations, reordered words and changed case.

/// Makes the perturbed copies the generator writes into `rptd_originator_name`,
/// `rptd_originator_address` and the organisation dedupe records.
public enum NoisyText {
    /// A copy of `text` with between zero and two perturbations: a typo (swap, drop, repeat or
    /// replace one letter), an abbreviation or its expansion, reordered comma-free words, or
    /// upper case. About half of the copies are exact. O(length).
    public static func perturb(_ text: String, isName: Bool, rng: inout SeededRandom) -> String {
        var out = text
        if rng.chance(0.5) { return out }
        let edits = rng.chance(0.7) ? 1 : 2
        for _ in 0..<edits {
            switch rng.below(4) {
            case 0: out = typo(out, rng: &rng)
            case 1: out = abbreviate(out, rng: &rng)
            case 2: out = isName ? reorderName(out) : dropLastPart(out)
            default: out = rng.chance(0.5) ? out.uppercased() : typo(out, rng: &rng)
            }
        }
        return out
    }

    /// One keyboard-style error at a letter position.
    static func typo(_ text: String, rng: inout SeededRandom) -> String {
        var chars = Array(text)
        let letters = chars.indices.filter { chars[$0].isLetter }
        guard letters.count > 2 else { return text }
        let i = letters[rng.below(letters.count - 1)]
        switch rng.below(4) {
        case 0:
            if i + 1 < chars.count { chars.swapAt(i, i + 1) }
        case 1: chars.remove(at: i)
        case 2: chars.insert(chars[i], at: i)
        default:
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
            let c = alphabet[rng.below(alphabet.count)]
            chars[i] = chars[i].isUppercase ? Character(c.uppercased()) : c
        }
        return String(chars)
    }

    /// Replaces one known long form by its short form ("Street" by "St").
    static func abbreviate(_ text: String, rng: inout SeededRandom) -> String {
        let bytes = Array(text.utf8)
        let candidates = abbreviationBytes.compactMap { pair in byteRange(of: pair.long, in: bytes).map { ($0, pair.short) } }
        guard !candidates.isEmpty else { return text }
        let (range, short) = rng.pick(candidates)
        return String(decoding: bytes[..<range.lowerBound] + short + bytes[range.upperBound...], as: UTF8.self)
    }

    private static let abbreviationBytes = Vocabulary.abbreviations.map { (long: Array($0.0.utf8), short: Array($0.1.utf8)) }

    /// First occurrence of `needle` in `hay` (byte comparison; the word lists are ASCII).
    /// Pure Swift rather than Foundation's locale-aware search, which dominated the profile.
    static func byteRange(of needle: [UInt8], in hay: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        outer: for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
            for k in 1..<needle.count where hay[start + k] != needle[k] { continue outer }
            return start..<(start + needle.count)
        }
        return nil
    }

    /// "First Last" becomes "Last, First" or "Last First".
    static func reorderName(_ text: String) -> String {
        let words = text.split(separator: " ")
        guard words.count >= 2 else { return text }
        let last = words[words.count - 1]
        let rest = words.dropLast().joined(separator: " ")
        return text.count % 2 == 0 ? "\(last), \(rest)" : "\(last) \(rest)"
    }

    /// Drops the trailing comma-separated part (usually the country).
    static func dropLastPart(_ text: String) -> String {
        guard let comma = text.lastIndex(of: ",") else { return text }
        return String(text[..<comma])
    }
}
