import Columnar
import Foundation
import GraphAlgorithms

/// Writes motif rows as JSON Lines (as Spark's `df.write.json` does), nesting `a.id`,
/// `a.name` into `{"a": {"id": .., "name": ..}}` like GraphFrames' struct columns. An element
/// whose key field (`id`, or `src` for edges) is null is written as `null`.
public final class MotifJSONWriter {
    private let file: AtomicFileWriter
    private let groups: [(name: String, fields: [(field: String, column: Int)])]

    /// Opens `path` for writing (replaced atomically at `commit`); `columns` are the motif table's column names.
    public init(path: String, query: MotifQuery, columns: [String]) throws {
        file = try AtomicFileWriter(path: path)
        var groups: [(String, [(String, Int)])] = []
        for (i, c) in columns.enumerated() {
            if let dot = c.firstIndex(of: ".") {
                let g = String(c[..<dot]), f = String(c[c.index(after: dot)...])
                if let k = groups.firstIndex(where: { $0.0 == g }) { groups[k].1.append((f, i)) } else { groups.append((g, [(f, i)])) }
            } else {
                groups.append((c, [("", i)]))
            }
        }
        self.groups = groups.map { (name: $0.0, fields: $0.1.map { (field: $0.0, column: $0.1) }) }
    }

    /// Appends one JSON object per row of `table`.
    /// - Complexity: O(rows × columns).
    public func write(_ table: Table) throws {
        try file.append { buf in
            for r in 0..<table.rowCount {
                buf.append(UInt8(ascii: "{"))
                for (gi, g) in groups.enumerated() {
                    if gi > 0 { buf.append(UInt8(ascii: ",")) }
                    Self.string(g.name, &buf)
                    buf.append(UInt8(ascii: ":"))
                    if g.fields.count == 1 && g.fields[0].field.isEmpty {
                        Self.value(table.columns[g.fields[0].column].value(at: r), &buf)
                        continue
                    }
                    if table.columns[g.fields[0].column].isNull(r) { buf += Array("null".utf8); continue }
                    buf.append(UInt8(ascii: "{"))
                    for (fi, f) in g.fields.enumerated() {
                        if fi > 0 { buf.append(UInt8(ascii: ",")) }
                        Self.string(f.field, &buf)
                        buf.append(UInt8(ascii: ":"))
                        Self.value(table.columns[f.column].value(at: r), &buf)
                    }
                    buf.append(UInt8(ascii: "}"))
                }
                buf += Array("}\n".utf8)
            }
        }
    }

    /// Moves the written file into place.
    public func commit() throws { try file.commit() }

    static func value(_ v: Value, _ buf: inout [UInt8]) {
        switch v {
        case .null: buf += Array("null".utf8)
        case let .bool(b): buf += Array((b ? "true" : "false").utf8)
        case let .int(i): buf += Array(String(i).utf8)
        case let .double(d): buf += Array((d.isFinite ? formatDouble(d) : "null").utf8)
        case let .string(s): string(s, &buf)
        case .decimal: buf += Array(v.description.utf8)
        default: string(v.description, &buf)
        }
    }

    static func string(_ s: String, _ buf: inout [UInt8]) { JSONText.appendQuoted(s, to: &buf) }
}
