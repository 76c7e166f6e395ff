/// Dense ids for byte strings: equal bytes get equal ids, ids count up from 0 in order of
/// first appearance. An open-addressing hash table (linear probing, a word-at-a-time multiply
/// hash, the hash's high bits kept in the slot as a tag) over a private
/// byte arena, so that blocking keys become integers without a `String` per row.
/// O(length) expected per lookup; the arena holds each distinct key once.
struct KeyDictionary {
    /// Open-addressing slots: 0 when empty, else `(id + 1) << 32 | tag` with the tag the high
    /// 32 bits of the key's hash, so a probe passes over another key without reading it (one
    /// cache miss fewer per lookup in a table of millions of keys).
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    private var starts: [Int] = [0]
    private var arena: [UInt8] = []
    private var mask: Int

    init(expected: Int = 1024) {
        var size = 16
        while size < expected * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct keys seen.
    var count: Int { hashes.count }

    /// A 64-bit hash of `key`, eight bytes at a time (multiply and fold per word). Only the
    /// probe order depends on it: ids are assigned in order of first appearance.
    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(key.count)
        var i = 0
        let n = key.count
        if let base = key.baseAddress {
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0, shift: UInt64 = 0
            while i < n { tail |= UInt64(base[i]) << shift; shift += 8; i += 1 }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }

    /// The id of `key`, assigned on first sight.
    mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let h = KeyDictionary.hash(key)
        let tag = h >> 32
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[s]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF == tag {
                let e = Int(slot >> 32) - 1
                if equal(e, key) { return UInt32(e) }
            }
            s = (s + 1) & mask
        }
        let e = hashes.count
        hashes.append(h)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        slots[s] = UInt64(e + 1) << 32 | tag
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
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for (e, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = UInt64(e + 1) << 32 | (h >> 32)
        }
    }
}
