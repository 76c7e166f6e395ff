/// The decoded content of one column chunk: levels (when the leaf has them) and the dense
/// non-null values.
struct LeafChunk {
    var definitionLevels: [UInt8]
    var repetitionLevels: [UInt8]
    var values: PhysicalValues
    var levelCount: Int
}

/// Reads the pages of one column chunk (dictionary page, V1 and V2 data pages) from the
/// mapped file. Sizes and counts from the headers are checked against the chunk's extent and
/// the chunk's `num_values` before anything is allocated.
enum ColumnChunkReader {
    /// Most values a single page may declare (bounds level allocations on corrupt headers).
    static let maxPageValues = 1 << 27

    /// Data pages to decode instead of the whole chunk (page skipping by the page index):
    /// their locations, the rows they hold together, and the offset of the chunk's first data
    /// page (a dictionary page, read first, lies before it).
    struct PageSubset {
        var pages: [PageLocation]
        var rows: Int
        var firstDataPageOffset: Int64
    }

    /// One data page as `walkPages` hands it over: `count` level slots, `present` of them
    /// holding values (definition level at the maximum), this page's levels (empty when the
    /// leaf has none) and a cursor at its values. Pointers are valid during the call only.
    struct DataPageView {
        let count: Int
        let present: Int
        let encoding: Encoding
        let definitionLevels: UnsafeBufferPointer<UInt8>
        let repetitionLevels: UnsafeBufferPointer<UInt8>
        var values: ByteCursor
    }

    /// Reads a column chunk into one `LeafChunk`: all levels, dense values.
    static func read(file: UnsafeRawBufferPointer, meta: ColumnMetaData, leaf: SchemaNode, rowGroupRows: Int64, only subset: PageSubset? = nil) throws -> LeafChunk {
        let maxDef = leaf.definitionLevel, maxRep = leaf.repetitionLevel
        var values = PhysicalValues(type: leaf.element.type!, typeLength: Int(leaf.element.typeLength ?? 0))
        var defs: [UInt8] = [], reps: [UInt8] = []
        var reserved = false
        let total = try walkPages(file: file, meta: meta, leaf: leaf, rowGroupRows: rowGroupRows, only: subset) { page, dictionary in
            if !reserved {
                // Claimed counts are only trusted up to a bound; beyond it arrays grow as data arrives.
                let expected = min(Int(meta.numValues), 1 << 22)
                values.reserve(values: expected, bytes: 0)
                if maxDef > 0 { defs.reserveCapacity(expected) }
                if maxRep > 0 { reps.reserveCapacity(expected) }
                reserved = true
            }
            if maxRep > 0 { reps.append(contentsOf: page.repetitionLevels) }
            if maxDef > 0 { defs.append(contentsOf: page.definitionLevels) }
            try decodeValues(&page.values, encoding: page.encoding, count: page.present, into: &values, dictionary: dictionary)
        }
        return LeafChunk(definitionLevels: defs, repetitionLevels: reps, values: values, levelCount: total)
    }

