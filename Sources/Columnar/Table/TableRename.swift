extension Table {
    /// The same columns with some renamed (`old -> new`); names not in `names` keep theirs.
    /// A name to rename that the table lacks is an error listing its columns, nearest first.
    /// O(columns).
    public func renaming(_ names: [String: String], context: String) throws -> Table {
        for old in names.keys where schema.index(of: old) == nil {
            let hint = KeySuggestion.nearest(old, in: columnNames).map { " (did you mean '\($0)'?)" } ?? ""
            throw ColumnarError.invalidArgument("\(context): no column '\(old)'\(hint); its columns are \(columnNames.joined(separator: ", "))")
        }
        return try Table(zip(columnNames, columns).map { (names[$0] ?? $0, $1) })
    }
}
