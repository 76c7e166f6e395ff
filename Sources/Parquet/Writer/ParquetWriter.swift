import Columnar
import Foundation

/// Options for `ParquetWriter`. Defaults follow arrow-rs/pyarrow: zstd level 1, about 1M
/// rows per row group, 1 MiB pages and a 1 MiB dictionary limit.
public struct ParquetWriteOptions: Sendable {
    /// Page codec; zstd by default.
    public var codec: CompressionCodec = .zstd
    /// Level for zstd (1...22) and gzip (1...9).
    public var compressionLevel: Int32 = 1
    /// Rows per row group (the last may be shorter).
    public var rowGroupSize: Int = 1 << 20
    /// Target uncompressed bytes per data page.
    public var pageSize: Int = 1 << 20
    /// Try RLE_DICTIONARY first; PLAIN is used for a chunk whose dictionary exceeds the limit.
    public var dictionary = true
    /// Largest dictionary page (PLAIN bytes) before falling back to PLAIN.
    public var dictionaryPageSizeLimit: Int = 1 << 20
    /// Write min/max/null-count statistics per column chunk.
    public var statistics = true
    /// Write the page index (OffsetIndex per column chunk, and ColumnIndex with per-page
    /// min/max/null counts when `statistics` is on), as parquet-mr and pyarrow do, so readers
    /// can skip pages a predicate rules out.
    public var pageIndex = true
    /// Footer key/value metadata.
    public var keyValueMetadata: [String: String] = [:]
    /// Narrower logical types for top-level columns, by name (values must already fit;
    /// the writer checks and refuses a value out of the annotated range).
    public var annotations: [String: ColumnAnnotation] = [:]
    /// Permission bits of the file created (before the umask).
    public var fileMode: UInt32 = 0o644

    public init() {}
}

/// A logical type annotation that refines how a Columnar column is stored, for formats
/// (Delta, Spark) whose types are finer than Columnar's.
public enum ColumnAnnotation: String, Sendable, Equatable {
    /// INT(8, signed) on an int32 column (Spark `byte`).
    case int8
    /// INT(16, signed) on an int32 column (Spark `short`).
    case int16
    /// TIMESTAMP(isAdjustedToUTC=false, MICROS) on a timestamp column (Spark `timestamp_ntz`):
    /// the stored micros are the wall-clock time, with no zone.
    case timestampNTZ
}

/// What was written: enough for a Delta `add` action (exact size, row count, JSON stats).
public struct ParquetFileInfo: Sendable {
    public var path: String
    /// File size in bytes.
    public var size: Int
    public var numRows: Int
    public var rowGroups: Int
    /// Per leaf (dotted path): min/max over the whole file and the total null count.
    public var statistics: [String: ColumnStatistics]
}

/// Writes a Parquet file from streamed batches.
///
/// Flat tables: `init(path:schema:)`, then `write(_ batch: Table)` any number of times,
/// then `close()`. Nested rows (structs, lists, maps): `init(path:fields:)` and
/// `write(rows:)`. Rows are buffered up to `rowGroupSize`, then the row group's columns are
/// encoded in parallel and appended. The file lands atomically on `close()` (temporary file,
/// fsync, rename) through `AtomicFileWriter`; `abort()` leaves nothing behind.
public final class ParquetWriter {
    public let path: String
    public let fields: [NestedField]
    private let options: ParquetWriteOptions
    private let elements: [SchemaElement]
    private let leaves: [WriterLeaf]
    private let flat: Bool
    private let file: AtomicFileWriter
    private var offset = 0
    private var rowGroups: [RowGroupMetaData] = []
    private var pendingTables: [Table] = []
    private var pendingRows: [[NestedValue]] = []
    private var pendingCount = 0
    private var totalRows = 0
    private var fileStats: [ColumnStatistics?]
    /// Page indexes of every written chunk, by row group then leaf (file offsets).
    private var pageIndexes: [[(OffsetIndex, ColumnIndex?)]] = []
    private var closed = false

    /// A writer for tables with `schema` (all columns as in the schema's nullability). Nested
    /// columns (lists, structs, maps) are written as Parquet's LIST, group and MAP layouts.
    public convenience init(path: String, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        let nested = schema.fields.contains { $0.type.isNested }
        try self.init(path: path, fields: schema.fields.map { NestedField($0.name, try NestedType($0.type), nullable: $0.nullable) },
                      options: options, flat: !nested)
    }

