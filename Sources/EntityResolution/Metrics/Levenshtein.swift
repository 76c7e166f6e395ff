/// Levenshtein edit distance (insert, delete, substitute, each cost 1) between two scalar
/// sequences. Two-row dynamic programme: O(|a|·|b|) time, O(|b|) memory. Matches DuckDB's
/// `levenshtein` (which Splink calls) on ASCII text.
public func levenshteinDistance(_ a: [UInt32], _ b: [UInt32]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        let ai = a[i - 1]
        for j in 1...b.count {
            let cost = ai == b[j - 1] ? 0 : 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// Levenshtein distance of two strings, on NFC scalars.
public func levenshteinDistance(_ a: String, _ b: String) -> Int { levenshteinDistance(Scalars.of(a), Scalars.of(b)) }
