/// Levenshtein distance capped at `bound + 1`: `min(levenshteinDistance(a, b), bound + 1)`,
/// so every test `distance ≤ k` with k ≤ bound decides as the full distance would.
///
/// Ukkonen's band: an alignment of cost d never leaves the diagonals |i − j| ≤ d, so only
/// those 2·bound + 1 cells per row are filled, and the loop stops once a whole row exceeds
/// the bound. O(min(|a|, |b|) · bound) time, no allocation: `rows` is scratch space for at
/// least 2·(|b| + 1) values. Used by the scoring kernel for Splink's Levenshtein levels.
@inlinable
public func boundedLevenshteinDistance<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, bound: Int,
                                                              rows: UnsafeMutablePointer<Int32>) -> Int {
    // A common prefix or suffix never changes the distance; blocked pairs often share one.
    var a = a, b = b
    var p = 0
    while p < a.count && p < b.count && a[p] == b[p] { p += 1 }
    var q = 0
    while q < a.count - p && q < b.count - p && a[a.count - 1 - q] == b[b.count - 1 - q] { q += 1 }
    if p > 0 || q > 0 {
        a = UnsafeBufferPointer(rebasing: a[p..<(a.count - q)])
        b = UnsafeBufferPointer(rebasing: b[p..<(b.count - q)])
    }
    let n = a.count, m = b.count, cap = bound + 1
    if abs(n - m) > bound { return cap }
    if n == 0 { return min(m, cap) }
    if m == 0 { return min(n, cap) }
    let big = Int32(clamping: cap)
    var prev = rows, cur = rows + (m + 1)
    for j in 0...m { prev[j] = j <= bound ? Int32(j) : big }
    for i in 1...n {
        let lo = max(1, i - bound), hi = min(m, i + bound)
        // Cells just outside the band read as "more than the bound".
        cur[lo - 1] = lo == 1 ? Int32(min(i, cap)) : big
        if hi < m { cur[hi + 1] = big }
        let ai = a[i - 1]
        var rowMin = cur[lo - 1]
        var j = lo
        while j <= hi {
            let cost: Int32 = ai == b[j - 1] ? 0 : 1
            var d = prev[j - 1] + cost
            let up = prev[j] + 1, left = cur[j - 1] + 1
            if up < d { d = up }
            if left < d { d = left }
            if d > big { d = big }
            cur[j] = d
            if d < rowMin { rowMin = d }
            j += 1
        }
        if rowMin >= big { return cap }
        swap(&prev, &cur)
    }
    return min(Int(prev[m]), cap)
}
