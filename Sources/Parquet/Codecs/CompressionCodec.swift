import CCodecs

/// The page compression codecs of Parquet (`CompressionCodec` in parquet.thrift).
///
/// `compress`/`decompress` wrap Debian's libzstd, libsnappy, zlib, liblz4 and libbrotli. Decompression
/// always knows the expected size from the page header and refuses sizes that the
/// compressed input could not possibly expand to, so a corrupt header cannot trigger a huge
/// allocation.
public enum CompressionCodec: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7

    public var description: String {
        switch self {
        case .uncompressed: return "none"
        case .snappy: return "snappy"
        case .gzip: return "gzip"
        case .lzo: return "lzo"
        case .brotli: return "brotli"
        case .lz4: return "lz4"
        case .zstd: return "zstd"
        case .lz4Raw: return "lz4_raw"
        }
    }

    /// Parses a codec name as the CLI and pyarrow spell it (`none`, `snappy`, `gzip`, `zstd`, `lz4_raw`).
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "uncompressed": self = .uncompressed
        case "snappy": self = .snappy
        case "gzip": self = .gzip
        case "zstd": self = .zstd
        case "lz4_raw", "lz4raw": self = .lz4Raw
        case "brotli": self = .brotli
        default: return nil
        }
    }

    /// Whether this build can write the codec.
    public var canCompress: Bool { [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .brotli].contains(self) }

    /// The largest expansion ratio the codec's format allows (plus a small constant), used to
    /// bound the output size a header may claim. zstd: 128 KiB from a 4-byte RLE block;
    /// deflate: 1032:1; LZ4: 255:1; snappy: 64 bytes per 3-byte copy.
    fileprivate var maxRatio: Int {
        switch self {
        case .uncompressed: return 1
        case .snappy: return 32
        case .gzip: return 1040
        case .lz4, .lz4Raw: return 256
        case .zstd: return 32_800
        case .lzo: return 1
        // A brotli meta-block can repeat a short pattern almost without limit; the page
        // header's size is then bounded by the memory budget alone.
        case .brotli: return Int(Int32.max)
        }
    }

    /// Compresses `input` and appends the result to `output`. `level` applies to zstd, gzip and brotli.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], level: Int32 = 1) throws {
        let start = output.count
        switch self {
        case .uncompressed:
            output.append(contentsOf: input.bindMemory(to: UInt8.self))
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            output.reserveCapacity(start + bound)
            output.appendZeros(bound)
            let n = output.withUnsafeMutableBytes { out in
                ZSTD_compress(out.baseAddress! + start, bound, input.baseAddress, input.count, level)
            }
            guard ZSTD_isError(n) == 0 else { throw DecodeError("zstd compression failed") }
            output.removeLast(bound - n)
        case .snappy:
            let bound = snappy_max_compressed_length(input.count)
            output.appendZeros(bound)
            var length = bound
            let status = output.withUnsafeMutableBytes { out in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                (out.baseAddress! + start).assumingMemoryBound(to: CChar.self), &length)
            }
            guard status == SNAPPY_OK else { throw DecodeError("snappy compression failed") }
            output.removeLast(bound - length)
        case .lz4Raw:
            let bound = Int(LZ4_compressBound(Int32(input.count)))
            output.appendZeros(bound)
            let n = output.withUnsafeMutableBytes { out in
                LZ4_compress_default(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                     (out.baseAddress! + start).assumingMemoryBound(to: CChar.self),
                                     Int32(input.count), Int32(bound))
            }
            guard n > 0 || input.isEmpty else { throw DecodeError("lz4 compression failed") }
            output.removeLast(bound - Int(n))
        case .gzip:
            try gzipCompress(input, into: &output, level: level)
        case .brotli:
            let bound = BrotliEncoderMaxCompressedSize(input.count)
            guard bound > 0 || input.isEmpty else { throw DecodeError("brotli: input too large") }
            let capacity = max(bound, 16)
            output.appendZeros(capacity)
            var length = capacity
            let ok = output.withUnsafeMutableBytes { out in
                BrotliEncoderCompress(max(0, min(11, level)), BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.count,
                                      input.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                      &length, (out.baseAddress! + start).assumingMemoryBound(to: UInt8.self))
            }
            guard ok == BROTLI_TRUE else { throw DecodeError("brotli compression failed") }
            output.removeLast(capacity - length)
        case .lz4, .lzo:
            throw UnsupportedError("writing codec \(self)")
        }
    }

    /// Decompresses `input`, which must expand to exactly `expectedSize` bytes.
    public func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) throws -> [UInt8] {
        try checkClaim(input, expectedSize: expectedSize)
        if self == .uncompressed { return Array(input.bindMemory(to: UInt8.self)) }
        if expectedSize == 0 && input.count == 0 { return [] }
        try DecompressionBudget.shared.reserve(expectedSize)
        defer { DecompressionBudget.shared.release(expectedSize) }
        // A brotli stream does not state its size up front and its ratio is unbounded: its
        // buffer grows with what actually decodes, never to the header's claim at once.
        if self == .brotli { return try brotliDecompress(input, expectedSize: expectedSize) }
        var output = [UInt8](repeating: 0, count: expectedSize)
        try output.withUnsafeMutableBytes { try expand(input, into: $0) }
        return output
    }

    /// Decompresses `input` (which must expand to exactly `expectedSize` bytes) into `scratch`,
    /// reusing its storage from page to page (it grows, never shrinks), and calls `body` with
    /// the expanded bytes. An uncompressed page is passed through without a copy. The same
    /// checks as `decompress(_:expectedSize:)` run before anything is allocated.
    func decompress<R>(_ input: UnsafeRawBufferPointer, expectedSize: Int, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try checkClaim(input, expectedSize: expectedSize)
        if self == .uncompressed || (expectedSize == 0 && input.count == 0) {
            return try body(UnsafeRawBufferPointer(rebasing: input[0..<expectedSize]))
        }
        try DecompressionBudget.shared.reserve(expectedSize)
        defer { DecompressionBudget.shared.release(expectedSize) }
        if self == .brotli {
            let bytes = try brotliDecompress(input, expectedSize: expectedSize)
            return try bytes.withUnsafeBytes { try body($0) }
        }
        if scratch.count < expectedSize {
            // Every byte is written by the decompressor (its output size is checked) before it is read.
            scratch = [UInt8](unsafeUninitializedCapacity: expectedSize) { _, n in n = expectedSize }
        }
        return try scratch.withUnsafeMutableBytes { all in
            let out = UnsafeMutableRawBufferPointer(rebasing: all[0..<expectedSize])
            try expand(input, into: out)
            return try body(UnsafeRawBufferPointer(out))
        }
    }

    /// Checks the size a page header claims against the codec's possible expansion of `input`
    /// and against the size the compressed data states itself (zstd frames, snappy blocks).
    private func checkClaim(_ input: UnsafeRawBufferPointer, expectedSize: Int) throws {
        guard expectedSize >= 0, expectedSize <= Int(Int32.max) else {
            throw DecodeError("page claims \(expectedSize) uncompressed bytes")
        }
        if self == .uncompressed {
            guard input.count == expectedSize else {
                throw DecodeError("uncompressed page is \(input.count) bytes but its header says \(expectedSize)")
            }
            return
        }
        guard expectedSize <= input.count * maxRatio + 64 else {
            throw DecodeError("\(self) page of \(input.count) bytes claims \(expectedSize) uncompressed bytes, more than the codec can produce")
        }
        if expectedSize == 0 && input.count == 0 { return }
        // Sizes the compressed data declares itself are checked against the page header
        // before the output is allocated: a small page claiming gigabytes costs nothing.
        switch self {
        case .zstd:
            let frameSize = ZSTD_getFrameContentSize(input.baseAddress, input.count)
            if frameSize != ZSTD_CONTENTSIZE_UNKNOWN {
                guard frameSize == UInt64(expectedSize) else {
                    throw DecodeError("zstd frame holds \(frameSize == ZSTD_CONTENTSIZE_ERROR ? "an invalid size" : String(frameSize)) bytes but the page header says \(expectedSize)")
                }
            }
        case .snappy:
            var length = 0
            guard snappy_uncompressed_length(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, &length) == SNAPPY_OK,
                  length == expectedSize else {
                throw DecodeError("snappy block length does not match the page header (\(expectedSize) bytes)")
            }
        default: break
        }
    }

    /// Decompresses `input` into `output`, which it must fill exactly (not brotli, not uncompressed).
    private func expand(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let expectedSize = output.count
        let produced: Int
        switch self {
        case .zstd:
            let n = ZstdThreadContext.current.map {
                ZSTD_decompressDCtx($0, output.baseAddress, expectedSize, input.baseAddress, input.count)
            } ?? ZSTD_decompress(output.baseAddress, expectedSize, input.baseAddress, input.count)
            guard ZSTD_isError(n) == 0 else {
                throw DecodeError("zstd: \(String(cString: ZSTD_getErrorName(n)))")
            }
            produced = n
        case .snappy:
            var outLength = expectedSize
            let status = snappy_uncompress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                           output.baseAddress?.assumingMemoryBound(to: CChar.self), &outLength)
            guard status == SNAPPY_OK else { throw DecodeError("snappy data is invalid") }
            produced = outLength
        case .lz4Raw:
            let n = LZ4_decompress_safe(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                        output.baseAddress?.assumingMemoryBound(to: CChar.self),
                                        Int32(input.count), Int32(expectedSize))
            guard n >= 0 else { throw DecodeError("lz4_raw data is invalid") }
            produced = Int(n)
        case .gzip:
            produced = try gzipDecompress(input, into: output)
        case .lz4:
            // Hadoop-framed LZ4 (deprecated): [u32 BE raw size][u32 BE compressed size][lz4 block]...
            // Older parquet-cpp wrote a bare LZ4 block under the same codec id: when the
            // Hadoop framing does not parse to the page size, read it as a raw block.
            if let n = try? hadoopLZ4Decompress(input, into: output), n == expectedSize {
                produced = n
            } else {
                let n = LZ4_decompress_safe(input.baseAddress?.assumingMemoryBound(to: CChar.self),
                                            output.baseAddress?.assumingMemoryBound(to: CChar.self),
                                            Int32(input.count), Int32(expectedSize))
                guard n >= 0 else { throw DecodeError("lz4 data is neither Hadoop-framed nor a raw LZ4 block") }
                produced = Int(n)
            }
        case .lzo, .uncompressed, .brotli:
            throw UnsupportedError("codec \(self)")
        }
        guard produced == expectedSize else {
            throw DecodeError("\(self) page expanded to \(produced) bytes but its header says \(expectedSize)")
        }
    }
}