    /// A writer for nested rows with `fields`.
    public convenience init(path: String, fields: [NestedField], options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        let isFlat = fields.allSatisfy { if case .primitive = $0.type { return true } else { return false } }
        try self.init(path: path, fields: fields, options: options, flat: isFlat)
    }

    private init(path: String, fields: [NestedField], options: ParquetWriteOptions, flat: Bool) throws {
        _ = AllocatorTuning.applied
        guard options.codec.canCompress else { throw ParquetError.invalidArgument("cannot write codec \(options.codec)") }
        guard options.rowGroupSize > 0 else { throw ParquetError.invalidArgument("row group size must be positive") }
        guard Set(fields.map(\.name)).count == fields.count else { throw ParquetError.invalidArgument("duplicate column names in \(path)") }
        self.path = path
        self.fields = fields
        self.options = options
        self.flat = flat
        (elements, leaves) = try WriterSchema.build(fields, annotations: options.annotations)
        fileStats = Array(repeating: nil, count: leaves.count)
        do { file = try AtomicFileWriter(path: path, mode: options.fileMode) } catch { throw ParquetError.io(file: path, message: "\(error)") }
        try emit(Array("PAR1".utf8))
    }

    deinit { if !closed { file.abort() } }

    private func emit(_ bytes: [UInt8]) throws {
        do { try file.write(bytes) } catch { throw ParquetError.io(file: path, message: "\(error)") }
        offset += bytes.count
    }

    /// Appends a batch whose columns match the writer's fields by name and type.
    public func write(_ batch: Table) throws {
        guard !closed else { throw ParquetError.invalidArgument("\(path): write after close") }
        guard flat else {
            // Nested writer: match columns by name and type, then shred row values.
            var columns: [Column] = []
            for f in fields {
                guard let i = batch.schema.index(of: f.name) else { throw ParquetError.invalidArgument("\(path): batch lacks column '\(f.name)'") }
                let c = batch.columns[i]
                guard (try? NestedType(c.type)) == f.type else {
                    throw ParquetError.invalidArgument("\(path): column '\(f.name)' is \(c.type) in the batch but \(f.type) in the file")
                }
                columns.append(c)
            }
            try write(rows: (0..<batch.rowCount).map { r in columns.map { NestedValue($0.value(at: r)) } })
            return
        }
        var columns: [Column] = []
        for f in fields {
            guard let i = batch.schema.index(of: f.name) else { throw ParquetError.invalidArgument("\(path): batch lacks column '\(f.name)'") }
            let c = batch.columns[i]
            guard case let .primitive(t) = f.type, c.type == t else {
                throw ParquetError.invalidArgument("\(path): column '\(f.name)' is \(c.type) in the batch but \(f.type) in the file")
            }
            if !f.nullable && c.nullCount > 0 { throw ParquetError.invalidArgument("\(path): nulls in non-nullable column '\(f.name)'") }
            if let a = options.annotations[f.name], a == .int8 || a == .int16 {
                let range: ClosedRange<Int64> = a == .int8 ? -128...127 : -32768...32767
                for r in 0..<c.count {
                    if let v = c.value(at: r).intValue, !range.contains(v) {
                        throw ParquetError.invalidArgument("\(path): value \(v) in row \(r + 1) of column '\(f.name)' does not fit \(a.rawValue)")
                    }
                }
            }
            columns.append(c)
        }
        if batch.rowCount == 0 { return }
        pendingTables.append(try Table(schema: Schema(fields.map { f -> Field in
            guard case let .primitive(t) = f.type else { fatalError("flat writer has only primitive fields") }
            return Field(f.name, t, nullable: f.nullable)
        }), columns: columns))
        pendingCount += batch.rowCount
        if pendingCount >= options.rowGroupSize { try flushTables(final: false) }
    }

    /// Appends nested rows: one `NestedValue` per field, in field order.
    public func write(rows: [[NestedValue]]) throws {
        guard !closed else { throw ParquetError.invalidArgument("\(path): write after close") }
        for row in rows where row.count != fields.count {
            throw ParquetError.invalidArgument("\(path): row has \(row.count) values for \(fields.count) fields")
        }
        pendingRows.append(contentsOf: rows)
        while pendingRows.count >= options.rowGroupSize {
            let group = Array(pendingRows[0..<options.rowGroupSize])
            pendingRows.removeFirst(options.rowGroupSize)
            try writeNested(group)
        }
    }

