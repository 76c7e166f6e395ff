import Columnar

/// One leaf's input for a row group: dense non-null values plus levels.
struct LeafInput {
    /// Non-null values only, in order.
    var data: ColumnData
    var range: Range<Int>
    /// Definition levels, or nil when every entry is at the leaf's maximum.
    var defs: [UInt8]?
    /// Repetition levels, or nil when the leaf is not repeated.
    var reps: [UInt8]?
    var levelCount: Int
}

/// A column chunk ready to be written: its pages and metadata (offsets relative to its start).
struct EncodedChunk {
    var bytes: [UInt8] = []
    var dictionaryPageLength: Int?
    var uncompressedSize = 0
    var encodings: [Int32] = []
    var statistics = Statistics()
    var stats: ColumnStatistics
    var numValues: Int
    /// Data pages in order: where each starts in `bytes` (its header), its size with the
    /// header, and its first row within the row group (for the OffsetIndex).
    var pages: [(offset: Int, size: Int, firstRow: Int)] = []
    /// Per data page: only nulls?, plain-encoded min/max (nil when not computable) and null
    /// count (for the ColumnIndex).
    var pageStats: [(nullPage: Bool, min: [UInt8]?, max: [UInt8]?, nulls: Int64)] = []
}

/// Encodes a column chunk: RLE_DICTIONARY when the dictionary stays under the size limit,
/// otherwise PLAIN; V1 data pages with RLE levels; statistics over the non-null values.
struct ColumnChunkWriter {
    let leaf: WriterLeaf
    let options: ParquetWriteOptions

    /// The values as the physical type's little-endian bytes, for fixed-width types.
    private enum Physical {
        case bools([Bool])
        case fixed(bytes: [UInt8], width: Int)
        /// The source strings; values are slots `base + i`.
        case strings(StringArray, base: Int)
    }

