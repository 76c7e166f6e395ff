/// Variable-length byte strings stored flat: one byte buffer plus `count + 1` offsets.
///
/// Arrow's layout. Strings are UTF-8 for `.string` columns and arbitrary bytes for `.binary`.
/// Reading slot `i` is O(1); appending is amortised O(length).
public struct StringArray: Hashable, Sendable {
    public private(set) var offsets: [Int]
    public private(set) var bytes: [UInt8]

    public init() {
        offsets = [0]
        bytes = []
    }

    public init(offsets: [Int], bytes: [UInt8]) {
        precondition(!offsets.isEmpty && offsets[0] == 0 && offsets.last! == bytes.count)
        self.offsets = offsets
        self.bytes = bytes
    }

    public init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    @inlinable public var count: Int { offsets.count - 1 }

    public mutating func reserveCapacity(strings: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(strings + 1)
        bytes.reserveCapacity(byteCount)
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(bytes.count)
    }

    public mutating func append(bytes buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
        offsets.append(bytes.count)
    }

    public mutating func append<C: Collection>(byteSequence: C) where C.Element == UInt8 {
        bytes.append(contentsOf: byteSequence)
        offsets.append(bytes.count)
    }

    /// Appends an empty slot (used for nulls).
    public mutating func appendEmpty() { offsets.append(bytes.count) }

    public mutating func append(contentsOf other: StringArray) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.reserveCapacity(offsets.count + other.count)
        for i in 1..<other.offsets.count { offsets.append(other.offsets[i] + base) }
    }

    /// The bytes of slot `i`, as a range into `bytes`.
    @inlinable public func range(_ i: Int) -> Range<Int> { offsets[i]..<offsets[i + 1] }

    /// Slot `i` decoded as UTF-8 (invalid sequences become U+FFFD).
    public subscript(i: Int) -> String {
        let r = range(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Slot `i` as raw bytes.
    public func byteSlice(_ i: Int) -> ArraySlice<UInt8> { bytes[range(i)] }

    /// The slots holding the smallest and the largest string among `candidates` in byte order
    /// (`compare`'s; the first of equal strings), nil when there are none. The buffers are
    /// pinned once for the whole scan. O(candidates · common prefix length).
    public func minMaxSlots(_ candidates: [Int]) -> (min: Int, max: Int)? {
        candidates.withUnsafeBufferPointer { c in
            withPinned { o, base in
                guard let first = c.first else { return nil }
                var lo = first, hi = first
                for i in c {
                    if StringArray.order(o, base, i, lo) < 0 { lo = i }
                    if StringArray.order(o, base, i, hi) > 0 { hi = i }
                }
                return (lo, hi)
            }
        }
    }

    /// `minMaxSlots` over the slots in `range` for which `isNull` is false (every slot when
    /// `isNull` is nil).
    public func minMaxSlots(in range: Range<Int>, isNull: ((Int) -> Bool)? = nil) -> (min: Int, max: Int)? {
        withPinned { o, base in
            var lo = -1, hi = -1
            for i in range {
                if let isNull, isNull(i) { continue }
                if lo < 0 { lo = i; hi = i; continue }
                if StringArray.order(o, base, i, lo) < 0 { lo = i }
                if StringArray.order(o, base, i, hi) > 0 { hi = i }
            }
            return lo < 0 ? nil : (lo, hi)
        }
    }

    private func withPinned<R>(_ body: (UnsafeBufferPointer<Int>, UnsafePointer<UInt8>) -> R) -> R {
        offsets.withUnsafeBufferPointer { o in
            bytes.withUnsafeBufferPointer { p in
                // An empty byte buffer may have no address: any valid pointer serves, no byte is read.
                withUnsafePointer(to: 0 as UInt8) { zero in body(o, p.baseAddress ?? zero) }
            }
        }
    }

    /// Three-way byte order of slots `i` and `j`, eight bytes at a time (big-endian order is
    /// byte order), then the tail.
    @inline(__always)
    private static func order(_ o: UnsafeBufferPointer<Int>, _ base: UnsafePointer<UInt8>, _ i: Int, _ j: Int) -> Int {
        let a = o[i], b = o[j]
        let la = o[i + 1] - a, lb = o[j + 1] - b
        let n = min(la, lb)
        var k = 0
        while k + 8 <= n {
            let x = UInt64(bigEndian: UnsafeRawPointer(base + a + k).loadUnaligned(as: UInt64.self))
            let y = UInt64(bigEndian: UnsafeRawPointer(base + b + k).loadUnaligned(as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            k += 8
        }
        while k < n {
            let x = base[a + k], y = base[b + k]
            if x != y { return x < y ? -1 : 1 }
            k += 1
        }
        return la == lb ? 0 : (la < lb ? -1 : 1)
    }

    /// Three-way byte comparison of slots `i` and `j` (the order used for string ids).
    public func compare(_ i: Int, _ j: Int) -> Int {
        let a = range(i), b = range(j)
        return bytes.withUnsafeBufferPointer { p in
            let n = min(a.count, b.count)
            guard let base = p.baseAddress else { return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1) }
            // Eight bytes at a time (big-endian order is byte order), then the tail.
            var k = 0
            while k + 8 <= n {
                let x = UInt64(bigEndian: UnsafeRawPointer(base + a.lowerBound + k).loadUnaligned(as: UInt64.self))
                let y = UInt64(bigEndian: UnsafeRawPointer(base + b.lowerBound + k).loadUnaligned(as: UInt64.self))
                if x != y { return x < y ? -1 : 1 }
                k += 8
            }
            while k < n {
                let x = base[a.lowerBound + k], y = base[b.lowerBound + k]
                if x != y { return x < y ? -1 : 1 }
                k += 1
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        }
    }

    /// Gathers slots in the given order. O(total bytes).
    public func gather(_ indices: [Int]) -> StringArray {
        var out = StringArray()
        out.reserveCapacity(strings: indices.count, bytes: bytes.count)
        bytes.withUnsafeBufferPointer { p in
            for i in indices { out.append(bytes: UnsafeBufferPointer(rebasing: p[range(i)])) }
        }
        return out
    }
}
