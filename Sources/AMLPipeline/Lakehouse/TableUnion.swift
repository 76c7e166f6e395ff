// Bronze batches of one input can differ in columns (a bank adds a column) and in id types
// (one file's ids are all digits, the next has `ACC-7`): silver reads them as one table.
import Columnar

enum TableUnion {
    /// Rows of every table in order, columns matched by name (first appearance order). A
    /// column a table lacks is null there; a column whose types disagree becomes text.
    /// O(total cells).
    static func byName(_ tables: [Table]) throws -> Table {
        guard tables.count > 1 else { return tables[0] }
        var fields: [Field] = []
        for t in tables {
            for f in t.schema.fields {
                if let i = fields.firstIndex(where: { $0.name == f.name }) {
                    if fields[i].type != f.type { fields[i] = Field(f.name, .string) }
                } else {
                    fields.append(Field(f.name, f.type))
                }
            }
        }
        var builders = fields.map { ColumnBuilder(type: $0.type) }
        for t in tables {
            for (k, f) in fields.enumerated() {
                guard let i = t.schema.index(of: f.name) else {
                    for _ in 0..<t.rowCount { builders[k].appendNull() }
                    continue
                }
                let c = t.columns[i]
                if c.type == f.type { builders[k].append(column: c); continue }
                for r in 0..<c.count {
                    if c.isNull(r) { builders[k].appendNull() } else { let v = c.value(at: r); builders[k].append(string: v.stringValue ?? v.description) }
                }
            }
        }
        return try Table(schema: Schema(fields), columns: builders.map { $0.finish() })
    }
}
