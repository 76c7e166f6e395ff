/// Jaccard similarity |A∩B| / |A∪B| of the sets of character q-grams of two scalar
/// sequences. q = 1 is the set of characters, which is what DuckDB's `jaccard` (Splink's
/// Jaccard level) computes. Strings shorter than q contribute themselves as one gram.
/// Two empty sets score 1. O(|a| + |b|) expected.
public func jaccardSimilarity(_ a: [UInt32], _ b: [UInt32], q: Int = 1) -> Double {
    let ga = qgrams(a, q), gb = qgrams(b, q)
    if ga.isEmpty && gb.isEmpty { return 1 }
    let inter = ga.intersection(gb).count
    return Double(inter) / Double(ga.count + gb.count - inter)
}

/// Jaccard similarity of the sets of whitespace-separated tokens.
public func tokenJaccardSimilarity(_ a: String, _ b: String) -> Double {
    let ta = Set(a.split(whereSeparator: { $0.isWhitespace }).map { Scalars.of(String($0)) })
    let tb = Set(b.split(whereSeparator: { $0.isWhitespace }).map { Scalars.of(String($0)) })
    if ta.isEmpty && tb.isEmpty { return 1 }
    let inter = ta.intersection(tb).count
    return Double(inter) / Double(ta.count + tb.count - inter)
}

/// Jaccard similarity of q-gram sets of two strings, on NFC scalars.
public func jaccardSimilarity(_ a: String, _ b: String, q: Int = 1) -> Double { jaccardSimilarity(Scalars.of(a), Scalars.of(b), q: q) }

/// The set of q-grams (as scalar arrays) of `s`.
public func qgrams(_ s: [UInt32], _ q: Int) -> Set<[UInt32]> {
    if s.isEmpty { return [] }
    if s.count <= q { return [s] }
    var out = Set<[UInt32]>()
    for i in 0...(s.count - q) { out.insert(Array(s[i..<(i + q)])) }
    return out
}
