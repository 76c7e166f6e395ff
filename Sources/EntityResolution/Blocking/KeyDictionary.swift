/// Dense ids for byte strings: equal bytes get equal ids, ids count up from 0 in order of
/// first appearance. An open-addressing hash table (linear probing, FNV-1a) over a private
/// byte arena, so that blocking keys become integers without a `String` per row.
/// O(length) expected per lookup; the arena holds each distinct key once.
struct KeyDictionary {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = [0]
    private var arena: [UInt8] = []
    private var mask: Int

    init(expected: Int = 1024) {
        var size = 16
        while size < expected * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Number of distinct keys seen.
    var count: Int { hashes.count }

    /// The id of `key`, assigned on first sight.
    mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h ^= h >> 29
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s])
            if e < 0 { break }
            if hashes[e] == h && equal(e, key) { return UInt32(e) }
            s = (s + 1) & mask
        }
        let e = hashes.count
        hashes.append(h)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        slots[s] = Int32(e)
        if hashes.count * 2 > slots.count { grow() }
        return UInt32(e)
    }

    mutating func id(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBufferPointer { id($0) } }

    private func equal(_ e: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = starts[e], b = starts[e + 1]
        guard b - a == key.count else { return false }
        var k = 0
        while k < key.count { if arena[a + k] != key[k] { return false }; k += 1 }
        return true
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (e, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(e)
        }
    }
}
