import Columnar
import Foundation

/// Reads flat leaves (outside lists and maps; not FIXED_LEN_BYTE_ARRAY) of row groups from one
/// or more files straight into one output buffer per leaf, the layout `readTable` returns.
///
/// Each (row group, leaf) chunk is decoded in parallel into its own rows of the leaf's output:
/// values land at their row positions (nulls as zero, or an empty string), so nothing is
/// decoded into per-chunk arrays and copied again. Byte strings go to a per-chunk byte buffer
/// whose offsets are written in place and rebased once every chunk's size is known. Levels
/// are kept only for chunks that hold nulls. The columns are the same as decoding each chunk
/// into a `LeafChunk` and building `ParquetReader.flatColumn` from the concatenation, and do
/// not depend on the number of threads.
enum FlatColumnRead {
    /// Whether `leaf` can be read this way (other leaves go through `LeafChunk`s).
    static func handles(_ leaf: SchemaNode) -> Bool {
        leaf.repetitionLevel == 0 && leaf.element.type != nil && leaf.element.type != .fixedLenByteArray
    }

    /// Whether the row counts `pieces` claim are safe to allocate output for before decoding:
    /// each chunk's value count equals its row group's rows (0 up to Int32.max), the chunks of
    /// each file occupy separate byte ranges inside it (so the stored bytes they claim are at
    /// most the file's size, however many row groups point at the same bytes), and the slots
    /// are at most 2^24 or 8 per stored byte of those chunks (the output, at most 8 bytes a
    /// slot, is then at most 64 times the bytes read). Otherwise the caller decodes through
    /// `LeafChunk`s, whose buffers grow only as pages actually decode (and which report what is
    /// wrong with the counts). O(chunks · log chunks).
    static func plausible(_ pieces: [Piece]) -> Bool {
        var slots = 0, stored = 0
        // Each file's chunks by (row group, leaf): one chunk read for two output columns (a
        // column selected twice) is one range; two different chunks must not share bytes.
        var ranges: [ObjectIdentifier: [SIMD2<Int>: Range<Int64>]] = [:]
        for piece in pieces {
            let reader = piece.reader
            guard piece.group < reader.metadata.rowGroups.count else { return false }
            let group = reader.metadata.rowGroups[piece.group]
            guard group.numRows >= 0, group.numRows <= Int64(Int32.max), Int(group.numRows) == piece.rows else { return false }
            for l in piece.leaves {
                guard l < group.columns.count, let md = group.columns[l].metaData, md.numValues == group.numRows,
                      md.totalCompressedSize >= 0, md.totalCompressedSize <= Int64(reader.fileSize) else { return false }
                var start = md.dataPageOffset
                if let d = md.dictionaryPageOffset, d > 0, d < start { start = d }
                guard start >= 0, start <= Int64(reader.fileSize) - md.totalCompressedSize else { return false }
                if md.totalCompressedSize > 0 {
                    ranges[ObjectIdentifier(reader), default: [:]][SIMD2(piece.group, l)] = start..<(start + md.totalCompressedSize)
                }
                slots += piece.rows
                stored += Int(md.totalCompressedSize)
            }
        }
        for chunks in ranges.values {
            let sorted = chunks.values.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
            for i in sorted.indices.dropFirst() where sorted[i].lowerBound < sorted[i - 1].upperBound { return false }
        }
        return slots <= max(1 << 24, stored.multipliedReportingOverflow(by: 8).overflow ? Int.max : stored * 8)
    }

    /// One row group of one file: which output rows it fills, and the file's leaf holding each
    /// output column (files may order or annotate their columns differently).
    struct Piece {
        let reader: ParquetReader
        let group: Int
        let rowStart: Int
        let rows: Int
        let leaves: [Int]
    }

    /// What decoding one chunk left behind: its levels when it has nulls, and its bytes
    /// (BYTE_ARRAY leaves).
    private struct ChunkOut {
        var definitionLevels: [UInt8]?
        var bytes: [UInt8] = []
    }

