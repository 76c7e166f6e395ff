/// A bounds-checked cursor over raw bytes: every read checks the bytes left first, so decoders
/// built on it can only fail with `DecodeError`, never read out of bounds.
struct ByteCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int

    init(_ buffer: UnsafeRawBufferPointer, start: Int = 0, end: Int? = nil) {
        // A dangling-but-aligned pointer stands in for empty buffers; nothing is read from it.
        base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 8)!
        self.end = end ?? buffer.count
        position = start
    }

    @inline(__always) var remaining: Int { end - position }

    @inline(__always) mutating func byte() throws -> UInt8 {
        guard position < end else { throw DecodeError("data ends early") }
        let b = base[position]
        position += 1
        return b
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw DecodeError("varint longer than 10 bytes") }
        }
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func uint32LE() throws -> UInt32 {
        guard remaining >= 4 else { throw DecodeError("data ends early (needed 4 bytes, \(remaining) left)") }
        let v = UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: v)
    }

    /// Takes `n` bytes, checked against the bytes left.
    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw DecodeError("length \(n) exceeds the \(remaining) bytes left") }
        let p = UnsafeRawBufferPointer(start: base + position, count: n)
        position += n
        return p
    }
}

extension Array where Element: FixedWidthInteger {
    /// Grows the array by `n` zero elements with one memset-style fill (appending a
    /// `repeatElement` sequence goes element by element).
    @inline(__always) mutating func appendZeros(_ n: Int) {
        guard n > 0 else { return }
        append(contentsOf: [Element](repeating: 0, count: n))
    }
}
