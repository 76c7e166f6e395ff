import Columnar
import Foundation

/// The predicate files are skipped by (shared with Parquet row-group skipping).
public typealias DeltaFilter = ColumnComparison

extension ColumnComparison {
    /// Parses `col=value`, `col>=value`, ... with the value typed by the column's type (the
    /// form `DeltaTable.read(filters:)` callers build by hand; the CLI passes a `RowFilter`).
    public static func parse(_ text: String, schema: Schema) throws -> ColumnComparison {
        for op in [Op.le, .ge, .ne, .eq, .lt, .gt] {
            guard let r = text.range(of: op.rawValue) else { continue }
            let col = text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            let raw = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
            guard let f = schema.fields.first(where: { $0.name == col }) else {
                throw DeltaError.invalidArgument("filter '\(text)': no column '\(col)'")
            }
            let v = raw == "null" ? Value.null : try PartitionValues.parse(raw, as: f.type, column: col, file: "filter '\(text)'")
            return ColumnComparison(col, op, v)
        }
        throw DeltaError.invalidArgument("filter '\(text)' is not 'column op value' with op one of = != < <= > >=")
    }
}

extension DeltaTable {
    /// Reads a snapshot as one Columnar table: optional projection (`columns`, in that order)
    /// and filters (files skipped by partition values and stats, rows filtered exactly).
    /// Partition columns are rebuilt from `add.partitionValues`. O(rows read).
    public static func read(_ root: String, version: Int64? = nil, timestamp: Int64? = nil, columns: [String]? = nil, filters: [DeltaFilter] = []) throws -> Table {
        try read(Snapshot.load(root, version: version, timestamp: timestamp), columns: columns, filters: filters)
    }

    /// Reads `snapshot` keeping the rows where `filter` (the expression language) is true:
    /// files are skipped by the filter's `column op literal` terms, then rows are filtered by
    /// the whole expression. Columns the filter reads but `columns` omits are read and dropped.
    /// O(rows read · expression size).
    public static func read(_ snapshot: Snapshot, columns: [String]? = nil, where filter: RowFilter) throws -> Table {
        let schema = try DeltaSchema.columnarSchema(snapshot.fields, strict: false)
        try filter.check(schema)
        let wanted = columns ?? snapshot.fields.map(\.name)
        let needed = wanted + filter.columns.filter { !wanted.contains($0) }
        let table = try filter.apply(read(snapshot, columns: needed, filters: filter.comparisons(in: schema)))
        return needed.count == wanted.count ? table : try table.select(wanted)
    }

    /// The files of `snapshot` that may hold rows matching every filter. With column mapping
    /// the filters are put in physical names, which partition values and stats use.
    public static func candidateFiles(_ snapshot: Snapshot, filters: [DeltaFilter]) throws -> [AddAction] {
        guard !filters.isEmpty else { return snapshot.files }
        let mapping = try snapshot.columnMapping()
        var types: [String: DataType] = [:]
        for f in snapshot.fields { if let t = f.type { types[mapping.physicalName(f.name)] = t } }
        let partitions = Set(snapshot.partitionColumns.map(mapping.physicalName))
        let physical = filters.map { ColumnComparison(mapping.physicalName($0.column), $0.op, $0.value) }
        return try snapshot.files.filter { try fileMayMatch($0, filters: physical, types: types, partitions: partitions) }
    }

    /// False only when `add`'s partition values or stats prove that no row of the file
    /// satisfies every filter (filters on columns without a type in `types` are ignored).
    /// Pure: used for file skipping and for conflict detection against concurrent adds.
    public static func fileMayMatch(_ add: AddAction, filters: [DeltaFilter], types: [String: DataType], partitions: Set<String>) throws -> Bool {
        var stats: FileStats?
        var parsedStats = false
        for filter in filters {
            guard let type = types[filter.column] else { continue }
            if partitions.contains(filter.column) {
                let raw = add.partitionValues[filter.column] ?? nil
                let v = try PartitionValues.parse(raw, as: type, column: filter.column, file: add.path)
                if !filter.matches(v) { return false }
            } else {
                if !parsedStats { stats = add.stats.flatMap { FileStats.parse($0, types: types, context: add.path) }; parsedStats = true }
                guard let s = stats else { continue }
                let allNull = s.numRecords >= 0 && s.nullCount[filter.column] == s.numRecords
                if !filter.mayMatch(min: s.minValues[filter.column], max: s.maxValues[filter.column], allNull: allNull) { return false }
            }
        }
        return true
    }

