/// Order statistics by quickselect (expected O(n)), as numpy's `partition`-based median.
public enum OrderStatistics {
    /// Rearranges `a` so that `a[k]` is the k-th smallest (0-based), smaller or equal elements
    /// before it and greater or equal after it; returns `a[k]`. NaNs must not be present.
    @discardableResult
    public static func select(_ a: inout [Double], _ k: Int) -> Double {
        precondition(k >= 0 && k < a.count, "select: k \(k) out of range 0..<\(a.count)")
        var lo = 0, hi = a.count - 1
        while lo < hi {
            // Median of three as the pivot; Hoare partition.
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return a[k]
    }

    /// The median (mean of the two middle values for even counts, as numpy); 0 when empty.
    public static func median(_ values: [Double]) -> Double {
        if values.isEmpty { return 0 }
        var a = values
        let n = a.count
        let upper = select(&a, n / 2)
        if n % 2 == 1 { return upper }
        // After selection every element before n/2 is ≤ upper: the lower middle is their maximum.
        var lower = -Double.infinity
        for i in 0..<(n / 2) where a[i] > lower { lower = a[i] }
        return (lower + upper) / 2
    }
}
