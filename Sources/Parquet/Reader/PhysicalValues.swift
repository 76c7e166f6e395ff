/// Decoded non-null values of one leaf column, in their physical representation, before the
/// logical type is applied. INT96 timestamps are converted to Int64 microseconds on decode.
struct PhysicalValues {
    let type: PhysicalType
    let typeLength: Int
    var bools: [Bool] = []
    var i32: [Int32] = []
    var i64: [Int64] = []
    var f32: [Float] = []
    var f64: [Double] = []
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values, Arrow layout.
    var offsets: [Int] = [0]
    var bytes: [UInt8] = []

    init(type: PhysicalType, typeLength: Int) {
        self.type = type
        self.typeLength = typeLength
    }

    var count: Int {
        switch type {
        case .boolean: return bools.count
        case .int32: return i32.count
        case .int64, .int96: return i64.count
        case .float: return f32.count
        case .double: return f64.count
        case .byteArray, .fixedLenByteArray: return offsets.count - 1
        }
    }

    /// Reserves room for `count` more values and `byteCount` more bytes.
    mutating func reserve(values count: Int, bytes byteCount: Int) {
        switch type {
        case .boolean: bools.reserveCapacity(bools.count + count)
        case .int32: i32.reserveCapacity(i32.count + count)
        case .int64, .int96: i64.reserveCapacity(i64.count + count)
        case .float: f32.reserveCapacity(f32.count + count)
        case .double: f64.reserveCapacity(f64.count + count)
        case .byteArray, .fixedLenByteArray:
            offsets.reserveCapacity(offsets.count + count)
            bytes.reserveCapacity(bytes.count + byteCount)
        }
    }

