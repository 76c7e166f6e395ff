/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY decoders
/// (apache/parquet-format Encodings.md).
enum DeltaDecoding {
    /// Decodes a DELTA_BINARY_PACKED stream of `count` values (wrapping 64-bit arithmetic; INT32
    /// columns truncate afterwards, which is exact modulo 2^32). Leaves `cursor` just after
    /// the last miniblock used, so a following section (byte-array data) can be found.
    static func binaryPacked(_ cursor: inout ByteCursor, count expected: Int?, appendTo out: inout [Int64]) throws -> Int {
        let blockSize = try cursor.varint()
        let miniblocks = try cursor.varint()
        let total = try cursor.varint()
        var value = try cursor.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20,
              miniblocks > 0, miniblocks <= blockSize, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else {
            throw DecodeError("DELTA_BINARY_PACKED header is invalid (block \(blockSize), miniblocks \(miniblocks))")
        }
        if let expected, total != UInt64(expected) {
            throw DecodeError("DELTA_BINARY_PACKED holds \(total) values, expected \(expected)")
        }
        // Every block needs at least its min-delta byte and one width byte per miniblock.
        let blocksPossible = UInt64(cursor.remaining) / (1 + miniblocks) + 1
        guard total <= blocksPossible * blockSize + 1 else {
            throw DecodeError("DELTA_BINARY_PACKED claims \(total) values in \(cursor.remaining) bytes")
        }
        let n = Int(total)
        if n == 0 { return 0 }
        out.reserveCapacity(out.count + n)
        out.append(value)
        let perMini = Int(blockSize / miniblocks)
        let miniCount = Int(miniblocks)
        var left = n - 1
        var widths = [Int](repeating: 0, count: miniCount)
        var buffer = [UInt64](repeating: 0, count: perMini)
        while left > 0 {
            let minDelta = try cursor.zigzag()
            for m in 0..<miniCount { widths[m] = Int(try cursor.byte()) }
            for m in 0..<miniCount where left > 0 {
                let w = widths[m]
                guard w <= 64 else { throw DecodeError("DELTA_BINARY_PACKED bit width \(w) exceeds 64") }
                let bytes = perMini * w / 8
                let src = try cursor.take(bytes)
                let take = min(perMini, left)
                buffer.withUnsafeMutableBufferPointer { b in
                    BitPacking.unpack64(src.baseAddress!.assumingMemoryBound(to: UInt8.self), srcBytes: bytes, width: w, count: take, into: b.baseAddress!)
                }
                for i in 0..<take {
                    value = value &+ minDelta &+ Int64(bitPattern: buffer[i])
                    out.append(value)
                }
                left -= take
            }
        }
        return n
    }

    /// DELTA_LENGTH_BYTE_ARRAY: lengths (delta-packed) then the concatenated bytes.
    static func lengthByteArray(_ cursor: inout ByteCursor, count: Int, offsets: inout [Int], bytes: inout [UInt8]) throws {
        var lengths: [Int64] = []
        _ = try binaryPacked(&cursor, count: count, appendTo: &lengths)
        var total = 0
        for l in lengths {
            guard l >= 0, l <= Int64(cursor.remaining) else { throw DecodeError("byte array length \(l) is invalid") }
            total += Int(l)
            guard total <= cursor.remaining else { throw DecodeError("byte array lengths exceed the page (\(total) > \(cursor.remaining))") }
        }
        let data = try cursor.take(total)
        bytes.append(contentsOf: data.bindMemory(to: UInt8.self))
        var end = offsets[offsets.count - 1]
        offsets.reserveCapacity(offsets.count + count)
        for l in lengths {
            end += Int(l)
            offsets.append(end)
        }
    }

    /// DELTA_BYTE_ARRAY: prefix lengths, then suffixes as DELTA_LENGTH_BYTE_ARRAY; each value
    /// is the previous value's prefix followed by its suffix.
    static func byteArray(_ cursor: inout ByteCursor, count: Int, offsets: inout [Int], bytes: inout [UInt8]) throws {
        var prefixes: [Int64] = []
        _ = try binaryPacked(&cursor, count: count, appendTo: &prefixes)
        var suffixOffsets = [0]
        var suffixBytes: [UInt8] = []
        try lengthByteArray(&cursor, count: count, offsets: &suffixOffsets, bytes: &suffixBytes)
        // The previous value lives in its own buffer: slicing `bytes` while appending to it
        // would copy the whole array on every value.
        var previous: [UInt8] = []
        var current: [UInt8] = []
        offsets.reserveCapacity(offsets.count + count)
        for i in 0..<count {
            let p = prefixes[i]
            guard p >= 0, p <= Int64(previous.count) else { throw DecodeError("DELTA_BYTE_ARRAY prefix \(p) longer than the previous value (\(previous.count))") }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: previous[0..<Int(p)])
            current.append(contentsOf: suffixBytes[suffixOffsets[i]..<suffixOffsets[i + 1]])
            bytes.append(contentsOf: current)
            offsets.append(bytes.count)
            swap(&previous, &current)
        }
    }
}

/// DELTA_BINARY_PACKED encoder (used by tests to exercise the decoder without pyarrow).
enum DeltaEncoding {
    static func binaryPacked(_ values: [Int64], blockSize: Int = 128, miniblocks: Int = 4) -> [UInt8] {
        var w = ThriftWriter()
        w.varint(UInt64(blockSize))
        w.varint(UInt64(miniblocks))
        w.varint(UInt64(values.count))
        w.zigzag(values.first ?? 0)
        var out = w.bytes
        guard values.count > 1 else { return out }
        let perMini = blockSize / miniblocks
        var i = 1
        while i < values.count {
            let end = min(i + blockSize, values.count)
            var deltas = (i..<end).map { values[$0] &- values[$0 - 1] }
            let minDelta = deltas.min()!
            for k in deltas.indices { deltas[k] = deltas[k] &- minDelta }
            var header = ThriftWriter()
            header.zigzag(minDelta)
            out.append(contentsOf: header.bytes)
            var widths: [Int] = []
            for m in 0..<miniblocks {
                let lo = m * perMini, hi = min(lo + perMini, deltas.count)
                widths.append(lo < hi ? deltas[lo..<hi].map { BitPacking.width(UInt64(bitPattern: $0)) }.max()! : 0)
            }
            out.append(contentsOf: widths.map(UInt8.init))
            for m in 0..<miniblocks {
                let lo = m * perMini
                guard lo < deltas.count else { break }
                var chunk = [UInt64](repeating: 0, count: perMini)
                for k in 0..<perMini where lo + k < deltas.count { chunk[k] = UInt64(bitPattern: deltas[lo + k]) }
                chunk.withUnsafeBufferPointer { BitPacking.pack64($0, width: widths[m], into: &out) }
            }
            i = end
        }
        return out
    }
}