    private func flushTables(final: Bool) throws {
        guard !pendingTables.isEmpty else { return }
        let table = pendingTables.count == 1 ? pendingTables[0] : try Table.concatenate(pendingTables)
        pendingTables = []
        pendingCount = 0
        var start = 0
        while table.rowCount - start >= options.rowGroupSize || (final && start < table.rowCount) {
            let end = min(table.rowCount, start + options.rowGroupSize)
            try writeFlat(table, start..<end)
            start = end
        }
        if start < table.rowCount {
            pendingTables = [table.slice(start..<table.rowCount)]
            pendingCount = table.rowCount - start
        }
    }

    private func writeFlat(_ table: Table, _ rows: Range<Int>) throws {
        let inputs: [LeafInput] = table.columns.enumerated().map { i, column in
            if let validity = column.validity, leaves[i].maxDef > 0 {
                var defs = [UInt8](repeating: 0, count: rows.count)
                var present: [Int] = []
                present.reserveCapacity(rows.count)
                for (k, r) in rows.enumerated() where validity[r] {
                    defs[k] = 1
                    present.append(r)
                }
                let dense = column.gather(present)
                return LeafInput(data: Column(dense.data).data, range: 0..<present.count, defs: defs, reps: nil, levelCount: rows.count)
            }
            return LeafInput(data: column.data, range: rows, defs: nil, reps: nil, levelCount: rows.count)
        }
        try writeRowGroup(inputs, rows: rows.count)
    }

    private func writeNested(_ rows: [[NestedValue]]) throws {
        var shredder = Shredder(leaves)
        for row in rows {
            var leaf = 0
            for (f, v) in zip(fields, row) {
                try shredder.shred(f, v, leaf: leaf, rep: 0, def: 0, depth: 0)
                leaf += f.type.leafCount
            }
        }
        let inputs = shredder.sinks.enumerated().map { i, sink -> LeafInput in
            let column = sink.values.finish()
            // The builder recorded a slot per appended value; all are non-null by construction.
            return LeafInput(data: column.data, range: 0..<column.count, defs: leaves[i].maxDef > 0 ? sink.defs : nil,
                             reps: leaves[i].maxRep > 0 ? sink.reps : nil, levelCount: sink.defs.count)
        }
        try writeRowGroup(inputs, rows: rows.count)
    }

