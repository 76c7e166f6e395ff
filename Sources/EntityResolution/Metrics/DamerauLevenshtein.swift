/// Damerau-Levenshtein distance in its optimal-string-alignment form: Levenshtein plus the
/// transposition of two adjacent scalars at cost 1, no substring edited twice.
/// O(|a|·|b|) time, three rows of memory.
public func damerauLevenshteinDistance(_ a: [UInt32], _ b: [UInt32]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    let n = b.count
    var prev2 = [Int](repeating: 0, count: n + 1)
    var prev = Array(0...n)
    var cur = [Int](repeating: 0, count: n + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...n {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, prev2[j - 2] + 1) }
            cur[j] = d
        }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[n]
}

/// Optimal-string-alignment distance of two strings, on NFC scalars.
public func damerauLevenshteinDistance(_ a: String, _ b: String) -> Int { damerauLevenshteinDistance(Scalars.of(a), Scalars.of(b)) }
