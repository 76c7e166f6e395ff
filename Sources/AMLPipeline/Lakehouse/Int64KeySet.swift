// The integer keys silver has seen, for the duplicate-key check: a flat open-addressing table
// (linear probing, Fibonacci hashing), a few times faster than `Set<Int64>` on the 10M keys of
// a bank's day, with the same memory (at most 3/4 full, 8 bytes a slot).

/// A set of `Int64` keys that only grows. Membership is exact; iteration order is unspecified.
struct Int64KeySet {
    /// `Int64.min` marks an empty slot; the key `Int64.min` itself is kept aside.
    private static let empty = Int64.min
    private var slots: [Int64]
    private var shift: Int
    private var hasEmptyKey = false
    private(set) var count = 0

    /// A set with room for `minimumCapacity` keys before it first grows.
    init(minimumCapacity: Int) {
        var bits = 4
        while (1 << bits) * 3 / 4 < minimumCapacity { bits += 1 }
        slots = Array(repeating: Self.empty, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always) private static func slot(_ key: Int64, _ shift: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    /// Adds `key`; false when it was already there. Amortised O(1).
    @discardableResult
    mutating func insert(_ key: Int64) -> Bool {
        if key == Self.empty {
            if hasEmptyKey { return false }
            hasEmptyKey = true
            count += 1
            return true
        }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let shift = self.shift
        let inserted = slots.withUnsafeMutableBufferPointer { s -> Bool in
            let mask = s.count - 1
            var i = Self.slot(key, shift)
            while true {
                let v = s[i]
                if v == key { return false }
                if v == Self.empty { s[i] = key; return true }
                i = (i + 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    private mutating func grow() {
        let old = slots
        let bits = 64 - shift + 1
        slots = Array(repeating: Self.empty, count: 1 << bits)
        shift = 64 - bits
        let shift = self.shift
        slots.withUnsafeMutableBufferPointer { s in
            let mask = s.count - 1
            for key in old where key != Self.empty {
                var i = Self.slot(key, shift)
                while s[i] != Self.empty { i = (i + 1) & mask }
                s[i] = key
            }
        }
    }

    /// Every key, in no particular order.
    var keys: [Int64] {
        var out = slots.filter { $0 != Self.empty }
        if hasEmptyKey { out.append(Self.empty) }
        return out
    }
}