    /// Walks the pages of one column chunk: checks each header against the chunk's extent and
    /// the chunk's `num_values`, verifies page CRCs, decodes the dictionary page, decompresses
    /// each data page (into one buffer reused from page to page), decodes its levels and calls
    /// `visit` with the page and the dictionary (if any). Returns the level slots read (the
    /// chunk's values, or the subset's rows).
    /// - Complexity: O(bytes of the chunk + levels).
    static func walkPages(file: UnsafeRawBufferPointer, meta: ColumnMetaData, leaf: SchemaNode, rowGroupRows: Int64, only subset: PageSubset? = nil,
                          _ visit: (inout DataPageView, PhysicalValues?) throws -> Void) throws -> Int {
        guard let codec = meta.codec else { throw UnsupportedError("compression codec \(meta.codecRaw)") }
        let maxDef = leaf.definitionLevel, maxRep = leaf.repetitionLevel
        if meta.numValues == 0 && rowGroupRows == 0 {
            // An empty chunk (a 0-row file or row group): writers may leave its offsets at 0.
            return 0
        }
        let footerStart = file.count - 8
        var start = meta.dataPageOffset
        if let d = meta.dictionaryPageOffset, d > 0, d < start { start = d }
        guard start >= 4, start < Int64(footerStart), meta.totalCompressedSize >= 0,
              meta.totalCompressedSize <= Int64(footerStart) - start else {
            throw DecodeError("column chunk at offset \(start) with \(meta.totalCompressedSize) bytes lies outside the file's data region")
        }
        guard meta.numValues <= Int64(Int32.max) else { throw DecodeError("column chunk claims \(meta.numValues) values") }
        if maxRep == 0 && meta.numValues != rowGroupRows {
            throw DecodeError("column chunk holds \(meta.numValues) values but its row group has \(rowGroupRows) rows")
        }
        let chunkEnd = Int(start + meta.totalCompressedSize)
        var total = Int(meta.numValues)
        // With a page subset, pages are visited at their offsets (the dictionary first).
        var queue: [(position: Int, dictionarySlot: Bool)]?
        if let subset, maxRep == 0 {
            var q: [(position: Int, dictionarySlot: Bool)] = []
            if start < subset.firstDataPageOffset { q.append((position: Int(start), dictionarySlot: true)) }
            for p in subset.pages {
                guard p.offset >= start, p.offset < Int64(chunkEnd) else { throw DecodeError("page index points at offset \(p.offset), outside the column chunk") }
                q.append((position: Int(p.offset), dictionarySlot: false))
            }
            queue = q
            total = subset.rows
        }
        var inDictionarySlot = false
        let physical = leaf.element.type!
        let typeLength = Int(leaf.element.typeLength ?? 0)
        var dictionary: PhysicalValues?
        // Per-page buffers, reused: the decompressed page and the page's levels.
        var scratch: [UInt8] = []
        var defs: [UInt8] = [], reps: [UInt8] = []
        var position = Int(start)
        var read = 0
        while read < total {
            if queue != nil {
                guard !queue!.isEmpty else { throw DecodeError("the page index's pages hold fewer than \(total) rows") }
                let next = queue!.removeFirst()
                position = next.position
                inDictionarySlot = next.dictionarySlot
            }
            guard position < chunkEnd else { throw DecodeError("column chunk ends after \(read) of \(total) values") }
            let chunkBytes = UnsafeRawBufferPointer(rebasing: file[..<chunkEnd])
            let thrift = ThriftReader(chunkBytes, from: position)
            let header = try thrift.readPageHeader()
            position = thrift.position
            guard header.compressedSize <= chunkEnd - position else {
                throw DecodeError("page of \(header.compressedSize) bytes at offset \(position) runs past the column chunk end (\(chunkEnd))")
            }
            let body = UnsafeRawBufferPointer(rebasing: file[position..<(position + header.compressedSize)])
            position += header.compressedSize
            if let crc = header.crc, pageCRC(body) != crc {
                throw DecodeError("page at offset \(position - header.compressedSize) fails its CRC check")
            }
            guard let kind = header.kind else { continue } // unknown page types are skippable
            switch kind {
            case .indexPage:
                continue
            case .dictionaryPage:
                guard dictionary == nil else { throw DecodeError("second dictionary page in a column chunk") }
                guard header.sawSubHeader else { throw DecodeError("dictionary page without its header") }
                guard header.subHeaderMatchesKind else { throw DecodeError("dictionary page at offset \(position - header.compressedSize) carries a data page header") }
                guard header.encodingRaw == Encoding.plain.rawValue || header.encodingRaw == Encoding.plainDictionary.rawValue else {
                    throw UnsupportedError("dictionary page encoding \(header.encodingRaw)")
                }
                var dict = PhysicalValues(type: physical, typeLength: typeLength)
                try codec.decompress(body, expectedSize: header.uncompressedSize, scratch: &scratch) { raw in
                    var c = ByteCursor(raw)
                    guard header.numValues <= raw.count * 8 + 1 else { throw DecodeError("dictionary claims \(header.numValues) values in \(raw.count) bytes") }
                    try dict.appendPlain(&c, count: header.numValues)
                }
                dictionary = dict
            case .dataPage, .dataPageV2:
                if inDictionarySlot { continue } // no dictionary: the page index lists this page if needed
                guard header.sawSubHeader else { throw DecodeError("data page without its header") }
                guard header.subHeaderMatchesKind else {
                    throw DecodeError("\(kind == .dataPage ? "data page" : "data page V2") at offset \(position - header.compressedSize) carries the header of another page type (a relabelled dictionary page?)")
                }
                let n = header.numValues
                guard n <= total - read, n <= maxPageValues else {
                    throw DecodeError("data page claims \(n) values; only \(total - read) remain in the column chunk")
                }
                guard let encoding = Encoding(rawValue: header.encodingRaw) else { throw UnsupportedError("value encoding \(header.encodingRaw)") }
                if maxRep > 0 && reps.count < n { reps = [UInt8](repeating: 0, count: n) }
                if maxDef > 0 && defs.count < n { defs = [UInt8](repeating: 0, count: n) }
                // Hands the page to `visit` once its levels are decoded and its values located.
                func deliver(_ values: ByteCursor) throws {
                    var present = n
                    if maxDef > 0 {
                        present = 0
                        let m = UInt8(maxDef)
                        defs.withUnsafeBufferPointer { d in
                            for i in 0..<n where d[i] == m { present += 1 }
                        }
                    }
                    try defs.withUnsafeBufferPointer { d in
                        try reps.withUnsafeBufferPointer { r in
                            var page = DataPageView(count: n, present: present, encoding: encoding,
                                                    definitionLevels: maxDef > 0 ? UnsafeBufferPointer(rebasing: d[0..<n]) : UnsafeBufferPointer(start: nil, count: 0),
                                                    repetitionLevels: maxRep > 0 ? UnsafeBufferPointer(rebasing: r[0..<n]) : UnsafeBufferPointer(start: nil, count: 0),
                                                    values: values)
                            try visit(&page, dictionary)
                        }
                    }
                }
                if kind == .dataPage {
                    try codec.decompress(body, expectedSize: header.uncompressedSize, scratch: &scratch) { raw in
                        var c = ByteCursor(raw)
                        if maxRep > 0 {
                            try decodeLevelsV1(&c, encodingRaw: header.repLevelEncodingRaw, maxLevel: maxRep, count: n, into: &reps, at: 0)
                        }
                        if maxDef > 0 {
                            try decodeLevelsV1(&c, encodingRaw: header.defLevelEncodingRaw, maxLevel: maxDef, count: n, into: &defs, at: 0)
                        }
                        try deliver(c)
                    }
                } else {
                    let levelBytes = header.repLevelsByteLength + header.defLevelsByteLength
                    guard levelBytes <= body.count, levelBytes <= header.uncompressedSize else {
                        throw DecodeError("V2 page level sections (\(levelBytes) bytes) exceed the page")
                    }
                    var c = ByteCursor(body)
                    if maxRep > 0 {
                        let region = try c.take(header.repLevelsByteLength)
                        try decodeLevels(ByteCursor(region), maxLevel: maxRep, count: n, into: &reps, at: 0)
                    } else { _ = try c.take(header.repLevelsByteLength) }
                    if maxDef > 0 {
                        let region = try c.take(header.defLevelsByteLength)
                        try decodeLevels(ByteCursor(region), maxLevel: maxDef, count: n, into: &defs, at: 0)
                    } else { _ = try c.take(header.defLevelsByteLength) }
                    let rest = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
                    let restSize = header.uncompressedSize - levelBytes
                    if header.isCompressed && codec != .uncompressed {
                        try codec.decompress(rest, expectedSize: restSize, scratch: &scratch) { try deliver(ByteCursor($0)) }
                    } else {
                        guard rest.count == restSize else { throw DecodeError("V2 page value section is \(rest.count) bytes, header says \(restSize)") }
                        try deliver(ByteCursor(rest))
                    }
                }
                read += n
            }
        }
        return total
    }