private func gzipCompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], level: Int32) throws {
    var stream = z_stream()
    // windowBits 15 + 16: gzip framing, as Parquet's GZIP codec requires.
    guard deflateInit2_(&stream, level <= 0 ? 6 : min(level, 9), Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                        ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw DecodeError("zlib deflateInit failed")
    }
    defer { deflateEnd(&stream) }
    let bound = Int(deflateBound(&stream, UInt(input.count)))
    let start = output.count
    output.appendZeros(bound)
    let status: Int32 = output.withUnsafeMutableBytes { out in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = (out.baseAddress! + start).assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(bound)
        return deflate(&stream, Z_FINISH)
    }
    guard status == Z_STREAM_END else { throw DecodeError("zlib deflate failed") }
    output.removeLast(bound - Int(stream.total_out))
}

private func gzipDecompress(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws -> Int {
    var stream = z_stream()
    // 15 + 32: accept gzip or zlib headers (some writers emit zlib framing).
    guard inflateInit2_(&stream, 47, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw DecodeError("zlib inflateInit failed")
    }
    defer { inflateEnd(&stream) }
    let capacity = out.count
    let status: Int32 = {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(capacity)
        while true {
            let s = inflate(&stream, Z_FINISH)
            // Concatenated gzip members (RFC 1952 2.2) decode as one stream, as gunzip does.
            guard s == Z_STREAM_END, stream.avail_in > 0 else { return s }
            guard inflateReset(&stream) == Z_OK else { return Z_DATA_ERROR }
        }
    }()
    guard status == Z_STREAM_END else { throw DecodeError("gzip data is invalid or longer than the page header says") }
    // total_out restarts with each member; what was written is what left the buffer.
    return capacity - Int(stream.avail_out)
}

private func brotliDecompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) throws -> [UInt8] {
    guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { throw DecodeError("brotli decoder could not start") }
    defer { BrotliDecoderDestroyInstance(state) }
    var output = [UInt8](repeating: 0, count: min(expectedSize, max(1 << 16, 8 * input.count)))
    var availableIn = input.count
    var nextIn = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
    var written = 0
    while true {
        var availableOut = output.count - written
        let result: BrotliDecoderResult = output.withUnsafeMutableBufferPointer { out in
            var nextOut: UnsafeMutablePointer<UInt8>? = out.baseAddress.map { $0 + written }
            let r = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
            return r
        }
        written = output.count - availableOut
        switch result {
        case BROTLI_DECODER_RESULT_SUCCESS:
            guard availableIn == 0, written == expectedSize else {
                throw DecodeError("brotli page expanded to \(written) bytes but its header says \(expectedSize)")
            }
            return output
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            guard output.count < expectedSize else { throw DecodeError("brotli data is longer than the page header says (\(expectedSize) bytes)") }
            output.appendZeros(min(expectedSize, output.count * 2) - output.count)
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            throw DecodeError("brotli data is truncated")
        default:
            throw DecodeError("brotli data is invalid")
        }
    }
}