    private func writeRowGroup(_ inputs: [LeafInput], rows: Int) throws {
        var results = [Result<EncodedChunk, Error>?](repeating: nil, count: inputs.count)
        let leaves = self.leaves, options = self.options
        results.withUnsafeMutableBufferPointer { out in
            let slots = out
            DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
                slots[i] = Result { try ColumnChunkWriter(leaf: leaves[i], options: options).encode(inputs[i]) }
            }
        }
        var columns: [ColumnChunkMetaData] = []
        var indexes: [(OffsetIndex, ColumnIndex?)] = []
        let groupStart = offset
        var totalUncompressed: Int64 = 0
        for (i, result) in results.enumerated() {
            let chunk: EncodedChunk
            do { chunk = try result!.get() } catch {
                if let e = error as? ParquetError { throw e }
                throw ParquetError.io(file: path, message: "encoding column \(leaves[i].dottedPath): \(error)")
            }
            let start = offset
            try emit(chunk.bytes)
            let md = ColumnMetaData(
                type: leaves[i].physical, encodings: chunk.encodings, pathInSchema: leaves[i].path,
                codecRaw: options.codec.rawValue, numValues: Int64(chunk.numValues),
                totalUncompressedSize: Int64(chunk.uncompressedSize), totalCompressedSize: Int64(chunk.bytes.count),
                dataPageOffset: Int64(start + (chunk.dictionaryPageLength ?? 0)), indexPageOffset: nil,
                dictionaryPageOffset: chunk.dictionaryPageLength == nil ? nil : Int64(start),
                statistics: options.statistics ? chunk.statistics : Statistics())
            columns.append(ColumnChunkMetaData(filePath: nil, fileOffset: Int64(start), metaData: md))
            totalUncompressed += Int64(chunk.uncompressedSize)
            if options.pageIndex {
                let locations = chunk.pages.map { PageLocation(offset: Int64(start + $0.offset), compressedPageSize: Int32($0.size), firstRowIndex: Int64($0.firstRow)) }
                var columnIndex: ColumnIndex?
                // A ColumnIndex needs min/max for every page holding values.
                if chunk.pageStats.count == chunk.pages.count, !chunk.pageStats.isEmpty,
                   chunk.pageStats.allSatisfy({ $0.nullPage || ($0.min != nil && $0.max != nil) }) {
                    columnIndex = ColumnIndex(nullPages: chunk.pageStats.map { $0.nullPage }, minValues: chunk.pageStats.map { $0.min ?? [] },
                                              maxValues: chunk.pageStats.map { $0.max ?? [] }, boundaryOrder: 0,
                                              nullCounts: chunk.pageStats.map { $0.nulls })
                }
                indexes.append((OffsetIndex(pageLocations: locations), columnIndex))
            }
            fileStats[i] = fileStats[i].map { $0.merged(with: chunk.stats) } ?? chunk.stats
        }
        if options.pageIndex { pageIndexes.append(indexes) }
        rowGroups.append(RowGroupMetaData(columns: columns, totalByteSize: totalUncompressed, numRows: Int64(rows),
                                          fileOffset: Int64(groupStart), totalCompressedSize: Int64(offset - groupStart), ordinal: nil))
        totalRows += rows
    }

    /// Writes the remaining rows and the footer, then moves the file into place.
    @discardableResult
    public func close() throws -> ParquetFileInfo {
        guard !closed else { throw ParquetError.invalidArgument("\(path): closed twice") }
        do {
            try flushTables(final: true)
            if !pendingRows.isEmpty {
                let rows = pendingRows
                pendingRows = []
                try writeNested(rows)
            }
            if rowGroups.isEmpty && leaves.count > 0 {
                // An empty file still needs its schema; zero row groups is valid Parquet.
            }
            try writePageIndexes()
            var meta = FileMetaData(version: 1, schema: elements, numRows: Int64(totalRows), rowGroups: rowGroups,
                                    keyValueMetadata: options.keyValueMetadata, createdBy: "amlgraph parquet 0.1")
            meta.version = 1
            var w = ThriftWriter()
            w.fileMetaData(meta)
            let footer = w.bytes
            try emit(footer)
            var tail: [UInt8] = []
            withUnsafeBytes(of: UInt32(footer.count).littleEndian) { tail.append(contentsOf: $0) }
            tail.append(contentsOf: Array("PAR1".utf8))
            try emit(tail)
            do { try file.commit() } catch { throw ParquetError.io(file: path, message: "\(error)") }
            closed = true
        } catch {
            abort()
            throw error
        }
        var stats: [String: ColumnStatistics] = [:]
        for (i, l) in leaves.enumerated() {
            stats[l.dottedPath] = fileStats[i] ?? ColumnStatistics(min: nil, max: nil, nullCount: 0, valueCount: 0)
        }
        return ParquetFileInfo(path: path, size: offset, numRows: totalRows, rowGroups: rowGroups.count, statistics: stats)
    }

    /// Writes the column indexes, then the offset indexes, of every chunk between the last row
    /// group and the footer (PageIndex.md's layout) and records where they are.
    private func writePageIndexes() throws {
        for (g, group) in pageIndexes.enumerated() {
            for (c, entry) in group.enumerated() {
                guard let columnIndex = entry.1 else { continue }
                var w = ThriftWriter()
                w.columnIndex(columnIndex)
                rowGroups[g].columns[c].pageIndex.columnIndexOffset = Int64(offset)
                rowGroups[g].columns[c].pageIndex.columnIndexLength = Int32(w.bytes.count)
                try emit(w.bytes)
            }
        }
        for (g, group) in pageIndexes.enumerated() {
            for (c, entry) in group.enumerated() {
                var w = ThriftWriter()
                w.offsetIndex(entry.0)
                rowGroups[g].columns[c].pageIndex.offsetIndexOffset = Int64(offset)
                rowGroups[g].columns[c].pageIndex.offsetIndexLength = Int32(w.bytes.count)
                try emit(w.bytes)
            }
        }
        pageIndexes = []
    }

    /// Discards the file being written.
    public func abort() {
        guard !closed else { return }
        closed = true
        file.abort()
    }

    /// Writes `table` to `path` in one call.
    @discardableResult
    public static func write(_ table: Table, to path: String, options: ParquetWriteOptions = ParquetWriteOptions()) throws -> ParquetFileInfo {
        let writer = try ParquetWriter(path: path, schema: table.schema, options: options)
        try writer.write(table)
        return try writer.close()
    }
}
