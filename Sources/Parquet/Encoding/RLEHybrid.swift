/// Parquet's RLE / bit-packed hybrid encoding (levels, dictionary indices, RLE booleans).
///
/// A run header varint `h`: `h & 1 == 0` is an RLE run of `h >> 1` copies of one value stored in
/// `ceil(width/8)` bytes; otherwise `h >> 1` groups of 8 bit-packed values follow.
struct RLEHybridDecoder {
    private var cursor: ByteCursor
    let width: Int
    private var rleLeft = 0
    private var rleValue: UInt32 = 0
    private var packedLeft = 0
    private var packedBase: UnsafePointer<UInt8>?
    private var packedBytes = 0
    private var packedIndex = 0

    init(_ cursor: ByteCursor, width: Int) throws {
        guard width >= 0, width <= 32 else { throw DecodeError("RLE bit width \(width) is out of range") }
        self.cursor = cursor
        self.width = width
    }

    /// Decodes exactly `count` values into `out`, or throws if the data ends first.
    mutating func decode(into out: UnsafeMutablePointer<UInt32>, count: Int) throws {
        var done = 0
        while done < count {
            if rleLeft > 0 {
                let n = min(rleLeft, count - done)
                (out + done).update(repeating: rleValue, count: n)
                rleLeft -= n
                done += n
            } else if packedLeft > 0 {
                let n = min(packedLeft, count - done)
                // Unpack from the run's start so bit offsets stay aligned to the run.
                unpackFrom(packedIndex, n, out + done)
                packedIndex += n
                packedLeft -= n
                done += n
            } else {
                try nextRun()
            }
        }
    }

    private func unpackFrom(_ index: Int, _ n: Int, _ out: UnsafeMutablePointer<UInt32>) {
        let bitStart = index * width
        let byteStart = bitStart >> 3
        // Runs start byte-aligned and groups are 8 values, so index*width is a multiple of 8 at
        // group boundaries; inside a group we re-unpack from the group start.
        if bitStart & 7 == 0 {
            BitPacking.unpack32(packedBase! + byteStart, srcBytes: packedBytes - byteStart, width: width, count: n, into: out)
        } else {
            let groupStart = index & ~7
            let skip = index - groupStart
            let tmp = UnsafeMutablePointer<UInt32>.allocate(capacity: n + skip)
            defer { tmp.deallocate() }
            let gByte = (groupStart * width) >> 3
            BitPacking.unpack32(packedBase! + gByte, srcBytes: packedBytes - gByte, width: width, count: n + skip, into: tmp)
            out.update(from: tmp + skip, count: n)
        }
    }

    private mutating func nextRun() throws {
        guard cursor.remaining > 0 else { throw DecodeError("RLE data ends before all values were read") }
        let header = try cursor.varint()
        if header & 1 == 0 {
            let n = header >> 1
            guard n > 0, n <= UInt64(Int32.max) else { throw DecodeError("RLE run length \(n) is invalid") }
            var v: UInt32 = 0
            for k in 0..<((width + 7) / 8) { v |= UInt32(try cursor.byte()) << UInt32(8 * k) }
            if width < 32, v >> UInt32(width) != 0 { throw DecodeError("RLE value \(v) does not fit \(width) bits") }
            rleValue = v
            rleLeft = Int(n)
        } else {
            let groups = header >> 1
            guard groups > 0, groups <= UInt64(Int32.max / 8) else { throw DecodeError("bit-packed run of \(groups) groups is invalid") }
            let wantBytes = Int(groups) * width
            // Writers may leave off the padding of the final run; take what is there.
            let bytes = min(wantBytes, cursor.remaining)
            let values = width == 0 ? Int(groups) * 8 : min(Int(groups) * 8, bytes * 8 / width)
            guard values > 0 else { throw DecodeError("bit-packed run is empty or truncated") }
            packedBase = cursor.base + cursor.position
            packedBytes = bytes
            packedIndex = 0
            packedLeft = values
            cursor.position += bytes
        }
    }
}

/// Encodes values with the hybrid encoding: RLE for runs of 8 or more equal values, bit-packed
/// groups of 8 otherwise.
struct RLEHybridEncoder {
    let width: Int
    private(set) var bytes: [UInt8] = []
    private var literals: [UInt32] = []
    private var pendingValue: UInt32 = 0
    private var pendingCount = 0

    init(width: Int) {
        self.width = width
        literals.reserveCapacity(512)
    }

    mutating func append(_ v: UInt32) {
        if pendingCount > 0 && v == pendingValue {
            pendingCount += 1
            return
        }
        flushPending()
        pendingValue = v
        pendingCount = 1
    }

    mutating func append(_ v: UInt32, count: Int) {
        if count <= 0 { return }
        if pendingCount > 0 && v == pendingValue {
            pendingCount += count
            return
        }
        flushPending()
        pendingValue = v
        pendingCount = count
    }

    private mutating func flushPending() {
        guard pendingCount > 0 else { return }
        var n = pendingCount
        // Top up the literal run to a multiple of 8 first, so a following RLE run starts cleanly.
        if !literals.isEmpty {
            while literals.count % 8 != 0 && n > 0 {
                literals.append(pendingValue)
                n -= 1
            }
        }
        if n >= 8 {
            flushLiterals()
            writeRLE(pendingValue, n)
        } else {
            for _ in 0..<n { literals.append(pendingValue) }
            if literals.count >= 504 && literals.count % 8 == 0 { flushLiterals() }
        }
        pendingCount = 0
    }

    private mutating func writeRLE(_ v: UInt32, _ n: Int) {
        varint(UInt64(n) << 1)
        for k in 0..<((width + 7) / 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
    }

    private mutating func flushLiterals() {
        guard !literals.isEmpty else { return }
        while literals.count % 8 != 0 { literals.append(0) }
        varint(UInt64(literals.count / 8) << 1 | 1)
        literals.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &bytes) }
        literals.removeAll(keepingCapacity: true)
    }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Finishes the stream and returns its bytes.
    mutating func finish() -> [UInt8] {
        flushPending()
        flushLiterals()
        return bytes
    }
}