    private static func decodeLevelsV1(_ c: inout ByteCursor, encodingRaw: Int32, maxLevel: Int, count: Int, into out: inout [UInt8], at offset: Int) throws {
        switch encodingRaw {
        case Encoding.rle.rawValue:
            let length = Int(try c.uint32LE())
            let region = try c.take(length)
            try decodeLevels(ByteCursor(region), maxLevel: maxLevel, count: count, into: &out, at: offset)
        case Encoding.bitPacked.rawValue:
            // Deprecated MSB-first packing with no length prefix.
            let width = BitPacking.width(UInt64(maxLevel))
            let bytes = (count * width + 7) / 8
            let region = try c.take(bytes)
            var bit = 0
            for i in 0..<count {
                var v = 0
                for _ in 0..<width {
                    let b = (region[bit >> 3] >> UInt8(7 - (bit & 7))) & 1
                    v = v << 1 | Int(b)
                    bit += 1
                }
                guard v <= maxLevel else { throw DecodeError("level \(v) exceeds the maximum \(maxLevel)") }
                out[offset + i] = UInt8(v)
            }
        default:
            throw UnsupportedError("level encoding \(encodingRaw)")
        }
    }

    /// Decodes `count` hybrid-encoded levels into `out[offset...]`, checking each ≤ `maxLevel`.
    static func decodeLevels(_ c: ByteCursor, maxLevel: Int, count: Int, into out: inout [UInt8], at offset: Int) throws {
        var decoder = try RLEHybridDecoder(c, width: BitPacking.width(UInt64(maxLevel)))
        let chunk = 4096
        var tmp = [UInt32](repeating: 0, count: chunk)
        var done = 0
        try out.withUnsafeMutableBufferPointer { o in
            try tmp.withUnsafeMutableBufferPointer { t in
                while done < count {
                    let k = min(chunk, count - done)
                    try decoder.decode(into: t.baseAddress!, count: k)
                    var worst: UInt32 = 0
                    for i in 0..<k {
                        worst = max(worst, t[i])
                        o[offset + done + i] = UInt8(truncatingIfNeeded: t[i])
                    }
                    guard worst <= UInt32(maxLevel) else { throw DecodeError("level \(worst) exceeds the maximum \(maxLevel)") }
                    done += k
                }
            }
        }
    }

    static func decodeValues(_ c: inout ByteCursor, encoding: Encoding, count: Int, into values: inout PhysicalValues, dictionary: PhysicalValues?) throws {
        if count == 0 { return }
        switch encoding {
        case .plain: try values.appendPlain(&c, count: count)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw DecodeError("dictionary-encoded page without a dictionary page") }
            if count > 0 { try values.appendDictionaryIndices(&c, count: count, dictionary: dictionary) }
        case .rle: try values.appendRLEBooleans(&c, count: count)
        case .deltaBinaryPacked: try values.appendDeltaBinaryPacked(&c, count: count)
        case .deltaLengthByteArray: try values.appendDeltaLengthByteArray(&c, count: count)
        case .deltaByteArray: try values.appendDeltaByteArray(&c, count: count)
        case .byteStreamSplit: try values.appendByteStreamSplit(&c, count: count)
        case .bitPacked: throw UnsupportedError("BIT_PACKED value encoding")
        }
    }
}
