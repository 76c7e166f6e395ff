/// Jaro similarity in [0, 1]: matches are equal scalars within `max(|a|,|b|)/2 - 1` positions,
/// t is half the number of matched scalars out of order, and the score is
/// `(m/|a| + m/|b| + (m-t)/m) / 3`. Two empty strings score 1. O(|a|·window).
/// Follows the definition DuckDB's `jaro_similarity` uses (Splink's Jaro levels).
public func jaroSimilarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
    var flags = [Bool](repeating: false, count: a.count + b.count)
    return a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            flags.withUnsafeMutableBufferPointer { jaroSimilarity(pa, pb, flags: $0.baseAddress!) }
        }
    }
}

/// Jaro similarity on scalar (or byte) buffers, without allocating: `flags` is scratch space for at
/// least |a| + |b| values (overwritten). The scoring kernel's form of `jaroSimilarity(_:_:)`,
/// which calls it, so both give bit-identical results.
@inlinable
public func jaroSimilarity<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, flags: UnsafeMutablePointer<Bool>) -> Double {
    if a.isEmpty && b.isEmpty { return 1 }
    if a.isEmpty || b.isEmpty { return 0 }
    let aMatched = flags, bMatched = flags + a.count
    aMatched.initialize(repeating: false, count: a.count + b.count)
    let window = max(0, max(a.count, b.count) / 2 - 1)
    var m = 0
    for i in 0..<a.count {
        let lo = max(0, i - window), hi = min(b.count - 1, i + window)
        if lo > hi { continue }
        let ai = a[i]
        var j = lo
        while j <= hi {
            if !bMatched[j] && ai == b[j] { aMatched[i] = true; bMatched[j] = true; m += 1; break }
            j += 1
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

/// Jaro similarity for ASCII scalars and strings of at most 64: the same matches, found with
/// one bit mask of positions per character of `b` instead of a scan of the window, so each
/// scalar of `a` costs O(1). nil when the inputs are outside that range (use the general
/// form). `table` is scratch for 128 masks, all zero on entry and on return.
/// Gives bit-identical results to `jaroSimilarity(_:_:flags:)`: a match is the first
/// unmatched equal scalar of `b` in the window either way.
@inlinable
public func jaroSimilarityASCII64<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>,
                                                       table: UnsafeMutablePointer<UInt64>) -> Double? {
    guard a.count <= 64, b.count <= 64 else { return nil }
    if a.isEmpty && b.isEmpty { return 1 }
    if a.isEmpty || b.isEmpty { return 0 }
    for x in a where x >= 128 { return nil }
    for x in b where x >= 128 { return nil }
    // Lengths are at most 64 and every index below stays inside them, so the kernel uses
    // wrapping arithmetic and masking shifts: no overflow trap can fire, and without the
    // checks this loop runs as fast as it did under -Ounchecked.
    for j in 0..<b.count { table[Int(b[j])] |= UInt64(1) &<< UInt64(j) }
    defer { for x in b { table[Int(x)] = 0 } }
    let window = max(0, max(a.count, b.count) / 2 &- 1)
    var aMatched: UInt64 = 0, bMatched: UInt64 = 0, m = 0
    let lastB = b.count &- 1
    for i in 0..<a.count {
        let lo = max(0, i &- window), hi = min(lastB, i &+ window)
        if lo > hi { continue }
        let width: Int = hi &- lo &+ 1
        var span: UInt64 = ~0
        if width < 64 { span = (UInt64(1) &<< UInt64(width)) &- 1 }
        span = span &<< UInt64(lo)
        let candidates = table[Int(a[i])] & ~bMatched & span
        if candidates != 0 {
            let bBit: Int = candidates.trailingZeroBitCount
            bMatched |= UInt64(1) &<< UInt64(bBit)
            aMatched |= UInt64(1) &<< UInt64(i)
            m &+= 1
        }
    }
    if m == 0 { return 0 }
    var transpositions = 0
    while aMatched != 0 {
        if a[aMatched.trailingZeroBitCount] != b[bMatched.trailingZeroBitCount] { transpositions &+= 1 }
        aMatched &= aMatched &- 1
        bMatched &= bMatched &- 1
    }
    let md = Double(m)
    return (md / Double(a.count) + md / Double(b.count) + (md - Double(transpositions / 2)) / md) / 3
}

/// Jaro-Winkler similarity with Splink's (DuckDB's) defaults: prefix scale 0.1, common prefix
/// capped at 4 scalars, boost applied only when the Jaro score exceeds 0.7.
public func jaroWinklerSimilarity(_ a: [UInt32], _ b: [UInt32], prefixScale: Double = 0.1, boostThreshold: Double = 0.7) -> Double {
    winklerBoost(jaroSimilarity(a, b), a, b, prefixScale: prefixScale, boostThreshold: boostThreshold)
}

/// The Winkler step of Jaro-Winkler: `j + l·scale·(1 − j)` for the common prefix length l
/// (at most 4) when `j` exceeds `boostThreshold`, else `j`. O(1).
@inlinable
public func winklerBoost<C: RandomAccessCollection>(_ j: Double, _ a: C, _ b: C, prefixScale: Double = 0.1, boostThreshold: Double = 0.7) -> Double
where C.Element: Equatable, C.Index == Int {
    if j <= boostThreshold { return j }
    var l = 0
    while l < 4, l < a.count, l < b.count, a[a.startIndex + l] == b[b.startIndex + l] { l += 1 }
    return j + Double(l) * prefixScale * (1 - j)
}

/// Jaro similarity of two strings, on NFC scalars.
public func jaroSimilarity(_ a: String, _ b: String) -> Double { jaroSimilarity(Scalars.of(a), Scalars.of(b)) }
/// Jaro-Winkler similarity of two strings, on NFC scalars.
public func jaroWinklerSimilarity(_ a: String, _ b: String) -> Double { jaroWinklerSimilarity(Scalars.of(a), Scalars.of(b)) }
