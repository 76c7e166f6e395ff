/// The compared texts of one column for all records, flat: one contiguous buffer of code
/// units and an offset per record (record i is `units[offsets[i] ..< offsets[i + 1]]`).
///
/// The units are bytes (`UInt8`) whenever every unit of the column fits in one: always for
/// string columns (Splink's metrics, DuckDB's, compare UTF-8 bytes) and numbers as text; only a
/// column of another type whose text has a scalar above U+00FF keeps 32-bit scalars. A record
/// costs its bytes plus one offset, instead of a `String` and an `[UInt32]` with two heap
/// headers. Immutable once built; the scoring kernel reads the buffers through raw pointers,
/// so the storage is allocated here and freed with the instance.
/// - Complexity: building is O(total units); reading a record is O(1).
public final class TextBuffer: @unchecked Sendable {
    /// Number of records.
    public let count: Int
    /// `count + 1` offsets into the units.
    let offsets: UnsafeMutablePointer<Int>
    /// The units as bytes (nil when the column keeps scalars).
    let bytes: UnsafeMutablePointer<UInt8>?
    /// The units as 32-bit scalars (nil when they are bytes).
    let wide: UnsafeMutablePointer<UInt32>?

    /// Records from `offsets` (count + 1 values, starting at 0) and their byte units.
    init(offsets: [Int], bytes: [UInt8]) {
        count = offsets.count - 1
        self.offsets = .allocate(capacity: offsets.count)
        self.offsets.initialize(from: offsets, count: offsets.count)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        b.initialize(from: bytes, count: bytes.count)
        self.bytes = b
        wide = nil
    }

    /// Records from `offsets` and their scalar units, stored as bytes when all fit.
    init(offsets: [Int], scalars: [UInt32]) {
        count = offsets.count - 1
        self.offsets = .allocate(capacity: offsets.count)
        self.offsets.initialize(from: offsets, count: offsets.count)
        if scalars.allSatisfy({ $0 <= 0xFF }) {
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, scalars.count))
            for (k, s) in scalars.enumerated() { (b + k).initialize(to: UInt8(s)) }
            bytes = b; wide = nil
        } else {
            let w = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, scalars.count))
            w.initialize(from: scalars, count: scalars.count)
            bytes = nil; wide = w
        }
    }

    /// Takes ownership of already filled storage (`offsets` has count + 1 values).
    init(count: Int, offsets: UnsafeMutablePointer<Int>, bytes: UnsafeMutablePointer<UInt8>) {
        self.count = count; self.offsets = offsets; self.bytes = bytes; wide = nil
    }

    deinit {
        offsets.deallocate()
        bytes?.deallocate()
        wide?.deallocate()
    }

    /// Units of record i. O(1).
    @inline(__always) func range(_ i: Int) -> Range<Int> { offsets[i]..<offsets[i + 1] }

    /// Length of record i in units. O(1).
    @inline(__always) func length(_ i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// Record i's bytes; only when `bytes` is set.
    @inline(__always) func byteSlice(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes! + offsets[i], count: offsets[i + 1] - offsets[i])
    }

    /// Record i's scalars; only when `wide` is set.
    @inline(__always) func wideSlice(_ i: Int) -> UnsafeBufferPointer<UInt32> {
        UnsafeBufferPointer(start: wide! + offsets[i], count: offsets[i + 1] - offsets[i])
    }

    /// Record i's units widened to UInt32 (allocates; for the per-pair reference paths).
    public func scalars(_ i: Int) -> [UInt32] {
        if bytes != nil { return byteSlice(i).map { UInt32($0) } }
        return Array(wideSlice(i))
    }

    /// Whether records i and j have the same units. O(length).
    func equal(_ i: Int, _ j: Int) -> Bool {
        if bytes != nil { return byteSlice(i).elementsEqual(byteSlice(j)) }
        return wideSlice(i).elementsEqual(wideSlice(j))
    }

    /// The longest record, in units. O(count).
    var longest: Int {
        var m = 0
        for i in 0..<count { m = max(m, offsets[i + 1] - offsets[i]) }
        return m
    }
}