private func hadoopLZ4Decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int {
    var inPos = 0, outPos = 0
    let capacity = output.count
    while inPos + 8 <= input.count {
        func be32(_ at: Int) -> Int {
            Int(input[at]) << 24 | Int(input[at + 1]) << 16 | Int(input[at + 2]) << 8 | Int(input[at + 3])
        }
        let raw = be32(inPos), packed = be32(inPos + 4)
        inPos += 8
        guard packed <= input.count - inPos, raw <= capacity - outPos else { throw DecodeError("lz4 (hadoop) frame sizes are invalid") }
        let n = LZ4_decompress_safe((input.baseAddress! + inPos).assumingMemoryBound(to: CChar.self),
                                    (output.baseAddress! + outPos).assumingMemoryBound(to: CChar.self), Int32(packed), Int32(raw))
        guard n == raw else { throw DecodeError("lz4 (hadoop) block is invalid") }
        inPos += packed
        outPos += raw
    }
    guard inPos == input.count else { throw DecodeError("lz4 (hadoop) data has trailing bytes") }
    return outPos
}

/// CRC-32 with the gzip polynomial (zlib's `crc32`), as parquet-format specifies for the
/// optional page checksum: computed over the page bytes as stored, after the header.
func pageCRC(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return UInt32(crc32(0, nil, 0)) }
    var crc = crc32(0, nil, 0)
    var offset = 0
    while offset < bytes.count {
        let n = min(bytes.count - offset, Int(UInt32.max >> 1))
        crc = crc32(crc, (base + offset).assumingMemoryBound(to: Bytef.self), uInt(n))
        offset += n
    }
    return UInt32(truncatingIfNeeded: crc)
}
