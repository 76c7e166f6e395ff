/// The spine of amlgraph: an immutable-by-value, typed, nullable, columnar table.
///
/// Every reader (CSV, Parquet, Delta) produces one, every algorithm takes and returns one,
/// and every writer stores one. Columns are flat arrays (see `ColumnData`), so a table of
/// n rows and c columns costs O(n·c) memory with no per-cell objects.
public struct Table: Hashable, Sendable {
    public private(set) var schema: Schema
    public private(set) var columns: [Column]

    /// An empty table with the given schema.
    public init(schema: Schema) {
        self.schema = schema
        columns = schema.fields.map { ColumnBuilder(type: $0.type).finish() }
    }

    /// A table from matching fields and columns. All columns must have the same length and
    /// the types must agree with the schema.
    public init(schema: Schema, columns: [Column]) throws {
        guard schema.count == columns.count else {
            throw ColumnarError.invalidArgument("schema has \(schema.count) fields but \(columns.count) columns were given")
        }
        var seen = Set<String>()
        for (f, c) in zip(schema.fields, columns) {
            guard seen.insert(f.name).inserted else { throw ColumnarError.invalidArgument("duplicate column name '\(f.name)'") }
            guard f.type == c.type else { throw ColumnarError.typeMismatch(column: f.name, expected: f.type.description, found: c.type) }
            guard c.count == columns[0].count else {
                throw ColumnarError.invalidArgument("column '\(f.name)' has \(c.count) rows, expected \(columns[0].count)")
            }
        }
        self.schema = schema
        self.columns = columns
    }

    /// A table from `(name, column)` pairs; the schema is derived from the columns.
    public init(_ pairs: [(String, Column)]) throws {
        try self.init(schema: Schema(pairs.map { Field($0.0, $0.1.type) }), columns: pairs.map(\.1))
    }

    public var rowCount: Int { columns.first?.count ?? 0 }
    public var columnCount: Int { columns.count }
    public var columnNames: [String] { schema.names }

    /// The column called `name`, or an error that lists the columns that exist.
    public func column(_ name: String) throws -> Column {
        guard let i = schema.index(of: name) else { throw missingColumn(name) }
        return columns[i]
    }

    /// The error for a column that does not exist, naming the ones that do.
    public func missingColumn(_ name: String, in source: String? = nil) -> ColumnarError {
        let prefix = source.map { "\($0): " } ?? ""
        return .invalidArgument("\(prefix)no column '\(name)' (columns are: \(columnNames.joined(separator: ", ")))")
    }

    /// Cell at `row`, `column` as a `Value`.
    public func value(row: Int, column: Int) -> Value { columns[column].value(at: row) }

    /// Row `row` as values, in schema order. For tests and small outputs.
    public func row(_ row: Int) -> [Value] { columns.map { $0.value(at: row) } }

    /// All rows as values. O(n·c); for tests and small outputs only.
    public var rows: [[Value]] { (0..<rowCount).map(row) }

    /// The named columns, in the given order.
    public func select(_ names: [String]) throws -> Table {
        let cols = try names.map { try column($0) }
        return try Table(schema: Schema(names.map { schema.fields[schema.index(of: $0)!] }), columns: cols)
    }

    /// The rows at `indices`, in that order.
    public func gather(_ indices: [Int]) -> Table {
        var t = self
        t.columns = columns.map { $0.gather(indices) }
        return t
    }

    /// Rows `range`.
    public func slice(_ range: Range<Int>) -> Table { gather(Array(range)) }

    /// This table with `column` appended (or replacing one of the same name).
    public func adding(_ name: String, _ column: Column) throws -> Table {
        guard columns.isEmpty || column.count == rowCount else {
            throw ColumnarError.invalidArgument("column '\(name)' has \(column.count) rows, table has \(rowCount)")
        }
        var t = self
        if let i = schema.index(of: name) {
            t.schema.fields[i] = Field(name, column.type)
            t.columns[i] = column
        } else {
            t.schema.fields.append(Field(name, column.type))
            t.columns.append(column)
        }
        return t
    }

    /// This table with a column renamed.
    public func renaming(_ old: String, to new: String) throws -> Table {
        guard let i = schema.index(of: old) else { throw missingColumn(old) }
        var t = self
        t.schema.fields[i].name = new
        return t
    }

    /// Tables with identical schemas stacked in order.
    public static func concatenate(_ tables: [Table]) throws -> Table {
        guard let first = tables.first else { throw ColumnarError.invalidArgument("nothing to concatenate") }
        if tables.count == 1 { return first }
        var builders = first.schema.fields.map { ColumnBuilder(type: $0.type) }
        for t in tables {
            guard t.schema.fields.map(\.type) == first.schema.fields.map(\.type), t.columnNames == first.columnNames else {
                throw ColumnarError.invalidArgument("cannot concatenate tables with schemas \(first.schema) and \(t.schema)")
            }
            for (i, c) in t.columns.enumerated() { builders[i].append(column: c) }
        }
        return try Table(schema: first.schema, columns: builders.map { $0.finish() })
    }
}
