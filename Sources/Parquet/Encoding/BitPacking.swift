/// Little-endian bit packing as used by Parquet's RLE/bit-packed hybrid and
/// DELTA_BINARY_PACKED: value `i` occupies bits `[i*w, (i+1)*w)`, least significant first.
enum BitPacking {
    /// Unpacks `count` values of `width` bits (0...64) from `src` (which must hold at least
    /// `ceil(count*width/8)` bytes) into `out`.
    @inline(__always)
    static func unpack64(_ src: UnsafePointer<UInt8>, srcBytes: Int, width: Int, count: Int, into out: UnsafeMutablePointer<UInt64>) {
        if width == 0 {
            out.initialize(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        var bit = 0
        for i in 0..<count {
            let byteIndex = bit >> 3
            let shift = UInt64(bit & 7)
            var v: UInt64
            if byteIndex + 8 <= srcBytes {
                v = UInt64(littleEndian: UnsafeRawPointer(src + byteIndex).loadUnaligned(as: UInt64.self)) >> shift
                if shift != 0 && width + Int(shift) > 64 && byteIndex + 8 < srcBytes {
                    v |= UInt64(src[byteIndex + 8]) << (64 - shift)
                }
            } else {
                v = 0
                var k = 0
                while byteIndex + k < srcBytes && k < 9 {
                    let b = UInt64(src[byteIndex + k])
                    let pos = 8 * k - Int(shift)
                    if pos >= 0 { if pos < 64 { v |= b << UInt64(pos) } } else { v |= b >> UInt64(-pos) }
                    k += 1
                }
            }
            out[i] = v & mask
            bit += width
        }
    }

    /// Unpacks `count` values of `width` bits (0...32) into 32-bit slots.
    @inline(__always)
    static func unpack32(_ src: UnsafePointer<UInt8>, srcBytes: Int, width: Int, count: Int, into out: UnsafeMutablePointer<UInt32>) {
        if width == 0 {
            out.initialize(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = (1 << UInt64(width)) - 1
        var bit = 0
        var i = 0
        // Fast path: a 64-bit load covers any 32-bit value at any bit offset.
        let safeBytes = srcBytes - 8
        while i < count && (bit >> 3) <= safeBytes {
            let v = UInt64(littleEndian: UnsafeRawPointer(src + (bit >> 3)).loadUnaligned(as: UInt64.self)) >> UInt64(bit & 7)
            out[i] = UInt32(truncatingIfNeeded: v & mask)
            bit += width
            i += 1
        }
        while i < count {
            var v: UInt64 = 0
            let byteIndex = bit >> 3
            var k = 0
            while k < 8 && byteIndex + k < srcBytes {
                v |= UInt64(src[byteIndex + k]) << UInt64(8 * k)
                k += 1
            }
            out[i] = UInt32(truncatingIfNeeded: (v >> UInt64(bit & 7)) & mask)
            bit += width
            i += 1
        }
    }

    /// Appends `values` packed at `width` bits to `out`, padding the last byte with zeros.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, width: Int, into out: inout [UInt8]) {
        var acc: UInt64 = 0
        var bits = 0
        for v in values {
            acc |= UInt64(v) << UInt64(bits)
            bits += width
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: acc))
                acc >>= 8
                bits -= 8
            }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
    }

    /// Appends 64-bit `values` packed at `width` bits (0...64).
    static func pack64(_ values: UnsafeBufferPointer<UInt64>, width: Int, into out: inout [UInt8]) {
        guard width > 0 else { return }
        var acc: UInt64 = 0
        var bits = 0
        for v in values {
            // Emit the value in up-to-32-bit chunks so the accumulator never overflows.
            var rest = v
            var left = width
            while left > 0 {
                let take = min(left, 32)
                let chunk = take == 64 ? rest : rest & ((1 << UInt64(take)) - 1)
                acc |= chunk << UInt64(bits)
                bits += take
                rest = take == 64 ? 0 : rest >> UInt64(take)
                left -= take
                while bits >= 8 {
                    out.append(UInt8(truncatingIfNeeded: acc))
                    acc >>= 8
                    bits -= 8
                }
            }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
    }

    /// The number of bits needed for `v` (0 for 0).
    @inline(__always) static func width(_ v: UInt64) -> Int { 64 - v.leadingZeroBitCount }
}
