import Columnar
import Foundation

/// Reads Parquet files into Columnar tables or nested rows.
///
/// The file is memory-mapped; the footer is parsed and checked on open. Column chunks are
/// decoded in parallel (one task per row group and column), and results do not depend on the
/// number of threads. Every size, offset and count read from the file is checked against the
/// bytes available, so a truncated or corrupted file yields `ParquetError`, never a crash.
///
/// `readTable` returns one Columnar column per leaf that is not inside a list or map; leaves
/// inside structs are named by their dotted path (`add.path`). `readRows` returns nested
/// values (`NestedValue`) for any schema, including lists and maps.
public final class ParquetReader: @unchecked Sendable {
    /// The file's path (or the name given to `init(bytes:name:)`), used in error messages.
    public let path: String
    /// The file's size in bytes.
    public let fileSize: Int
    /// The parsed footer.
    public let metadata: FileMetaData
    /// The schema tree with levels.
    public let schemaTree: SchemaTree

    private let storage: AnyObject
    private let bytes: UnsafeRawBufferPointer
    /// Whether `readTable(where:)` skips pages by the page index (when the file has one),
    /// besides row groups by their statistics. Results are the same rows either way (the
    /// caller filters rows exactly); only less is decoded.
    public var usePageIndex = true

    /// Opens and validates the footer of `path`.
    public convenience init(path: String) throws {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch { throw ParquetError.io(file: path, message: "\(error)") }
        try self.init(storage: mapped, bytes: UnsafeRawBufferPointer(mapped.bytes), name: path)
    }

    /// Parses a Parquet file held in memory; `name` appears in error messages.
    public convenience init(bytes: [UInt8], name: String = "<memory>") throws {
        let box = ByteBox(bytes)
        try self.init(storage: box, bytes: box.raw, name: name)
    }