    private func physicalValues(_ data: ColumnData, _ range: Range<Int>) -> Physical {
        func raw<T>(_ a: [T]) -> [UInt8] {
            a.withUnsafeBufferPointer { p in Array(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: p[range]))) }
        }
        switch data {
        case let .bool(a): return .bools(Array(a[range]))
        case let .int32(a), let .date(a): return .fixed(bytes: raw(a), width: 4)
        case let .int64(a), let .timestamp(a): return .fixed(bytes: raw(a), width: 8)
        case let .float(a): return .fixed(bytes: raw(a), width: 4)
        case let .double(a): return .fixed(bytes: raw(a), width: 8)
        case let .decimal(a, p, _):
            if p <= 9 { return .fixed(bytes: raw(a[range].map { Int32(truncatingIfNeeded: $0) }), width: 4) }
            return .fixed(bytes: raw(a), width: 8)
        case let .decimal128(a, p, _):
            return .fixed(bytes: bigEndianBytes(a[range], width: LogicalMapping.decimalByteWidth(precision: p)), width: LogicalMapping.decimalByteWidth(precision: p))
        case let .string(s), let .binary(s):
            return .strings(s, base: range.lowerBound)
        case .list, .structure, .map: preconditionFailure("leaf columns are never nested (the shredder splits nested columns)")
        }
    }

    func encode(_ input: LeafInput) throws -> EncodedChunk {
        let values = physicalValues(input.data, input.range)
        let valueCount = input.range.count
        var chunk = EncodedChunk(stats: ColumnStatistics(min: nil, max: nil, nullCount: nil, valueCount: Int64(input.levelCount)), numValues: input.levelCount)
        // Null count: leaf entries below the maximum definition level.
        var nulls = 0
        if let defs = input.defs {
            let m = UInt8(leaf.maxDef)
            for d in defs where d < m { nulls += 1 }
        }
        chunk.statistics.nullCount = Int64(nulls)
        chunk.stats.nullCount = Int64(nulls)
        if options.statistics { computeStats(input, into: &chunk) }

        // Dictionary attempt.
        var dictionary: (page: [UInt8], count: Int, indices: [UInt32])?
        if options.dictionary && valueCount > 0 {
            switch values {
            case .bools: break
            case let .fixed(bytes, width) where width == 4 || width == 8:
                var keys = [UInt64](repeating: 0, count: valueCount)
                bytes.withUnsafeBytes { b in
                    if width == 4 { for i in 0..<valueCount { keys[i] = UInt64(b.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) } }
                    else { for i in 0..<valueCount { keys[i] = b.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) } }
                }
                if let built = keys.withUnsafeBufferPointer({ DictionaryBuilder.fixed($0, width: width, limitBytes: options.dictionaryPageSizeLimit) }) {
                    var page: [UInt8] = []
                    page.reserveCapacity(built.dict.count * width)
                    for k in built.dict {
                        if width == 4 { withUnsafeBytes(of: UInt32(truncatingIfNeeded: k).littleEndian) { page.append(contentsOf: $0) } }
                        else { withUnsafeBytes(of: k.littleEndian) { page.append(contentsOf: $0) } }
                    }
                    dictionary = (page, built.dict.count, built.indices)
                }
            case .fixed:
                break // FIXED_LEN_BYTE_ARRAY decimals: PLAIN
            case let .strings(s, base):
                let built = s.offsets.withUnsafeBufferPointer { o in
                    s.bytes.withUnsafeBufferPointer { b in
                        DictionaryBuilder.strings(offsets: o, bytes: b, range: base..<(base + valueCount), limitBytes: options.dictionaryPageSizeLimit)
                    }
                }
                if let built {
                    if options.statistics { stringStats(input, s, built.firsts, into: &chunk) }
                    var page: [UInt8] = []
                    for i in built.firsts {
                        let r = s.range(i)
                        withUnsafeBytes(of: UInt32(r.count).littleEndian) { page.append(contentsOf: $0) }
                        page.append(contentsOf: s.bytes[r])
                    }
                    dictionary = (page, built.firsts.count, built.indices)
                }
            }
        }

        if dictionary == nil, options.statistics, case let .strings(s, _) = values {
            stringStats(input, s, Array(input.range), into: &chunk)
        }
        if let dictionary {
            let start = chunk.bytes.count
            try writePage(&chunk, kind: .dictionaryPage, body: dictionary.page, numValues: dictionary.count, encoding: .plain)
            chunk.dictionaryPageLength = chunk.bytes.count - start
            chunk.encodings = [Encoding.plain.rawValue, Encoding.rle.rawValue, Encoding.rleDictionary.rawValue]
        } else {
            chunk.encodings = [Encoding.plain.rawValue, Encoding.rle.rawValue]
        }

        // Data pages: split the level entries into pages of about `pageSize` bytes.
        let bytesPerValue: Int
        if let dictionary { bytesPerValue = max(1, BitPacking.width(UInt64(max(dictionary.count - 1, 0))) / 8 + 1) }
        else {
            switch values {
            case .bools: bytesPerValue = 1
            case let .fixed(_, w): bytesPerValue = w
            case let .strings(s, _): bytesPerValue = 4 + s.bytes.count / max(1, s.count)
            }
        }
        let perPage = min(max(options.pageSize / bytesPerValue, 1024), 1 << 20)
        let maxDef = UInt8(leaf.maxDef)
        var level = 0, valuePos = 0, records = 0
        repeat {
            var end = min(input.levelCount, level + perPage)
            // Repeated leaves: pages end on record boundaries (repetition level 0), as data
            // page V2 requires and readers that skip pages by row count assume.
            if leaf.maxRep > 0, let reps = input.reps {
                while end < input.levelCount && reps[end] != 0 { end += 1 }
            }
            var present = end - level
            if let defs = input.defs {
                present = 0
                for i in level..<end where defs[i] == maxDef { present += 1 }
            }
            // Page index entries: first row (records before this page) and the page's stats.
            let pageStart = chunk.bytes.count
            let firstRow = records
            if leaf.maxRep > 0, let reps = input.reps {
                for i in level..<end where reps[i] == 0 { records += 1 }
            } else {
                records += end - level
            }
            if options.statistics && options.pageIndex {
                chunk.pageStats.append(pageStatistics(input, values: valuePos..<(valuePos + present), nulls: end - level - present))
            }
            var body: [UInt8] = []
            if leaf.maxRep > 0, let reps = input.reps {
                encodeLevels(reps[level..<end], width: BitPacking.width(UInt64(leaf.maxRep)), into: &body)
            }
            if leaf.maxDef > 0 {
                if let defs = input.defs {
                    encodeLevels(defs[level..<end], width: BitPacking.width(UInt64(leaf.maxDef)), into: &body)
                } else {
                    var enc = RLEHybridEncoder(width: BitPacking.width(UInt64(leaf.maxDef)))
                    enc.append(UInt32(maxDef), count: end - level)
                    let levels = enc.finish()
                    withUnsafeBytes(of: UInt32(levels.count).littleEndian) { body.append(contentsOf: $0) }
                    body.append(contentsOf: levels)
                }
            }
            if let dictionary {
                let width = BitPacking.width(UInt64(max(dictionary.count - 1, 0)))
                body.append(UInt8(width))
                var enc = RLEHybridEncoder(width: width)
                for i in valuePos..<(valuePos + present) { enc.append(dictionary.indices[i]) }
                body.append(contentsOf: enc.finish())
                try writePage(&chunk, kind: .dataPage, body: body, numValues: end - level, encoding: .rleDictionary)
            } else {
                plain(values, valuePos..<(valuePos + present), into: &body)
                try writePage(&chunk, kind: .dataPage, body: body, numValues: end - level, encoding: .plain)
            }
            chunk.pages.append((pageStart, chunk.bytes.count - pageStart, firstRow))
            valuePos += present
            level = end
        } while level < input.levelCount
        return chunk
    }

    private func encodeLevels(_ levels: ArraySlice<UInt8>, width: Int, into body: inout [UInt8]) {
        var enc = RLEHybridEncoder(width: width)
        for l in levels { enc.append(UInt32(l)) }
        let bytes = enc.finish()
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { body.append(contentsOf: $0) }
        body.append(contentsOf: bytes)
    }

    private func plain(_ values: Physical, _ range: Range<Int>, into body: inout [UInt8]) {
        switch values {
        case let .bools(b):
            var byte: UInt8 = 0
            var bit = 0
            for i in range {
                if b[i] { byte |= 1 << UInt8(bit) }
                bit += 1
                if bit == 8 { body.append(byte); byte = 0; bit = 0 }
            }
            if bit > 0 { body.append(byte) }
        case let .fixed(bytes, width):
            body.append(contentsOf: bytes[(range.lowerBound * width)..<(range.upperBound * width)])
        case let .strings(s, base):
            let range = (range.lowerBound + base)..<(range.upperBound + base)
            body.reserveCapacity(body.count + 4 * range.count + s.offsets[range.upperBound] - s.offsets[range.lowerBound])
            s.bytes.withUnsafeBufferPointer { p in
                for i in range {
                    let r = s.range(i)
                    withUnsafeBytes(of: UInt32(r.count).littleEndian) { body.append(contentsOf: $0) }
                    body.append(contentsOf: UnsafeBufferPointer(rebasing: p[r]))
                }
            }
        }
    }

    private func writePage(_ chunk: inout EncodedChunk, kind: PageHeader.Kind, body: [UInt8], numValues: Int, encoding: Encoding) throws {
        guard body.count <= Int(Int32.max) else {
            throw ParquetError.invalidArgument("column \(leaf.dottedPath): a page of \(body.count) bytes exceeds Parquet's 2 GiB page limit (one value or record is too large)")
        }
        var compressed: [UInt8] = []
        if options.codec == .uncompressed {
            compressed = body
        } else {
            compressed.reserveCapacity(body.count / 2 + 64)
            try body.withUnsafeBytes { try options.codec.compress($0, into: &compressed, level: options.compressionLevel) }
        }
        guard compressed.count <= Int(Int32.max) else {
            throw ParquetError.invalidArgument("column \(leaf.dottedPath): a compressed page of \(compressed.count) bytes exceeds Parquet's 2 GiB page limit")
        }
        var header = ThriftWriter()
        let crc = compressed.withUnsafeBytes { pageCRC($0) }
        header.pageHeader(kind: kind, uncompressed: body.count, compressed: compressed.count, numValues: numValues, encoding: encoding, crc: crc)
        chunk.bytes.append(contentsOf: header.bytes)
        chunk.bytes.append(contentsOf: compressed)
        chunk.uncompressedSize += header.bytes.count + body.count
    }

    // MARK: Statistics

    /// Min/max of one data page's values (`values`: positions among the chunk's dense
    /// values), as plain-encoded bytes like the chunk statistics.
    private func pageStatistics(_ input: LeafInput, values: Range<Int>, nulls: Int) -> (nullPage: Bool, min: [UInt8]?, max: [UInt8]?, nulls: Int64) {
        if values.isEmpty { return (true, [], [], Int64(nulls)) }
        let base = input.range.lowerBound
        var page = input
        page.range = (base + values.lowerBound)..<(base + values.upperBound)
        page.defs = nil
        var scratch = EncodedChunk(stats: ColumnStatistics(min: nil, max: nil, nullCount: nil, valueCount: 0), numValues: 0)
        switch input.data {
        case let .string(s), let .binary(s): stringStats(page, s, Array(page.range), into: &scratch)
        default: computeStats(page, into: &scratch)
        }
        return (false, scratch.statistics.minValue, scratch.statistics.maxValue, Int64(nulls))
    }

    /// Byte-order min/max over `candidates` (all values, or one per distinct value).
    private func stringStats(_ input: LeafInput, _ s: StringArray, _ candidates: [Int], into chunk: inout EncodedChunk) {
        guard let (lo, hi) = s.minMaxSlots(candidates) else { return }
        let a = Array(s.byteSlice(lo)), b = Array(s.byteSlice(hi))
        // Very long values are left out rather than truncated, so stats stay exact.
        guard a.count <= 4096 && b.count <= 4096 else { return }
        chunk.statistics.minValue = a
        chunk.statistics.maxValue = b
        if case .string = input.data { chunk.stats.min = .string(s[lo]); chunk.stats.max = .string(s[hi]) }
        else { chunk.stats.min = .binary(a); chunk.stats.max = .binary(b) }
    }

    private func computeStats(_ input: LeafInput, into chunk: inout EncodedChunk) {
        let r = input.range
        guard !r.isEmpty else { return }
        func minMax<T: Comparable>(_ a: [T]) -> (T, T)? {
            a.withUnsafeBufferPointer { p in
                var lo = p[r.lowerBound], hi = lo
                for i in r { let v = p[i]; if v < lo { lo = v }; if v > hi { hi = v } }
                return (lo, hi)
            }
        }
        func le<T>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }
        var minBytes: [UInt8]?, maxBytes: [UInt8]?
        var minValue: Value?, maxValue: Value?
        switch input.data {
        case let .bool(a):
            var sawTrue = false, sawFalse = false
            for i in r { if a[i] { sawTrue = true } else { sawFalse = true } }
            minBytes = [sawFalse ? 0 : 1]; maxBytes = [sawTrue ? 1 : 0]
            minValue = .bool(!sawFalse); maxValue = .bool(sawTrue)
        case let .int32(a):
            if let (lo, hi) = minMax(a) { minBytes = le(lo); maxBytes = le(hi); minValue = .int(Int64(lo)); maxValue = .int(Int64(hi)) }
        case let .date(a):
            if let (lo, hi) = minMax(a) { minBytes = le(lo); maxBytes = le(hi); minValue = .date(lo); maxValue = .date(hi) }
        case let .int64(a):
            if let (lo, hi) = minMax(a) { minBytes = le(lo); maxBytes = le(hi); minValue = .int(lo); maxValue = .int(hi) }
        case let .timestamp(a):
            if let (lo, hi) = minMax(a) { minBytes = le(lo); maxBytes = le(hi); minValue = .timestamp(lo); maxValue = .timestamp(hi) }
        case let .decimal(a, p, s):
            if let (lo, hi) = minMax(a) {
                minBytes = p <= 9 ? le(Int32(truncatingIfNeeded: lo)) : le(lo)
                maxBytes = p <= 9 ? le(Int32(truncatingIfNeeded: hi)) : le(hi)
                minValue = .decimal(lo, scale: s); maxValue = .decimal(hi, scale: s)
            }
        case let .decimal128(a, p, s):
            if let (lo, hi) = minMax(a) {
                let w = LogicalMapping.decimalByteWidth(precision: p)
                minBytes = bigEndianBytes([lo][...], width: w); maxBytes = bigEndianBytes([hi][...], width: w)
                minValue = .decimal128(lo, scale: s); maxValue = .decimal128(hi, scale: s)
            }
        case let .float(a):
            var lo = Float.infinity, hi = -Float.infinity, any = false
            for i in r where !a[i].isNaN { any = true; lo = min(lo, a[i]); hi = max(hi, a[i]) }
            if any {
                // parquet-format: a zero min is written as -0.0 and a zero max as +0.0.
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                minBytes = le(lo); maxBytes = le(hi); minValue = .double(Double(lo)); maxValue = .double(Double(hi))
            }
        case let .double(a):
            var lo = Double.infinity, hi = -Double.infinity, any = false
            a.withUnsafeBufferPointer { p in
                for i in r where !p[i].isNaN { any = true; if p[i] < lo { lo = p[i] }; if p[i] > hi { hi = p[i] } }
            }
            if any {
                if lo == 0 { lo = -0.0 }
                if hi == 0 { hi = 0.0 }
                minBytes = le(lo); maxBytes = le(hi); minValue = .double(lo); maxValue = .double(hi)
            }
        case let .string(s), let .binary(s):
            // Strings are done by `stringStats` (over the dictionary when there is one).
            _ = s
            return
        case .list, .structure, .map:
            return
        }
        chunk.statistics.minValue = minBytes
        chunk.statistics.maxValue = maxBytes
        chunk.stats.min = minValue
        chunk.stats.max = maxValue
    }
}

/// Two's complement big-endian bytes of `width` bytes per value (FIXED_LEN_BYTE_ARRAY
/// decimals). The values must fit `width` bytes (the precision guarantees it).
func bigEndianBytes(_ values: ArraySlice<Int128>, width: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: values.count * width)
    var o = 0
    for v in values {
        let u = UInt128(bitPattern: v)
        for k in 0..<width { out[o + k] = UInt8(truncatingIfNeeded: u >> UInt128(8 * (width - 1 - k))) }
        o += width
    }
    return out
}
