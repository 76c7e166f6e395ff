/// Builds a value dictionary (distinct values in first-seen order plus one index per value)
/// with open addressing, giving up once the dictionary's PLAIN size passes a byte limit, in
/// which case the writer falls back to PLAIN for the chunk.
enum DictionaryBuilder {
    /// MurmurHash3's 64-bit finaliser: every input bit affects every output bit, so
    /// sequential ids and float bit patterns spread evenly over the table.
    @inline(__always) static func mix(_ k: UInt64) -> UInt64 {
        var x = k
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    /// Fixed-width keys (bit patterns widened to 64 bits). Returns nil when the dictionary
    /// would exceed `limitBytes` at `width` bytes per entry.
    static func fixed(_ keys: UnsafeBufferPointer<UInt64>, width: Int, limitBytes: Int) -> (dict: [UInt64], indices: [UInt32])? {
        let maxEntries = max(1, limitBytes / width)
        var capacity = 1024
        var slots = [Int32](repeating: -1, count: capacity)
        var dict: [UInt64] = []
        var indices = [UInt32](repeating: 0, count: keys.count)
        var mask = capacity - 1
        for (i, k) in keys.enumerated() {
            var h = Int(truncatingIfNeeded: mix(k)) & mask
            while true {
                let s = slots[h]
                if s < 0 {
                    if dict.count >= maxEntries { return nil }
                    slots[h] = Int32(dict.count)
                    indices[i] = UInt32(dict.count)
                    dict.append(k)
                    if dict.count * 2 > capacity {
                        capacity *= 2
                        mask = capacity - 1
                        slots = [Int32](repeating: -1, count: capacity)
                        for (j, key) in dict.enumerated() {
                            var g = Int(truncatingIfNeeded: mix(key)) & mask
                            while slots[g] >= 0 { g = (g + 1) & mask }
                            slots[g] = Int32(j)
                        }
                    }
                    break
                }
                if dict[Int(s)] == k {
                    indices[i] = UInt32(s)
                    break
                }
                h = (h + 1) & mask
            }
        }
        return (dict, indices)
    }

    /// Byte-string keys given as offsets into `bytes` for values `range`. Returns dictionary
    /// entries as value positions (first occurrence) and indices, or nil past `limitBytes`.
    static func strings(offsets: UnsafeBufferPointer<Int>, bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, limitBytes: Int) -> (firsts: [Int], indices: [UInt32])? {
        var capacity = 1024
        var slots = [Int32](repeating: -1, count: capacity)
        var hashes: [UInt64] = []
        var firsts: [Int] = []
        var indices = [UInt32](repeating: 0, count: range.count)
        var mask = capacity - 1
        var dictBytes = 0
        let base = bytes.baseAddress
        @inline(__always) func hash(_ a: Int, _ b: Int) -> UInt64 {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(b - a)
            var p = a
            while p + 8 <= b {
                let w = UnsafeRawPointer(base! + p).loadUnaligned(as: UInt64.self)
                h = (h ^ w) &* 0x100_0000_01B3
                h ^= h >> 29
                p += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while p < b {
                tail |= UInt64(base![p]) << shift
                shift += 8
                p += 1
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
            return h ^ (h >> 32)
        }
        @inline(__always) func equal(_ i: Int, _ j: Int) -> Bool {
            let a = offsets[i], b = offsets[i + 1], c = offsets[j], d = offsets[j + 1]
            if b - a != d - c { return false }
            return b == a || memcmp(base! + a, base! + c, b - a) == 0
        }
        for i in range {
            let a = offsets[i], b = offsets[i + 1]
            let h = hash(a, b)
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let s = slots[slot]
                if s < 0 {
                    dictBytes += 4 + (b - a)
                    if dictBytes > limitBytes { return nil }
                    slots[slot] = Int32(firsts.count)
                    indices[i - range.lowerBound] = UInt32(firsts.count)
                    firsts.append(i)
                    hashes.append(h)
                    if firsts.count * 2 > capacity {
                        capacity *= 2
                        mask = capacity - 1
                        slots = [Int32](repeating: -1, count: capacity)
                        for (j, hj) in hashes.enumerated() {
                            var g = Int(truncatingIfNeeded: hj) & mask
                            while slots[g] >= 0 { g = (g + 1) & mask }
                            slots[g] = Int32(j)
                        }
                    }
                    break
                }
                if hashes[Int(s)] == h && equal(firsts[Int(s)], i) {
                    indices[i - range.lowerBound] = UInt32(s)
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        return (firsts, indices)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
