// The silver rows a run keeps for gold: its batches (and, on an incremental day, the silver
// read back) stacked into one table without doubling memory.
import Columnar

enum KeptSilver {
    /// `tables` (equal schemas) stacked in order, column by column: each result column is
    /// allocated at its final size, and the pieces it was made from are released before the
    /// next column is built, so the peak is the pieces plus one column (not twice the pieces,
    /// as stacking all columns first would need). `tables` is emptied. Rows and values are
    /// those of `Table.concatenate`. O(rows · columns + bytes).
    static func concatenate(_ tables: inout [Table]) throws -> Table {
        // Only the schema is taken from the first table: holding the table itself would keep
        // its columns (on an incremental day, all of the silver read back) alive to the end.
        guard let schema = tables.first?.schema else { throw ColumnarError.invalidArgument("nothing to concatenate") }
        for t in tables where t.schema.fields.map(\.type) != schema.fields.map(\.type) || t.columnNames != schema.names {
            throw ColumnarError.invalidArgument("cannot concatenate tables with schemas \(schema) and \(t.schema)")
        }
        if tables.count == 1 { return tables.removeLast() }
        var pieces = tables.map(\.columns)
        tables = []
        let rows = pieces.reduce(0) { $0 + ($1.first?.count ?? 0) }
        var out: [Column] = []
        out.reserveCapacity(schema.fields.count)
        for (i, field) in schema.fields.enumerated() {
            switch field.type {
            case .string, .binary:
                out.append(strings(pieces.map { $0[i] }, type: field.type, rows: rows))
            default:
                var b = ColumnBuilder(type: field.type, capacity: rows)
                for p in pieces { b.append(column: p[i]) }
                out.append(b.finish())
            }
            for k in pieces.indices { pieces[k][i] = Column(.bool([])) }   // release the piece
        }
        return try Table(schema: schema, columns: out)
    }

    /// String or binary columns stacked into one byte buffer and offsets allocated once.
    static func strings(_ columns: [Column], type: DataType, rows: Int) -> Column {
        var byteCount = 0
        for c in columns { if case let .string(a) = c.data { byteCount += a.bytes.count } else if case let .binary(a) = c.data { byteCount += a.bytes.count } }
        var offsets = [Int](), bytes = [UInt8]()
        offsets.reserveCapacity(rows + 1)
        bytes.reserveCapacity(byteCount)
        offsets.append(0)
        let nullable = columns.contains { $0.validity != nil }
        var validity = ValidityBitmap()
        if nullable { validity.reserveCapacity(rows) }
        for c in columns {
            let a: StringArray
            switch c.data {
            case let .string(s), let .binary(s): a = s
            default: preconditionFailure("strings(_:) of a \(c.type) column")
            }
            let base = bytes.count
            bytes.append(contentsOf: a.bytes)
            for k in 1..<a.offsets.count { offsets.append(a.offsets[k] + base) }
            if nullable { validity.append(contentsOf: c.validity ?? ValidityBitmap(repeating: true, count: a.count)) }
        }
        let array = StringArray(offsets: offsets, bytes: bytes)
        return Column(type == .binary ? .binary(array) : .string(array), validity: nullable ? validity : nil)
    }
}