    /// Empties the values, keeping the storage for the next page.
    mutating func removeAllKeepingCapacity() {
        bools.removeAll(keepingCapacity: true)
        i32.removeAll(keepingCapacity: true)
        i64.removeAll(keepingCapacity: true)
        f32.removeAll(keepingCapacity: true)
        f64.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(contentsOf other: PhysicalValues) {
        switch type {
        case .boolean: bools.append(contentsOf: other.bools)
        case .int32: i32.append(contentsOf: other.i32)
        case .int64, .int96: i64.append(contentsOf: other.i64)
        case .float: f32.append(contentsOf: other.f32)
        case .double: f64.append(contentsOf: other.f64)
        case .byteArray, .fixedLenByteArray:
            let base = bytes.count
            bytes.append(contentsOf: other.bytes)
            offsets.append(contentsOf: other.offsets.dropFirst().lazy.map { $0 + base })
        }
    }

    // MARK: PLAIN

    /// Appends `n` PLAIN-encoded values from `c`.
    mutating func appendPlain(_ c: inout ByteCursor, count n: Int) throws {
        switch type {
        case .boolean:
            let src = try c.take((n + 7) / 8)
            bools.reserveCapacity(bools.count + n)
            for i in 0..<n { bools.append(src[i >> 3] & (1 << UInt8(i & 7)) != 0) }
        case .int32: try appendFixed(&c, n, &i32)
        case .int64: try appendFixed(&c, n, &i64)
        case .float: try appendFixed(&c, n, &f32)
        case .double: try appendFixed(&c, n, &f64)
        case .int96:
            guard n <= c.remaining / 12 else { throw DecodeError("\(n) INT96 values need \(n * 12) bytes, \(c.remaining) left") }
            let src = try c.take(n * 12)
            i64.reserveCapacity(i64.count + n)
            for i in 0..<n {
                let nanos = Int64(littleEndian: src.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
                let julian = Int64(Int32(littleEndian: src.loadUnaligned(fromByteOffset: i * 12 + 8, as: Int32.self)))
                i64.append((julian &- 2_440_588) &* 86_400_000_000 &+ nanos / 1000)
            }
        case .byteArray:
            offsets.reserveCapacity(offsets.count + min(n, c.remaining / 4))
            for _ in 0..<n {
                let length = Int(try c.uint32LE())
                let src = try c.take(length)
                bytes.append(contentsOf: src.bindMemory(to: UInt8.self))
                offsets.append(bytes.count)
            }
        case .fixedLenByteArray:
            guard typeLength > 0 || n == 0 else { throw DecodeError("FIXED_LEN_BYTE_ARRAY without a positive type_length") }
            guard typeLength == 0 || n <= c.remaining / typeLength else { throw DecodeError("\(n) values of \(typeLength) bytes exceed the \(c.remaining) bytes left") }
            let src = try c.take(n * typeLength)
            bytes.append(contentsOf: src.bindMemory(to: UInt8.self))
            var end = offsets[offsets.count - 1]
            for _ in 0..<n {
                end += typeLength
                offsets.append(end)
            }
        }
    }

    private func appendFixed<T>(_ c: inout ByteCursor, _ n: Int, _ array: inout [T]) throws {
        let size = MemoryLayout<T>.size
        guard n <= c.remaining / size else { throw DecodeError("\(n) values of \(size) bytes exceed the \(c.remaining) bytes left") }
        let src = try c.take(n * size)
        let old = array.count
        array.reserveCapacity(old + n)
        array.append(contentsOf: UnsafeBufferPointer(start: src.baseAddress!.assumingMemoryBound(to: T.self), count: n))
        _ = old
    }

    // MARK: Dictionary

    /// Appends `n` values given as RLE/bit-packed indices into `dictionary`.
    mutating func appendDictionaryIndices(_ c: inout ByteCursor, count n: Int, dictionary: PhysicalValues) throws {
        let width = Int(try c.byte())
        var decoder = try RLEHybridDecoder(c, width: width)
        let dictCount = dictionary.count
        var indices = [UInt32](repeating: 0, count: n)
        try indices.withUnsafeMutableBufferPointer { try decoder.decode(into: $0.baseAddress!, count: n) }
        var maxIndex: UInt32 = 0
        for i in indices { maxIndex = max(maxIndex, i) }
        guard n == 0 || Int(maxIndex) < dictCount else { throw DecodeError("dictionary index \(maxIndex) out of range (dictionary has \(dictCount) values)") }
        switch type {
        case .boolean: bools.append(contentsOf: indices.map { dictionary.bools[Int($0)] })
        case .int32: gather(indices, dictionary.i32, &i32)
        case .int64, .int96: gather(indices, dictionary.i64, &i64)
        case .float: gather(indices, dictionary.f32, &f32)
        case .double: gather(indices, dictionary.f64, &f64)
        case .byteArray, .fixedLenByteArray:
            try gatherBytes(indices, dictionary)
        }
    }

    /// Dictionary gather for byte strings: one sizing pass, then raw copies into storage grown
    /// once (per-value `append` calls dominate otherwise).
    private mutating func gatherBytes(_ indices: [UInt32], _ dictionary: PhysicalValues) throws {
        let n = indices.count
        var total = 0
        dictionary.offsets.withUnsafeBufferPointer { o in
            for i in indices { total += o[Int(i) + 1] - o[Int(i)] }
        }
        let byteStart = bytes.count, offsetStart = offsets.count
        var end = offsets[offsetStart - 1]
        bytes.appendZeros(total)
        offsets.appendZeros(n)
        dictionary.offsets.withUnsafeBufferPointer { o in
            dictionary.bytes.withUnsafeBufferPointer { src in
                bytes.withUnsafeMutableBufferPointer { dst in
                    offsets.withUnsafeMutableBufferPointer { out in
                        var p = byteStart
                        for (k, i) in indices.enumerated() {
                            let a = o[Int(i)], len = o[Int(i) + 1] - a
                            if len <= 16 {
                                for j in 0..<len { dst[p + j] = src[a + j] }
                            } else {
                                (dst.baseAddress! + p).update(from: src.baseAddress! + a, count: len)
                            }
                            p += len
                            end += len
                            out[offsetStart + k] = end
                        }
                    }
                }
            }
        }
    }

    private func gather<T>(_ indices: [UInt32], _ dict: [T], _ out: inout [T]) {
        let old = out.count
        out.reserveCapacity(old + indices.count)
        dict.withUnsafeBufferPointer { d in
            indices.withUnsafeBufferPointer { idx in
                for i in idx { out.append(d[Int(i)]) }
            }
        }
    }

    // MARK: Other encodings

    /// RLE-encoded booleans (4-byte length prefix, then the hybrid stream at width 1).
    mutating func appendRLEBooleans(_ c: inout ByteCursor, count n: Int) throws {
        guard type == .boolean else { throw UnsupportedError("RLE encoding for \(type) values") }
        let length = Int(try c.uint32LE())
        let region = try c.take(length)
        var decoder = try RLEHybridDecoder(ByteCursor(region), width: 1)
        var tmp = [UInt32](repeating: 0, count: n)
        try tmp.withUnsafeMutableBufferPointer { try decoder.decode(into: $0.baseAddress!, count: n) }
        bools.append(contentsOf: tmp.map { $0 != 0 })
    }

    mutating func appendDeltaBinaryPacked(_ c: inout ByteCursor, count n: Int) throws {
        switch type {
        case .int64:
            _ = try DeltaDecoding.binaryPacked(&c, count: n, appendTo: &i64)
        case .int32:
            var tmp: [Int64] = []
            _ = try DeltaDecoding.binaryPacked(&c, count: n, appendTo: &tmp)
            i32.append(contentsOf: tmp.map { Int32(truncatingIfNeeded: $0) })
        default:
            throw UnsupportedError("DELTA_BINARY_PACKED for \(type) values")
        }
    }

    mutating func appendByteStreamSplit(_ c: inout ByteCursor, count n: Int) throws {
        let width: Int
        switch type {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .fixedLenByteArray: width = typeLength
        default: throw UnsupportedError("BYTE_STREAM_SPLIT for \(type) values")
        }
        guard width > 0, n <= c.remaining / width else { throw DecodeError("BYTE_STREAM_SPLIT data shorter than \(n) values") }
        let src = try c.take(n * width)
        var joined = [UInt8](repeating: 0, count: n * width)
        joined.withUnsafeMutableBufferPointer { out in
            for k in 0..<width {
                let stream = k * n
                for i in 0..<n { out[i * width + k] = src[stream + i] }
            }
        }
        var inner = ByteCursor(UnsafeRawBufferPointer(start: nil, count: 0))
        try joined.withUnsafeBytes { raw in
            inner = ByteCursor(raw)
            try appendPlain(&inner, count: n)
        }
    }

    mutating func appendDeltaLengthByteArray(_ c: inout ByteCursor, count n: Int) throws {
        guard type == .byteArray else { throw UnsupportedError("DELTA_LENGTH_BYTE_ARRAY for \(type) values") }
        try DeltaDecoding.lengthByteArray(&c, count: n, offsets: &offsets, bytes: &bytes)
    }

    mutating func appendDeltaByteArray(_ c: inout ByteCursor, count n: Int) throws {
        guard type == .byteArray || type == .fixedLenByteArray else { throw UnsupportedError("DELTA_BYTE_ARRAY for \(type) values") }
        try DeltaDecoding.byteArray(&c, count: n, offsets: &offsets, bytes: &bytes)
    }
}