    /// One leaf's output storage (a class so each buffer is accessed on its own).
    private final class Output {
        let physical: PhysicalType
        var values: PhysicalValues
        init(_ physical: PhysicalType, rows: Int) {
            self.physical = physical
            values = PhysicalValues(type: physical, typeLength: 0)
            // Every slot is written by exactly one chunk before it is read (decoding fails otherwise).
            switch physical {
            case .boolean: values.bools = [Bool](unsafeUninitializedCapacity: rows) { _, n in n = rows }
            case .int32: values.i32 = [Int32](unsafeUninitializedCapacity: rows) { _, n in n = rows }
            case .int64, .int96: values.i64 = [Int64](unsafeUninitializedCapacity: rows) { _, n in n = rows }
            case .float: values.f32 = [Float](unsafeUninitializedCapacity: rows) { _, n in n = rows }
            case .double: values.f64 = [Double](unsafeUninitializedCapacity: rows) { _, n in n = rows }
            case .byteArray, .fixedLenByteArray:
                values.offsets = [Int](unsafeUninitializedCapacity: rows + 1) { p, n in p[0] = 0; n = rows + 1 }
            }
        }

        /// Calls `body` with the base of the buffer chunks write into (offsets for byte strings).
        func withBase<R>(_ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
            switch physical {
            case .boolean: return try values.bools.withUnsafeMutableBytes { try body($0.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 8)!) }
            case .int32: return try values.i32.withUnsafeMutableBytes { try body($0.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 8)!) }
            case .int64, .int96: return try values.i64.withUnsafeMutableBytes { try body($0.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 8)!) }
            case .float: return try values.f32.withUnsafeMutableBytes { try body($0.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 8)!) }
            case .double: return try values.f64.withUnsafeMutableBytes { try body($0.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 8)!) }
            case .byteArray, .fixedLenByteArray: return try values.offsets.withUnsafeMutableBytes { try body($0.baseAddress!) }
            }
        }
    }

    /// Reads `columns` (each with the leaf whose logical type it reads as; `handles` holds for
    /// it and for every piece's leaf) of `pieces` (row groups, in output order) as named columns.
    /// - Complexity: O(bytes of the chunks + rows · columns), parallel over chunks.
    static func read(_ pieces: [Piece], columns: [(name: String, leaf: SchemaNode)]) throws -> [(String, Column)] {
        let rows = pieces.reduce(0) { $0 + $1.rows }
        let outputs = columns.map { Output($0.leaf.element.type!, rows: rows) }
        let tasks = columns.indices.flatMap { k in pieces.indices.map { (k, $0) } }
        func leaf(_ p: Int, _ k: Int) -> SchemaNode { pieces[p].reader.schemaTree.leaves[pieces[p].leaves[k]] }
        var results = [Result<ChunkOut, Error>?](repeating: nil, count: tasks.count)
        withBases(outputs, 0, []) { bases in
            results.withUnsafeMutableBufferPointer { slots in
                DispatchQueue.concurrentPerform(iterations: tasks.count) { t in
                    let (k, p) = tasks[t]
                    let piece = pieces[p]
                    slots[t] = Result {
                        let group = piece.reader.metadata.rowGroups[piece.group]
                        guard let meta = group.columns[piece.leaves[k]].metaData else { throw DecodeError("column chunk has no metadata") }
                        return try piece.reader.withFileBytes { file in
                            try decodeChunk(file: file, meta: meta, leaf: leaf(p, k), rows: piece.rows, rowGroupRows: group.numRows,
                                            base: bases[k], rowStart: piece.rowStart)
                        }
                    }
                }
            }
        }
        var chunks = [[ChunkOut]](repeating: [], count: columns.count)
        for (t, (k, p)) in tasks.enumerated() {
            do { chunks[k].append(try results[t]!.get()) } catch {
                throw pieces[p].reader.mapError(error, context: "row group \(pieces[p].group), column \(leaf(p, k).dottedPath)")
            }
        }
        results = []
        var pairs: [(String, Column)] = []
        for (k, column) in columns.enumerated() {
            let output = outputs[k]
            if output.physical == .byteArray { joinBytes(output, chunks[k], pieces) }
            var validity: ValidityBitmap?
            if chunks[k].contains(where: { $0.definitionLevels != nil }) {
                var v = ValidityBitmap(repeating: true, count: rows)
                for (p, chunk) in chunks[k].enumerated() {
                    guard let defs = chunk.definitionLevels else { continue }
                    let start = pieces[p].rowStart, maxDef = UInt8(leaf(p, k).definitionLevel)
                    for i in 0..<defs.count where defs[i] != maxDef { v[start + i] = false }
                }
                validity = v
            }
            chunks[k] = []
            let reader = pieces.first?.reader
            func wrapped<T>(_ body: () throws -> T) throws -> T {
                do { return try body() } catch { throw reader.map { $0.mapError(error, context: column.leaf.dottedPath) } ?? error }
            }
            let type = try wrapped { try LogicalMapping.dataType(of: column.leaf) }
            let dense = try wrapped { try LogicalMapping.denseData(output.values, leaf: column.leaf, type: type) }
            output.values = PhysicalValues(type: output.physical, typeLength: 0)
            pairs.append((column.name, Column(dense, validity: validity)))
        }
        return pairs
    }

    /// Nests `withBase` of every output so all buffers stay pinned while chunks decode.
    private static func withBases(_ outputs: [Output], _ i: Int, _ bases: [UnsafeMutableRawPointer], _ body: ([UnsafeMutableRawPointer]) -> Void) {
        if i == outputs.count { body(bases); return }
        outputs[i].withBase { withBases(outputs, i + 1, bases + [$0], body) }
    }

    /// Concatenates the chunks' bytes into the leaf's byte buffer and rebases each chunk's
    /// offsets (written relative to its own bytes) by the bytes before it.
    private static func joinBytes(_ output: Output, _ chunks: [ChunkOut], _ pieces: [Piece]) {
        var bases = [Int](repeating: 0, count: chunks.count + 1)
        for (p, c) in chunks.enumerated() { bases[p + 1] = bases[p] + c.bytes.count }
        let total = bases[chunks.count]
        var bytes = [UInt8](unsafeUninitializedCapacity: total) { _, n in n = total }
        var offsets = output.values.offsets
        output.values.offsets = []
        defer { output.values.offsets = offsets; output.values.bytes = bytes }
        bytes.withUnsafeMutableBytes { dst in
            offsets.withUnsafeMutableBufferPointer { offsets in
                let dstBase = dst.baseAddress, offsetBase = offsets.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunks.count) { p in
                    let base = bases[p]
                    chunks[p].bytes.withUnsafeBytes { src in
                        if src.count > 0 { Prefault.populate(dstBase! + base, byteCount: src.count) }
                        if src.count > 0 { (dstBase! + base).copyMemory(from: src.baseAddress!, byteCount: src.count) }
                    }
                    if base != 0 {
                        let slots = offsetBase + pieces[p].rowStart + 1
                        for i in 0..<pieces[p].rows { slots[i] += base }
                    }
                }
            }
        }
    }

    /// Decodes one chunk into rows `rowStart..<rowStart+rows` of the output at `base`.
    private static func decodeChunk(file: UnsafeRawBufferPointer, meta: ColumnMetaData, leaf: SchemaNode, rows: Int, rowGroupRows: Int64,
                                    base: UnsafeMutableRawPointer, rowStart: Int) throws -> ChunkOut {
        let width = leaf.element.type! == .int32 || leaf.element.type! == .float ? 4 : leaf.element.type! == .boolean ? 1 : 8
        Prefault.populate(base + (rowStart + (leaf.element.type! == .byteArray ? 1 : 0)) * width, byteCount: rows * width)
        switch leaf.element.type! {
        case .boolean:
            return try fixed(base.assumingMemoryBound(to: Bool.self) + rowStart, false, \.bools, fast: false, file, meta, leaf, rows, rowGroupRows)
        case .int32:
            return try fixed(base.assumingMemoryBound(to: Int32.self) + rowStart, 0, \.i32, fast: true, file, meta, leaf, rows, rowGroupRows)
        case .int64:
            return try fixed(base.assumingMemoryBound(to: Int64.self) + rowStart, 0, \.i64, fast: true, file, meta, leaf, rows, rowGroupRows)
        case .int96:
            return try fixed(base.assumingMemoryBound(to: Int64.self) + rowStart, 0, \.i64, fast: false, file, meta, leaf, rows, rowGroupRows)
        case .float:
            return try fixed(base.assumingMemoryBound(to: Float.self) + rowStart, 0, \.f32, fast: true, file, meta, leaf, rows, rowGroupRows)
        case .double:
            return try fixed(base.assumingMemoryBound(to: Double.self) + rowStart, 0, \.f64, fast: true, file, meta, leaf, rows, rowGroupRows)
        case .byteArray:
            return try strings(base.assumingMemoryBound(to: Int.self) + rowStart + 1, file, meta, leaf, rows, rowGroupRows)
        case .fixedLenByteArray:
            throw UnsupportedError("FIXED_LEN_BYTE_ARRAY is read through LeafChunk")
        }
    }

    /// Records a page's levels in `defs` (created, all present, at the chunk's first null).
    @inline(__always)
    private static func noteLevels(_ page: ColumnChunkReader.DataPageView, at level: Int, rows: Int, maxDef: UInt8, _ defs: inout [UInt8]?) {
        guard page.present != page.count || defs != nil else { return }
        if defs == nil { defs = [UInt8](repeating: maxDef, count: rows) }
        defs!.withUnsafeMutableBufferPointer { d in
            (d.baseAddress! + level).update(from: page.definitionLevels.baseAddress!, count: page.count)
        }
    }

    /// Dictionary indices of a page (bit width byte, then the hybrid stream), checked against
    /// the dictionary's size, in `indices[0..<count]`.
    @inline(__always)
    private static func dictionaryIndices(_ c: inout ByteCursor, count: Int, dictionaryCount: Int, into indices: inout [UInt32]) throws {
        let width = Int(try c.byte())
        var decoder = try RLEHybridDecoder(c, width: width)
        if indices.count < count { indices = [UInt32](repeating: 0, count: count) }
        try indices.withUnsafeMutableBufferPointer { idx in
            try decoder.decode(into: idx.baseAddress!, count: count)
            var maxIndex: UInt32 = 0
            for i in 0..<count { maxIndex = max(maxIndex, idx[i]) }
            guard Int(maxIndex) < dictionaryCount else {
                throw DecodeError("dictionary index \(maxIndex) out of range (dictionary has \(dictionaryCount) values)")
            }
        }
    }

    /// A fixed-width leaf: PLAIN and dictionary pages decode straight into `out` (`fast`),
    /// other encodings through a per-page `PhysicalValues`; then nulls are spread in place.
    private static func fixed<T>(_ out: UnsafeMutablePointer<T>, _ zero: T, _ values: KeyPath<PhysicalValues, [T]>, fast: Bool,
                                 _ file: UnsafeRawBufferPointer, _ meta: ColumnMetaData, _ leaf: SchemaNode, _ rows: Int, _ rowGroupRows: Int64) throws -> ChunkOut {
        let maxDef = UInt8(leaf.definitionLevel)
        var result = ChunkOut()
        var temp = PhysicalValues(type: leaf.element.type!, typeLength: 0)
        var indices: [UInt32] = []
        var written = 0, level = 0
        let total = try ColumnChunkReader.walkPages(file: file, meta: meta, leaf: leaf, rowGroupRows: rowGroupRows) { page, dictionary in
            noteLevels(page, at: level, rows: rows, maxDef: maxDef, &result.definitionLevels)
            let m = page.present
            level += page.count
            if m == 0 { return }
            if fast && page.encoding == .plain {
                let size = MemoryLayout<T>.stride
                guard m <= page.values.remaining / size else {
                    throw DecodeError("\(m) values of \(size) bytes exceed the \(page.values.remaining) bytes left")
                }
                let src = try page.values.take(m * size)
                UnsafeMutableRawPointer(out + written).copyMemory(from: src.baseAddress!, byteCount: m * size)
            } else if fast && (page.encoding == .plainDictionary || page.encoding == .rleDictionary), let dictionary {
                let dict = dictionary[keyPath: values]
                try dictionaryIndices(&page.values, count: m, dictionaryCount: dict.count, into: &indices)
                dict.withUnsafeBufferPointer { d in
                    indices.withUnsafeBufferPointer { idx in
                        let o = out + written
                        for i in 0..<m { o[i] = d[Int(idx[i])] }
                    }
                }
            } else {
                temp.removeAllKeepingCapacity()
                try ColumnChunkReader.decodeValues(&page.values, encoding: page.encoding, count: m, into: &temp, dictionary: dictionary)
                let decoded = temp[keyPath: values]
                guard decoded.count == m else { throw DecodeError("\(decoded.count) values decoded for \(m) non-null slots") }
                decoded.withUnsafeBufferPointer { (out + written).update(from: $0.baseAddress!, count: m) }
            }
            written += m
        }
        guard total == rows else { throw DecodeError("column chunk holds \(total) values but its row group has \(rows) rows") }
        if let defs = result.definitionLevels {
            // Dense values sit at the front; move each to its row, back to front.
            var k = written
            defs.withUnsafeBufferPointer { d in
                for i in stride(from: rows - 1, through: 0, by: -1) {
                    if d[i] == maxDef { k -= 1; out[i] = out[k] } else { out[i] = zero }
                }
            }
        } else if written != rows {
            throw DecodeError("\(written) values for \(rows) rows")
        }
        return result
    }

    /// A BYTE_ARRAY leaf: bytes into the chunk's own buffer, value ends (relative to it) into
    /// `out[0..<rows]`; dictionary pages are gathered with one sizing pass per page.
    private static func strings(_ out: UnsafeMutablePointer<Int>, _ file: UnsafeRawBufferPointer, _ meta: ColumnMetaData, _ leaf: SchemaNode,
                                _ rows: Int, _ rowGroupRows: Int64) throws -> ChunkOut {
        let maxDef = UInt8(leaf.definitionLevel)
        var result = ChunkOut()
        var temp = PhysicalValues(type: .byteArray, typeLength: 0)
        var indices: [UInt32] = []
        var written = 0, level = 0
        let total = try ColumnChunkReader.walkPages(file: file, meta: meta, leaf: leaf, rowGroupRows: rowGroupRows) { page, dictionary in
            noteLevels(page, at: level, rows: rows, maxDef: maxDef, &result.definitionLevels)
            let m = page.present
            level += page.count
            if m == 0 { return }
            if page.encoding == .plainDictionary || page.encoding == .rleDictionary, let dictionary {
                try dictionaryIndices(&page.values, count: m, dictionaryCount: dictionary.count, into: &indices)
                let start = result.bytes.count
                var size = 0
                dictionary.offsets.withUnsafeBufferPointer { o in
                    indices.withUnsafeBufferPointer { idx in
                        for i in 0..<m { size += o[Int(idx[i]) + 1] - o[Int(idx[i])] }
                    }
                }
                result.bytes.appendZeros(size)
                dictionary.offsets.withUnsafeBufferPointer { o in
                    dictionary.bytes.withUnsafeBufferPointer { src in
                        result.bytes.withUnsafeMutableBufferPointer { dst in
                            indices.withUnsafeBufferPointer { idx in
                                var p = start
                                let ends = out + written
                                for i in 0..<m {
                                    let a = o[Int(idx[i])], len = o[Int(idx[i]) + 1] - a
                                    if len <= 16 {
                                        for j in 0..<len { dst[p + j] = src[a + j] }
                                    } else {
                                        (dst.baseAddress! + p).update(from: src.baseAddress! + a, count: len)
                                    }
                                    p += len
                                    ends[i] = p
                                }
                            }
                        }
                    }
                }
            } else {
                temp.removeAllKeepingCapacity()
                try ColumnChunkReader.decodeValues(&page.values, encoding: page.encoding, count: m, into: &temp, dictionary: dictionary)
                guard temp.count == m else { throw DecodeError("\(temp.count) values decoded for \(m) non-null slots") }
                let start = result.bytes.count
                result.bytes.append(contentsOf: temp.bytes)
                temp.offsets.withUnsafeBufferPointer { o in
                    let ends = out + written
                    for i in 0..<m { ends[i] = start + o[i + 1] }
                }
            }
            written += m
        }
        guard total == rows else { throw DecodeError("column chunk holds \(total) values but its row group has \(rows) rows") }
        if let defs = result.definitionLevels {
            // out[i] becomes the end of the last value at or before row i, back to front.
            var k = written
            defs.withUnsafeBufferPointer { d in
                for i in stride(from: rows - 1, through: 0, by: -1) {
                    out[i] = k > 0 ? out[k - 1] : 0
                    if d[i] == maxDef { k -= 1 }
                }
            }
        } else if written != rows {
            throw DecodeError("\(written) values for \(rows) rows")
        }
        return result
    }
}
