/// Row positions into a table: which table row feeds each of the N evaluated rows.
///
/// Motif search binds `e1` to edge rows as `[Int32]`, Pregel binds `src` to vertex rows
/// through the edges' source ids (`[UInt32]`), blocking binds `l`/`r` to record rows
/// (`[Int]`). Every position is checked against the table before evaluation.
public enum RowIndices: Sendable {
    case int32([Int32])
    case uint32([UInt32])
    case int([Int])

    public var count: Int {
        switch self {
        case let .int32(a): return a.count
        case let .uint32(a): return a.count
        case let .int(a): return a.count
        }
    }

    @inlinable public subscript(i: Int) -> Int {
        switch self {
        case let .int32(a): return Int(a[i])
        case let .uint32(a): return Int(a[i])
        case let .int(a): return a[i]
        }
    }

    /// As `[Int]`, after checking each position is in `0..<rowCount`. O(n).
    func checkedInts(rowCount: Int, qualifier: String) throws -> [Int] {
        var out = [Int](repeating: 0, count: count)
        var bad: Int?
        switch self {
        case let .int32(a): for (i, x) in a.enumerated() { out[i] = Int(x); if x < 0 || Int(x) >= rowCount { bad = i } }
        case let .uint32(a): for (i, x) in a.enumerated() { out[i] = Int(x); if Int(x) >= rowCount { bad = i } }
        case let .int(a): for (i, x) in a.enumerated() { out[i] = x; if x < 0 || x >= rowCount { bad = i } }
        }
        if let bad {
            throw ColumnarError.invalidArgument("row index \(self[bad]) for '\(qualifier)' at position \(bad) is outside its table of \(rowCount) rows")
        }
        return out
    }
}

/// One qualifier's data for evaluation: a table and, optionally, which of its rows feed
/// each evaluated row (nil = row i feeds row i).
public struct ExpressionInput: Sendable {
    public var table: Table
    public var rows: RowIndices?

    public init(_ table: Table, rows: RowIndices? = nil) {
        self.table = table
        self.rows = rows
    }

    var count: Int { rows?.count ?? table.rowCount }
}
