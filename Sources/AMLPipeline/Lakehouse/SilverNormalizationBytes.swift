// The byte-level path of silver's normalised text columns: ASCII fields (most bank data) are
// split, expanded and joined straight from the column's bytes into the output bytes, with no
// String or word array per row. Non-ASCII fields return false and take `SilverNormalization`,
// which gives the same text for ASCII input (checked in SilverNormalizationTests).

/// Reusable buffers of one worker: the field's lower-cased word bytes and their ranges.
struct WordScratch {
    var text: [UInt8] = []
    var words: [Range<Int>] = []
    var order: [Int] = []
    var joined: [UInt8] = []
    init() {
        text.reserveCapacity(256)
        words.reserveCapacity(16)
        order.reserveCapacity(16)
        joined.reserveCapacity(256)
    }
}

enum SilverNormalizationBytes {
    @inline(__always) static func isASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in p where b >= 0x80 { return false }
        return true
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// `ASCIIWords.split` into `s` (lower-cased letters, digits and `kept` form words; the
    /// `dropped` bytes vanish; everything else separates). Returns the index of the first word
    /// after byte offset `mark` (the words before it end at or before `mark`).
    @inline(__always)
    static func split(_ p: UnsafeBufferPointer<UInt8>, kept: UInt8, dropsNameMarks: Bool, mark: Int, into s: inout WordScratch) -> Int {
        s.words.removeAll(keepingCapacity: true)
        // The words' bytes go to `text` through a pointer (no per-byte append); `text` only
        // grows, and only its first `n` bytes mean anything.
        var text: [UInt8] = []
        swap(&text, &s.text)
        if text.count < p.count { text = [UInt8](repeating: 0, count: max(p.count, 2 * text.count)) }
        var words = s.words
        s.words = []
        var n = 0
        var start = 0
        var afterMark = -1
        text.withUnsafeMutableBufferPointer { t in
            for i in 0..<p.count {
                if i == mark {
                    if n > start { words.append(start..<n); start = n }
                    afterMark = words.count
                }
                let byte = p[i]
                let c = byte >= 65 && byte <= 90 ? byte + 32 : byte
                if (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == kept {
                    t[n] = c
                    n += 1
                } else if dropsNameMarks && (c == 0x27 || c == 0x2E) {
                    continue
                } else if n > start {
                    words.append(start..<n)
                    start = n
                }
            }
        }
        if n > start { words.append(start..<n) }
        swap(&text, &s.text)
        s.words = words
        return afterMark < 0 ? s.words.count : afterMark
    }

    @inline(__always)
    static func equals(_ s: [UInt8], _ r: Range<Int>, _ key: StaticString) -> Bool {
        guard r.count == key.utf8CodeUnitCount else { return false }
        let k = key.utf8Start
        var i = 0
        for j in r { if s[j] != k[i] { return false }; i += 1 }
        return true
    }

    static let nameTable: [(StaticString, StaticString)] = [
        ("ltd", "limited"), ("co", "company"), ("inc", "incorporated"), ("corp", "corporation"), ("intl", "international"),
        ("grp", "group"), ("mgmt", "management"), ("svcs", "services"), ("bros", "brothers"),
    ]
    static let addressTable: [(StaticString, StaticString)] = [
        ("st", "street"), ("rd", "road"), ("ave", "avenue"), ("ln", "lane"), ("dr", "drive"), ("sq", "square"),
        ("pl", "place"), ("ct", "court"), ("cl", "close"), ("uk", "united kingdom"), ("usa", "united states"),
        ("us", "united states"), ("ctr", "center"), ("cntr", "centre"), ("ste", "suite"), ("bldg", "building"),
        ("co", "company"), ("ltd", "limited"), ("pobox", "po box"),
    ]

    /// Appends word `w` of `s`, expanded by `table`, to `out`.
    @inline(__always)
    static func appendExpanded(_ s: WordScratch, _ w: Int, _ table: [(StaticString, StaticString)], to out: inout [UInt8]) {
        let r = s.words[w]
        if r.count <= 5 {
            for (key, value) in table where equals(s.text, r, key) {
                out.append(contentsOf: UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
                return
            }
        }
        out.append(contentsOf: s.text[r])
    }

    /// `SilverNormalization.name` of ASCII bytes, appended to `out`; false (nothing written)
    /// when the field is not ASCII.
    static func name(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], _ s: inout WordScratch) -> Bool {
        guard isASCII(p) else { return false }
        var commas = 0, comma = -1
        for i in 0..<p.count where p[i] == 0x2C { commas += 1; if comma < 0 { comma = i } }
        let firstAfter = split(p, kept: 0xFF, dropsNameMarks: true, mark: commas == 1 ? comma : -1, into: &s)
        s.order.removeAll(keepingCapacity: true)
        var swapped = false
        if commas == 1 {
            // "Last, First" -> "First Last" when both sides have text and the last name is one word.
            var a = 0, b = comma
            while a < b, isSpace(p[a]) { a += 1 }
            while b > a, isSpace(p[b - 1]) { b -= 1 }
            var c = comma + 1, d = p.count
            while c < d, isSpace(p[c]) { c += 1 }
            while d > c, isSpace(p[d - 1]) { d -= 1 }
            var lastHasSpace = false
            for i in a..<b where p[i] == 0x20 { lastHasSpace = true; break }
            swapped = b > a && d > c && !lastHasSpace
        }
        if swapped {
            s.order.append(contentsOf: firstAfter..<s.words.count)
            s.order.append(contentsOf: 0..<firstAfter)
        } else {
            s.order.append(contentsOf: 0..<s.words.count)
        }
        for (k, w) in s.order.enumerated() {
            if k > 0 { out.append(0x20) }
            appendExpanded(s, w, nameTable, to: &out)
        }
        return true
    }

    /// `SilverNormalization.sortedWords` of ASCII bytes (words split on spaces, sorted
    /// byte-wise, which is String order for ASCII), appended to `out`; false when not ASCII.
    static func sortedWords(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], _ s: inout WordScratch) -> Bool {
        guard isASCII(p) else { return false }
        s.words.removeAll(keepingCapacity: true)
        var start = 0
        for i in 0...p.count where i == p.count || p[i] == 0x20 {
            if i > start { s.words.append(start..<i) }
            start = i + 1
        }
        s.words.sort { x, y in
            let n = min(x.count, y.count)
            for k in 0..<n where p[x.lowerBound + k] != p[y.lowerBound + k] { return p[x.lowerBound + k] < p[y.lowerBound + k] }
            return x.count < y.count
        }
        for (k, r) in s.words.enumerated() {
            if k > 0 { out.append(0x20) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[r]))
        }
        return true
    }

    /// `AddressFlags.normalize` of ASCII bytes, appended to `out`; false when not ASCII.
    static func address(_ p: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], _ s: inout WordScratch) -> Bool {
        guard isASCII(p) else { return false }
        _ = split(p, kept: 0x2F, dropsNameMarks: false, mark: -1, into: &s)
        s.joined.removeAll(keepingCapacity: true)
        for w in 0..<s.words.count {
            if w > 0 { s.joined.append(0x20) }
            appendExpanded(s, w, addressTable, to: &s.joined)
        }
        // Every "p o box" (left to right, not overlapping) becomes "po box"; the bytes between
        // matches are copied as runs.
        s.joined.withUnsafeBufferPointer { j in
            var i = 0, copied = 0
            while i + 7 <= j.count {
                if j[i] == 0x70, j[i + 1] == 0x20, j[i + 2] == 0x6F, j[i + 3] == 0x20, j[i + 4] == 0x62, j[i + 5] == 0x6F, j[i + 6] == 0x78 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: j[copied..<i]))
                    out.append(contentsOf: [0x70, 0x6F, 0x20, 0x62, 0x6F, 0x78])
                    i += 7
                    copied = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: j[copied..<j.count]))
        }
        return true
    }
}
