import Columnar

/// A one-comparison edge filter, `COLUMN OP VALUE` with OP one of `= == != <> < <= > >=`
/// (for example `amount >= 1000` or `channel = 'wire'`). A stand-in until the shared
/// expression language lands in Columnar; null cells never pass.
struct EdgeFilter {
    enum Op: String { case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=" }
    let column: String
    let op: Op
    let literal: String

    init(_ text: String) throws {
        let ops: [(String, Op)] = [(">=", .ge), ("<=", .le), ("!=", .ne), ("<>", .ne), ("==", .eq), ("=", .eq), (">", .gt), ("<", .lt)]
        for (token, op) in ops {
            if let r = text.range(of: token) {
                let lhs = text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
                var rhs = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !lhs.isEmpty, !rhs.isEmpty else { break }
                if rhs.count >= 2, let f = rhs.first, f == "'" || f == "\"", rhs.last == f { rhs = String(rhs.dropFirst().dropLast()) }
                column = lhs; self.op = op; literal = rhs
                return
            }
        }
        throw CLIError("--edge-filter '\(text)': expected COLUMN OP VALUE with OP one of = != < <= > >= (e.g. \"amount >= 1000\")")
    }

    /// One Bool per row of `table`. Numeric columns compare numerically, others as text.
    func mask(_ table: Table) throws -> [Bool] {
        guard table.columnNames.contains(column) else {
            throw CLIError("--edge-filter: the edges have no column '\(column)' (columns: \(table.columnNames.joined(separator: ", ")))")
        }
        let c = try table.column(column)
        let numeric: Double?
        if c.type.isNumeric {
            guard let x = Double(literal) else { throw CLIError("--edge-filter: column '\(column)' is numeric but '\(literal)' is not a number") }
            numeric = x
        } else {
            numeric = nil
        }
        return (0..<table.rowCount).map { i in
            if c.isNull(i) { return false }
            let cell = c.value(at: i)
            if let numeric, let x = cell.doubleValue { return compare(x, numeric) }
            return compare(cell.description, literal)
        }
    }

    private func compare<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch op {
        case .eq: return a == b
        case .ne: return a != b
        case .lt: return a < b
        case .le: return a <= b
        case .gt: return a > b
        case .ge: return a >= b
        }
    }
}