    /// Reads `snapshot` (see `read(_:version:timestamp:columns:filters:)`). Nested columns
    /// (struct, array, map) come back as nested columns, struct fields matched by name.
    public static func read(_ snapshot: Snapshot, columns: [String]? = nil, filters: [DeltaFilter] = []) throws -> Table {
        let wanted = columns ?? snapshot.fields.map(\.name)
        var types: [String: DataType] = [:]
        for name in wanted {
            guard let f = snapshot.fields.first(where: { $0.name == name }) else {
                throw DeltaError.invalidArgument("\(snapshot.root): no column '\(name)' (columns: \(snapshot.fields.map(\.name).joined(separator: ", ")))")
            }
            guard let t = f.type else {
                throw DeltaError.unsupported("\(snapshot.root): column '\(name)' has type \(f.typeName), which amlgraph tables cannot hold; project it away with --columns")
            }
            types[name] = t
        }
        for filter in filters {
            guard let f = snapshot.fields.first(where: { $0.name == filter.column }), let t = f.type else {
                throw DeltaError.invalidArgument("\(snapshot.root): filter on unknown column '\(filter.column)'")
            }
            types[filter.column] = t
        }
        let needed = wanted + filters.map(\.column).filter { !wanted.contains($0) }
        let partitions = Set(snapshot.partitionColumns)
        let files = try candidateFiles(snapshot, filters: filters)
        let mapping = try snapshot.columnMapping()
        // Several plain files (no filters, deletion vectors or partition columns): decoded
        // straight into one table's columns instead of a table per file, then concatenated.
        if files.count > 1, files.count <= 1024, filters.isEmpty, !needed.contains(where: partitions.contains),
           files.allSatisfy({ $0.deletionVector == nil }) {
            let paths = try files.map { try TablePaths.resolve($0.path, root: snapshot.root) }
            if let table = try DataFiles.readConcatenated(paths: paths, columns: needed, types: types, mapping: mapping) {
                return needed.count == wanted.count ? table : try table.select(wanted)
            }
        }
        var pieces = [Table?](repeating: nil, count: files.count)
        var failure: Error?
        let lock = NSLock()
        // Files are independent: read them concurrently, assemble in log order.
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            do {
                let add = files[i]
                let path = try TablePaths.resolve(add.path, root: snapshot.root)
                let stored = needed.filter { !partitions.contains($0) }
                var t = try DataFiles.read(path: path, columns: stored, types: types, mapping: mapping)
                var rows = stored.isEmpty ? try ParquetBridge.rowCount(path: path) : t.rowCount
                // Rows a deletion vector marks as deleted are not part of the table.
                if let dv = add.deletionVector {
                    let deleted = try DeletionVectors.positions(dv, root: snapshot.root, rowCount: rows, dataFile: add.path)
                    if !deleted.isEmpty {
                        var keep: [Int] = []
                        keep.reserveCapacity(rows - deleted.count)
                        var d = 0
                        for r in 0..<rows { if d < deleted.count && deleted[d] == r { d += 1 } else { keep.append(r) } }
                        if !stored.isEmpty { t = t.gather(keep) }
                        rows = keep.count
                    }
                }
                var pairs: [(String, Column)] = []
                for name in needed {
                    if partitions.contains(name) {
                        // Every partition column must be listed (null is written as null): a key
                        // that is missing or spelt otherwise (a NUL inside it) is not a null value.
                        guard let raw = add.partitionValues[mapping.physicalName(name)] else {
                            let keys = add.partitionValues.keys.sorted().map { $0.unicodeScalars.map { $0.value < 32 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() }
                            throw DeltaError.corruptLog(add.path, "its partitionValues lack partition column '\(mapping.physicalName(name))' (keys: \(keys.joined(separator: ", ")))")
                        }
                        let v = try PartitionValues.parse(raw, as: types[name]!, column: name, file: add.path)
                        pairs.append((name, try PartitionValues.constantColumn(v, type: types[name]!, count: rows)))
                    } else {
                        pairs.append((name, try t.column(name)))
                    }
                }
                t = try Table(pairs)
                if !filters.isEmpty {
                    let cols = try filters.map { try t.column($0.column) }
                    let keep = (0..<t.rowCount).filter { r in zip(filters, cols).allSatisfy { $0.matches($1.value(at: r)) } }
                    if keep.count != t.rowCount { t = t.gather(keep) }
                }
                lock.lock(); pieces[i] = t; lock.unlock()
            } catch {
                lock.lock(); if failure == nil { failure = error }; lock.unlock()
            }
        }
        if let failure { throw failure }
        var tables = pieces.compactMap { $0 }
        if tables.isEmpty {
            tables = [try Table(needed.map { ($0, try PartitionValues.constantColumn(.null, type: types[$0]!, count: 0)) })]
        }
        let all = try Table.concatenate(tables)
        return needed.count == wanted.count ? all : try all.select(wanted)
    }
}
