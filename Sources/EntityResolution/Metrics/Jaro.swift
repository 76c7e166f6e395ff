/// Jaro similarity in [0, 1]: matches are equal scalars within `max(|a|,|b|)/2 - 1` positions,
/// t is half the number of matched scalars out of order, and the score is
/// `(m/|a| + m/|b| + (m-t)/m) / 3`. Two empty strings score 1. O(|a|·window).
/// Follows the definition DuckDB's `jaro_similarity` uses (Splink's Jaro levels).
public func jaroSimilarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
    if a.isEmpty && b.isEmpty { return 1 }
    if a.isEmpty || b.isEmpty { return 0 }
    let window = max(0, max(a.count, b.count) / 2 - 1)
    var aMatched = [Bool](repeating: false, count: a.count)
    var bMatched = [Bool](repeating: false, count: b.count)
    var m = 0
    for i in 0..<a.count {
        let lo = max(0, i - window), hi = min(b.count - 1, i + window)
        if lo > hi { continue }
        for j in lo...hi where !bMatched[j] && a[i] == b[j] {
            aMatched[i] = true; bMatched[j] = true; m += 1
            break
        }
    }
    if m == 0 { return 0 }
    var k = 0, transpositions = 0
    for i in 0..<a.count where aMatched[i] {
        while !bMatched[k] { k += 1 }
        if a[i] != b[k] { transpositions += 1 }
        k += 1
    }
    let md = Double(m)
    return (md / Double(a.count) + md / Double(b.count) + (md - Double(transpositions / 2)) / md) / 3
}

/// Jaro-Winkler similarity with Splink's (DuckDB's) defaults: prefix scale 0.1, common prefix
/// capped at 4 scalars, boost applied only when the Jaro score exceeds 0.7.
public func jaroWinklerSimilarity(_ a: [UInt32], _ b: [UInt32], prefixScale: Double = 0.1, boostThreshold: Double = 0.7) -> Double {
    let j = jaroSimilarity(a, b)
    if j <= boostThreshold { return j }
    var l = 0
    while l < 4, l < a.count, l < b.count, a[l] == b[l] { l += 1 }
    return j + Double(l) * prefixScale * (1 - j)
}

/// Jaro similarity of two strings, on NFC scalars.
public func jaroSimilarity(_ a: String, _ b: String) -> Double { jaroSimilarity(Scalars.of(a), Scalars.of(b)) }
/// Jaro-Winkler similarity of two strings, on NFC scalars.
public func jaroWinklerSimilarity(_ a: String, _ b: String) -> Double { jaroWinklerSimilarity(Scalars.of(a), Scalars.of(b)) }