    private init(storage: AnyObject, bytes: UnsafeRawBufferPointer, name: String) throws {
        _ = AllocatorTuning.applied
        self.storage = storage
        self.bytes = bytes
        path = name
        fileSize = bytes.count
        let magic: [UInt8] = Array("PAR1".utf8)
        guard bytes.count >= 12 else { throw ParquetError.corrupt(file: name, message: "file is \(bytes.count) bytes, too short for Parquet (needs at least 12)") }
        guard Array(bytes[0..<4]) == magic else { throw ParquetError.corrupt(file: name, message: "missing PAR1 magic at the start") }
        let tail = Array(bytes[(bytes.count - 4)...])
        if tail == Array("PARE".utf8) { throw ParquetError.unsupported(file: name, message: "encrypted footer") }
        guard tail == magic else { throw ParquetError.corrupt(file: name, message: "missing PAR1 magic at the end (truncated file?)") }
        let footerLength = Int(bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self).littleEndian)
        guard footerLength <= bytes.count - 12 else {
            throw ParquetError.corrupt(file: name, message: "footer length \(footerLength) exceeds the file (\(bytes.count) bytes)")
        }
        let footerStart = bytes.count - 8 - footerLength
        do {
            let footer = UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(bytes.count - 8)])
            let reader = ThriftReader(footer)
            metadata = try reader.readFileMetaData()
            schemaTree = try SchemaTree(metadata.schema)
            try ParquetReader.validate(metadata, schemaTree)
        } catch let e as DecodeError {
            throw ParquetError.corrupt(file: name, message: "footer: \(e.message)")
        } catch let e as UnsupportedError {
            throw ParquetError.unsupported(file: name, message: e.message)
        }
    }

    private static func validate(_ m: FileMetaData, _ tree: SchemaTree) throws {
        var rows: Int64 = 0
        for (g, group) in m.rowGroups.enumerated() {
            guard group.columns.count == tree.leaves.count else {
                throw DecodeError("row group \(g) has \(group.columns.count) column chunks for \(tree.leaves.count) leaf columns")
            }
            for (i, chunk) in group.columns.enumerated() {
                if chunk.filePath != nil { throw UnsupportedError("column chunks stored in other files") }
                guard let md = chunk.metaData else { throw DecodeError("row group \(g) column \(i) has no metadata") }
                guard md.type == tree.leaves[i].element.type else {
                    throw DecodeError("row group \(g) column \(tree.leaves[i].dottedPath) has type \(md.type), schema says \(tree.leaves[i].element.type!)")
                }
            }
            let (sum, overflow) = rows.addingReportingOverflow(group.numRows)
            guard !overflow else { throw DecodeError("row counts overflow") }
            rows = sum
        }
        // The footer's total is redundant: some writers leave it 0 (parquet-testing's
        // repeated_no_annotation.parquet). The row groups, each checked against its column
        // chunks on decode, are what is read, as pyarrow and parquet-mr do.
        _ = rows
    }

    /// Total rows.
    public var numRows: Int { Int(metadata.rowGroups.reduce(Int64(0)) { $0 + $1.numRows }) }
    /// Number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// The names of the top-level fields, without deciding their types (so a column of a type
    /// Columnar cannot hold does not stop a read that projects it away).
    public var fieldNames: [String] { schemaTree.fields.map(\.name) }

    /// The nested schema of the top-level fields.
    public func nestedFields() throws -> [NestedField] {
        try wrap("schema") {
            try schemaTree.fields.map { NestedField($0.name, try RecordAssembler.nestedType($0), nullable: $0.repetition != .required) }
        }
    }

    /// The flat schema `readTable` returns: leaves outside lists and maps, dotted names.
    public func schema() throws -> Schema {
        try wrap("schema") {
            Schema(try schemaTree.leaves.filter { $0.repetitionLevel == 0 }.map {
                Field($0.dottedPath, try LogicalMapping.dataType(of: $0), nullable: $0.definitionLevel > 0)
            })
        }
    }

    /// Statistics of each leaf (dotted path) in row group `index`. Leaves whose statistics are
    /// absent get nil min/max/nullCount. Decimal, date and timestamp stats use logical types.
    public func statistics(rowGroup index: Int) -> [String: ColumnStatistics] {
        var out: [String: ColumnStatistics] = [:]
        let group = metadata.rowGroups[index]
        for (i, leaf) in schemaTree.leaves.enumerated() {
            guard let md = group.columns[i].metaData else { continue }
            var stats = ColumnStatistics(min: nil, max: nil, nullCount: md.statistics?.nullCount, valueCount: md.numValues)
            if let s = md.statistics, let type = try? LogicalMapping.dataType(of: leaf) {
                // Legacy min/max used signed byte order, wrong for strings: trust them for numbers only.
                // Legacy min/max used signed order, wrong for unsigned integers too.
                let legacyOK = ![.byteArray, .fixedLenByteArray].contains(leaf.element.type!)
                    && !LogicalMapping.isUnsigned32(leaf) && !LogicalMapping.isUnsigned64(leaf)
                if let b = s.minValue ?? (legacyOK ? s.legacyMin : nil) { stats.min = LogicalMapping.statValue(b, leaf: leaf, type: type) }
                if let b = s.maxValue ?? (legacyOK ? s.legacyMax : nil) { stats.max = LogicalMapping.statValue(b, leaf: leaf, type: type) }
            }
            out[leaf.dottedPath] = stats
        }
        return out
    }

    /// Statistics of each leaf over the whole file (row groups merged with
    /// `ColumnStatistics.merged`): what a Delta `add` action's JSON stats need.
    public func fileStatistics() -> [String: ColumnStatistics] {
        var out: [String: ColumnStatistics] = [:]
        for g in 0..<rowGroupCount {
            for (name, s) in statistics(rowGroup: g) { out[name] = out[name].map { $0.merged(with: s) } ?? s }
        }
        return out
    }

    /// Row groups that may hold rows satisfying all `predicates` (by their statistics).
    public func rowGroups(matching predicates: [ParquetPredicate]) -> [Int] {
        (0..<rowGroupCount).filter { g in
            let stats = statistics(rowGroup: g)
            return predicates.allSatisfy { p in stats[p.column].map(p.mayMatch) ?? true }
        }
    }

    /// The page index of `leaf` (position in `schemaTree.leaves`) in row group `group`: nil
    /// parts when the file has none or it does not parse (it is then not used).
    public func pageIndex(rowGroup group: Int, leaf: Int) -> (offsets: OffsetIndex?, columns: ColumnIndex?) {
        let loc = metadata.rowGroups[group].columns[leaf].pageIndex
        func region(_ o: Int64?, _ l: Int32?) -> UnsafeRawBufferPointer? {
            guard let o, let l, o >= 4, l > 0, o <= Int64(fileSize - 8) - Int64(l) else { return nil }
            return UnsafeRawBufferPointer(rebasing: bytes[Int(o)..<(Int(o) + Int(l))])
        }
        let offsets = region(loc.offsetIndexOffset, loc.offsetIndexLength).flatMap { try? ThriftReader($0).readOffsetIndex() }
        let columns = region(loc.columnIndexOffset, loc.columnIndexLength).flatMap { try? ThriftReader($0).readColumnIndex() }
        return (offsets, columns)
    }

    /// The byte range of a column chunk's pages.
    private func chunkRange(_ md: ColumnMetaData) -> Range<Int64> {
        var start = md.dataPageOffset
        if let d = md.dictionaryPageOffset, d > 0, d < start { start = d }
        return start..<(start + md.totalCompressedSize)
    }

    /// Rows of row group `group` that pages' statistics say may satisfy all `predicates`
    /// (nil when no predicate column has a usable page index).
    /// - Complexity: O(pages of the predicate columns).
    func rowSelection(group: Int, predicates: [ParquetPredicate]) -> PageSelection.Rows? {
        let groupRows = Int(metadata.rowGroups[group].numRows)
        var selected: PageSelection.Rows = groupRows > 0 ? [0..<groupRows] : []
        var used = false
        for p in predicates {
            guard let i = schemaTree.leaves.firstIndex(where: { $0.dottedPath == p.column }) else { continue }
            let leaf = schemaTree.leaves[i]
            guard leaf.repetitionLevel == 0, let type = try? LogicalMapping.dataType(of: leaf),
                  let md = metadata.rowGroups[group].columns[i].metaData else { continue }
            let index = pageIndex(rowGroup: group, leaf: i)
            guard let offsets = index.offsets, let columns = index.columns,
                  let pageRows = PageSelection.pageRows(offsets, groupRows: groupRows, chunk: chunkRange(md)) else { continue }
            selected = PageSelection.intersect(selected, PageSelection.matchingRows(p, leaf: leaf, type: type, columnIndex: columns, pageRows: pageRows))
            used = true
        }
        return used ? selected : nil
    }

    /// Rows `readTable(where: predicates)` decodes (before exact filtering): those of row groups
    /// their statistics keep, cut to pages the page index keeps when `usePageIndex` is set.
    public func rowsDecoded(where predicates: [ParquetPredicate]) -> Int {
        let (groups, selections) = plan(predicates)
        return groups.reduce(0) { $0 + (selections[$1].map { $0.reduce(0) { $0 + $1.count } } ?? Int(metadata.rowGroups[$1].numRows)) }
    }

    /// Row groups to read and, per group, the rows the page index keeps (absent: all rows).
    private func plan(_ predicates: [ParquetPredicate]) -> ([Int], [Int: PageSelection.Rows]) {
        var groups = predicates.isEmpty ? Array(0..<rowGroupCount) : rowGroups(matching: predicates)
        var selections: [Int: PageSelection.Rows] = [:]
        guard usePageIndex, !predicates.isEmpty else { return (groups, selections) }
        groups = groups.filter { g in
            guard let rows = rowSelection(group: g, predicates: predicates) else { return true }
            if rows.isEmpty { return false }
            if rows != [0..<Int(metadata.rowGroups[g].numRows)] { selections[g] = rows }
            return true
        }
        return (groups, selections)
    }

    /// Leaves selected by `columns`: a name selects a top-level field (all its leaves) or a
    /// dotted leaf path. nil selects everything.
    private func selectLeaves(_ columns: [String]?) throws -> [Int] {
        guard let columns else { return Array(schemaTree.leaves.indices) }
        var out: [Int] = []
        for name in columns {
            if let f = schemaTree.field(name) {
                out.append(contentsOf: f.leafRange)
            } else if let i = schemaTree.leaves.firstIndex(where: { $0.dottedPath == name }) {
                out.append(i)
            } else {
                throw ParquetError.invalidArgument("\(path): no column '\(name)' (columns: \(schemaTree.leaves.map(\.dottedPath).joined(separator: ", ")))")
            }
        }
        return out
    }

    /// Reads selected columns of the row groups that may match `predicates` as a flat table.
    ///
    /// Leaves inside structs become dotted columns (`add.path`). Leaves inside lists or maps
    /// cannot be flattened: they raise `unsupported` (use `readRows`), unless `nestedAsJSON`
    /// is set, in which case every top-level struct, list or map field becomes one string
    /// column holding `NestedValue.jsonText` (and predicates are ignored for row selection).
    /// With `nestedColumns` (which takes precedence), every top-level struct, list or map field
    /// becomes one nested Columnar column (`DataType.list/structure/map`) holding its values,
    /// with nulls and empty lists kept apart, as pyarrow reads it.
    public func readTable(columns: [String]? = nil, where predicates: [ParquetPredicate] = [], nestedAsJSON: Bool = false, nestedColumns: Bool = false) throws -> Table {
        if nestedColumns {
            let names = columns ?? schemaTree.fields.map(\.name)
            if names.contains(where: { schemaTree.field($0).map { !$0.isLeaf || $0.repetition == .repeated } ?? false }) {
                return try readTableNested(names, predicates)
            }
        }
        if nestedAsJSON {
            let names = columns ?? schemaTree.fields.map(\.name)
            if names.contains(where: { schemaTree.field($0).map { !$0.isLeaf } ?? false }) {
                return try readTableWithJSON(names)
            }
        }
        let leaves = try selectLeaves(columns)
        for l in leaves where schemaTree.leaves[l].repetitionLevel > 0 {
            throw ParquetError.unsupported(file: path, message: "column \(schemaTree.leaves[l].dottedPath) is inside a list or map; read it with readRows")
        }
        let (groups, selections) = plan(predicates)
        if selections.isEmpty && !leaves.isEmpty && leaves.allSatisfy({ FlatColumnRead.handles(schemaTree.leaves[$0]) }) {
            let pieces = self.pieces(groups, leaves: leaves)
            if FlatColumnRead.plausible(pieces) {
                let pairs = try FlatColumnRead.read(pieces, columns: leaves.map { (schemaTree.leaves[$0].dottedPath, schemaTree.leaves[$0]) })
                do { return try Table(pairs) } catch { throw ParquetError.invalidArgument("\(path): \(error)") }
            }
        }
        let chunks = try decode(leaves: leaves, groups: groups, selections: selections)
        var pairs: [(String, Column)] = []
        for (k, l) in leaves.enumerated() {
            let leaf = schemaTree.leaves[l]
            let column = try wrap(leaf.dottedPath) { try ParquetReader.flatColumn(leaf, chunks[k]) }
            pairs.append((leaf.dottedPath, column))
        }
        if pairs.isEmpty { return Table(schema: Schema([])) }
        do { return try Table(pairs) } catch { throw ParquetError.invalidArgument("\(path): \(error)") }
    }

    private func readTableWithJSON(_ names: [String]) throws -> Table {
        // Only the selected fields' types are decided: others may be types Columnar cannot hold.
        let fields = try wrap("schema") {
            try schemaTree.fields.filter { names.contains($0.name) }.map { NestedField($0.name, try RecordAssembler.nestedType($0), nullable: $0.repetition != .required) }
        }
        let rows = try readRows(columns: names)
        var pairs: [(String, Column)] = []
        for (k, name) in names.enumerated() {
            guard let field = fields.first(where: { $0.name == name }) else { continue }
            if case let .primitive(t) = field.type {
                pairs.append((name, try wrap(name) { try Column(type: t, values: rows.map { $0[k].primitiveValue ?? .null }) }))
            } else {
                pairs.append((name, try wrap(name) {
                    try Column(type: .string, values: rows.map { $0[k].isNull ? .null : .string($0[k].jsonText(field.type)) })
                }))
            }
        }
        do { return try Table(pairs) } catch { throw ParquetError.invalidArgument("\(path): \(error)") }
    }

    /// Top-level fields `names` (each a whole field, leaves or groups) as Columnar columns:
    /// flat leaves as `readTable` builds them, groups and repeated fields assembled from
    /// their levels into nested columns. Row groups are chosen by `predicates`' statistics.
    private func readTableNested(_ names: [String], _ predicates: [ParquetPredicate]) throws -> Table {
        let nodes = try names.map { name -> SchemaNode in
            guard let f = schemaTree.field(name) else {
                throw ParquetError.invalidArgument("\(path): no top-level column '\(name)' (columns: \(schemaTree.fields.map(\.name).joined(separator: ", ")))")
            }
            return f
        }
        let leaves = nodes.flatMap { Array($0.leafRange) }
        let groups = predicates.isEmpty ? Array(0..<rowGroupCount) : rowGroups(matching: predicates)
        let rows = groups.reduce(0) { $0 + Int(metadata.rowGroups[$1].numRows) }
        let chunks = try decode(leaves: leaves, groups: groups)
        var streams = [LeafStream?](repeating: nil, count: schemaTree.leaves.count)
        var chunkOf: [Int: LeafChunk] = [:]
        for (k, l) in leaves.enumerated() { chunkOf[l] = chunks[k] }
        var pairs: [(String, Column)] = []
        for node in nodes {
            if node.isLeaf && node.repetition != .repeated {
                let column = try wrap(node.dottedPath) { try ParquetReader.flatColumn(node, chunkOf[node.leafRange.lowerBound]!) }
                pairs.append((node.name, column))
                continue
            }
            let type = try wrap(node.dottedPath) { try RecordAssembler.nestedType(node) }
            for l in node.leafRange where streams[l] == nil {
                let leaf = schemaTree.leaves[l]
                let column = try wrap(leaf.dottedPath) {
                    Column(try LogicalMapping.denseData(chunkOf[l]!.values, leaf: leaf, type: try LogicalMapping.dataType(of: leaf)))
                }
                streams[l] = LeafStream(node: leaf, chunk: chunkOf[l]!, column: column)
            }
            let dummy = LeafStream(node: schemaTree.leaves[0], chunk: LeafChunk(definitionLevels: [], repetitionLevels: [], values: PhysicalValues(type: .int32, typeLength: 0), levelCount: 0), column: Column(.int32([])))
            let assembler = RecordAssembler(streams: streams.map { $0 ?? dummy })
            let values = try wrap(node.dottedPath) { try assembler.assemble(node, rows: rows) }
            var builder = ColumnBuilder(type: type.columnarType, capacity: rows)
            try wrap(node.dottedPath) { for v in values { try builder.append(v.columnarValue(type)) } }
            pairs.append((node.name, builder.finish()))
        }
        if pairs.isEmpty { return Table(schema: Schema([])) }
        do {
            return try Table(schema: Schema(zip(nodes, pairs).map { Field($0.name, $1.1.type, nullable: $0.repetition != .required) }), columns: pairs.map(\.1))
        } catch { throw ParquetError.invalidArgument("\(path): \(error)") }
    }

    /// Reads the selected top-level fields (all by default) as nested rows: one array per row,
    /// one `NestedValue` per field, in the order requested.
    public func readRows(columns: [String]? = nil) throws -> [[NestedValue]] {
        let fields = try (columns ?? schemaTree.fields.map(\.name)).map { name -> SchemaNode in
            guard let f = schemaTree.field(name) else { throw ParquetError.invalidArgument("\(path): no top-level column '\(name)'") }
            return f
        }
        let leaves = fields.flatMap { Array($0.leafRange) }
        let chunks = try decode(leaves: leaves, groups: Array(0..<rowGroupCount))
        var streams = [LeafStream?](repeating: nil, count: schemaTree.leaves.count)
        for (k, l) in leaves.enumerated() {
            let leaf = schemaTree.leaves[l]
            let column = try wrap(leaf.dottedPath) {
                Column(try LogicalMapping.denseData(chunks[k].values, leaf: leaf, type: try LogicalMapping.dataType(of: leaf)))
            }
            streams[l] = LeafStream(node: leaf, chunk: chunks[k], column: column)
        }
        let dummy = LeafStream(node: schemaTree.leaves[0], chunk: LeafChunk(definitionLevels: [], repetitionLevels: [], values: PhysicalValues(type: .int32, typeLength: 0), levelCount: 0), column: Column(.int32([])))
        let assembler = RecordAssembler(streams: streams.map { $0 ?? dummy })
        var columnsOut: [[NestedValue]] = []
        for f in fields {
            columnsOut.append(try wrap(f.dottedPath) { try assembler.assemble(f, rows: numRows) })
        }
        return (0..<numRows).map { r in columnsOut.map { $0[r] } }
    }

    /// Decodes the chunks of `leaves` in `groups` in parallel and concatenates each leaf's
    /// chunks in row-group order.
    private func decode(leaves: [Int], groups: [Int], selections: [Int: PageSelection.Rows] = [:]) throws -> [LeafChunk] {
        let tasks = groups.flatMap { g in leaves.indices.map { (g, $0) } }
        // Per (group, leaf) with a row selection: the pages to decode and the rows they hold.
        var subsets: [Int: (ColumnChunkReader.PageSubset, PageSelection.Rows)] = [:]
        for (t, (g, k)) in tasks.enumerated() {
            guard let keep = selections[g], let md = metadata.rowGroups[g].columns[leaves[k]].metaData,
                  let offsets = pageIndex(rowGroup: g, leaf: leaves[k]).offsets,
                  let pageRows = PageSelection.pageRows(offsets, groupRows: Int(metadata.rowGroups[g].numRows), chunk: chunkRange(md)) else { continue }
            var pages: [PageLocation] = [], decoded: PageSelection.Rows = []
            for (i, rows) in pageRows.enumerated() where !PageSelection.intersect([rows], keep).isEmpty {
                pages.append(offsets.pageLocations[i])
                decoded.append(rows)
            }
            subsets[t] = (ColumnChunkReader.PageSubset(pages: pages, rows: decoded.reduce(0) { $0 + $1.count },
                                                       firstDataPageOffset: offsets.pageLocations[0].offset), decoded)
        }
        var results = [Result<LeafChunk, Error>?](repeating: nil, count: tasks.count)
        let tree = schemaTree, meta = metadata, file = bytes, pageSubsets = subsets
        results.withUnsafeMutableBufferPointer { out in
            let slots = out
            DispatchQueue.concurrentPerform(iterations: tasks.count) { t in
                let (g, k) = tasks[t]
                let leaf = tree.leaves[leaves[k]]
                let group = meta.rowGroups[g]
                slots[t] = Result {
                    guard let keep = selections[g] else {
                        return try ColumnChunkReader.read(file: file, meta: group.columns[leaves[k]].metaData!, leaf: leaf, rowGroupRows: group.numRows)
                    }
                    // Page skipping: decode the pages holding selected rows (the whole chunk
                    // when this column has no usable offset index), then keep exactly the
                    // selected rows so every column lines up.
                    let subset = pageSubsets[t]
                    let chunk = try ColumnChunkReader.read(file: file, meta: group.columns[leaves[k]].metaData!, leaf: leaf,
                                                           rowGroupRows: group.numRows, only: subset?.0)
                    let decoded = subset?.1 ?? [0..<Int(group.numRows)]
                    return chunk.keeping(PageSelection.positions(of: keep, in: decoded), maxDefinitionLevel: leaf.definitionLevel)
                }
            }
        }
        var merged: [LeafChunk] = []
        for (k, l) in leaves.enumerated() {
            let leaf = schemaTree.leaves[l]
            var acc = LeafChunk(definitionLevels: [], repetitionLevels: [], values: PhysicalValues(type: leaf.element.type!, typeLength: Int(leaf.element.typeLength ?? 0)), levelCount: 0)
            if groups.count > 1 {
                // Size the merged buffers once so concatenation copies each byte exactly once.
                var values = 0, byteCount = 0, levels = 0, reps = 0
                for gi in groups.indices {
                    if case let .success(c) = results[gi * leaves.count + k]! {
                        values += c.values.count
                        byteCount += c.values.bytes.count
                        levels += c.definitionLevels.count
                        reps += c.repetitionLevels.count
                    }
                }
                acc.values.reserve(values: values, bytes: byteCount)
                acc.definitionLevels.reserveCapacity(levels)
                acc.repetitionLevels.reserveCapacity(reps)
            }
            for (gi, g) in groups.enumerated() {
                let chunk: LeafChunk
                do { chunk = try results[gi * leaves.count + k]!.get() } catch {
                    throw mapError(error, context: "row group \(g), column \(leaf.dottedPath)")
                }
                if groups.count == 1 { acc = chunk; break }
                acc.definitionLevels.append(contentsOf: chunk.definitionLevels)
                acc.repetitionLevels.append(contentsOf: chunk.repetitionLevels)
                acc.values.append(contentsOf: chunk.values)
                acc.levelCount += chunk.levelCount
            }
            merged.append(acc)
        }
        return merged
    }

    /// Row groups `groups` of this file as consecutive output rows, the first at `rowStart`,
    /// reading `leaves`.
    func pieces(_ groups: [Int], leaves: [Int], rowStart: Int = 0) -> [FlatColumnRead.Piece] {
        var start = rowStart
        return groups.map { g in
            let rows = Int(metadata.rowGroups[g].numRows)
            defer { start = start &+ rows }
            return FlatColumnRead.Piece(reader: self, group: g, rowStart: start, rows: rows, leaves: leaves)
        }
    }

    /// Reads one column per entry of `names` from every reader in turn (reader `r` stores
    /// column `names[k]` as its top-level column `fileColumns[r][k]`) as one table whose rows
    /// are the readers' rows in order: the table that reading each file with `readTable` and
    /// concatenating would give, decoded straight into its columns (in parallel over every
    /// file's column chunks). Returns nil when that does not apply: a column that is not a flat
    /// top-level leaf (or is FIXED_LEN_BYTE_ARRAY), files storing a column with different
    /// physical or logical types, or row counts too large to trust before decoding.
    /// - Complexity: O(bytes of the column chunks + rows · columns).
    public static func readConcatenated(_ readers: [ParquetReader], fileColumns: [[String]], names: [String]) throws -> Table? {
        guard !readers.isEmpty, !names.isEmpty, fileColumns.count == readers.count else { return nil }
        var pieces: [FlatColumnRead.Piece] = []
        var first: [SchemaNode] = []
        var rowStart = 0
        for (r, reader) in readers.enumerated() {
            guard fileColumns[r].count == names.count else { return nil }
            var leaves: [Int] = []
            for (k, name) in fileColumns[r].enumerated() {
                guard let field = reader.schemaTree.field(name), field.isLeaf, field.repetition != .repeated else { return nil }
                let leaf = reader.schemaTree.leaves[field.leafRange.lowerBound]
                guard FlatColumnRead.handles(leaf) else { return nil }
                if r == 0 { first.append(leaf) } else {
                    let a = first[k].element, b = leaf.element
                    guard a.type == b.type, a.typeLength == b.typeLength, a.convertedType == b.convertedType, a.scale == b.scale,
                          a.precision == b.precision, a.logicalType == b.logicalType else { return nil }
                }
                leaves.append(field.leafRange.lowerBound)
            }
            let filePieces = reader.pieces(Array(0..<reader.rowGroupCount), leaves: leaves, rowStart: rowStart)
            guard FlatColumnRead.plausible(filePieces) else { return nil }
            rowStart = filePieces.reduce(rowStart) { $0 + $1.rows }
            pieces += filePieces
        }
        guard FlatColumnRead.plausible(pieces) else { return nil }
        let pairs = try FlatColumnRead.read(pieces, columns: Array(zip(names, first)))
        do { return try Table(pairs) } catch { throw ParquetError.invalidArgument("\(readers[0].path): \(error)") }
    }

    /// Calls `body` with the file's bytes, kept alive for the call.
    func withFileBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(bytes) }
    }

    func mapError(_ error: Error, context: String) -> Error {
        switch error {
        case let e as DecodeError: return ParquetError.corrupt(file: path, message: "\(context): \(e.message)")
        case let e as UnsupportedError: return ParquetError.unsupported(file: path, message: "\(context): \(e.message)")
        default: return error
        }
    }

    private func wrap<T>(_ context: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw mapError(error, context: context) }
    }

    /// Builds a flat (non-repeated) leaf's column: nulls where the definition level is below the maximum.
    static func flatColumn(_ leaf: SchemaNode, _ chunk: LeafChunk) throws -> Column {
        let type = try LogicalMapping.dataType(of: leaf)
        let dense = try LogicalMapping.denseData(chunk.values, leaf: leaf, type: type)
        let n = chunk.levelCount
        if leaf.definitionLevel == 0 || dense.count == n {
            guard dense.count == n else { throw DecodeError("\(dense.count) values for \(n) rows") }
            return Column(dense)
        }
        let maxDef = UInt8(leaf.definitionLevel)
        var validity = ValidityBitmap(repeating: false, count: n)
        var positions: [Int] = []
        positions.reserveCapacity(dense.count)
        chunk.definitionLevels.withUnsafeBufferPointer { d in
            for i in 0..<n where d[i] == maxDef {
                validity[i] = true
                positions.append(i)
            }
        }
        guard positions.count == dense.count else { throw DecodeError("\(dense.count) values for \(positions.count) non-null slots") }
        return Column(scatter(dense, positions, n), validity: validity)
    }

    private static func scatter(_ data: ColumnData, _ positions: [Int], _ n: Int) -> ColumnData {
        func spread<T>(_ a: [T], _ zero: T) -> [T] {
            var out = [T](repeating: zero, count: n)
            for (k, p) in positions.enumerated() { out[p] = a[k] }
            return out
        }
        switch data {
        case let .bool(a): return .bool(spread(a, false))
        case let .int32(a): return .int32(spread(a, 0))
        case let .int64(a): return .int64(spread(a, 0))
        case let .float(a): return .float(spread(a, 0))
        case let .double(a): return .double(spread(a, 0))
        case let .date(a): return .date(spread(a, 0))
        case let .timestamp(a): return .timestamp(spread(a, 0))
        case let .decimal(a, p, s): return .decimal(spread(a, 0), precision: p, scale: s)
        case let .decimal128(a, p, s): return .decimal128(spread(a, 0), precision: p, scale: s)
        case let .string(a), let .binary(a):
            var offsets = [Int](repeating: 0, count: n + 1)
            var k = 0
            var end = 0
            for i in 0..<n {
                if k < positions.count && positions[k] == i {
                    end += a.offsets[k + 1] - a.offsets[k]
                    k += 1
                }
                offsets[i + 1] = end
            }
            let arr = StringArray(offsets: offsets, bytes: a.bytes)
            if case .string = data { return .string(arr) }
            return .binary(arr)
        case .list, .structure, .map: preconditionFailure("leaf columns are never nested")
        }
    }
}

/// Keeps an in-memory file alive for the reader.
private final class ByteBox {
    let pointer: UnsafeMutableRawBufferPointer
    let count: Int
    init(_ bytes: [UInt8]) {
        count = bytes.count
        pointer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0) }
    }
    var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer.baseAddress, count: count) }
    deinit { pointer.deallocate() }
}
