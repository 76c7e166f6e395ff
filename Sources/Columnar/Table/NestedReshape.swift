extension Value {
    /// This value laid out as `type`, matching struct fields by name: fields `type` has and
    /// the value lacks become null, fields only the value has are dropped, list elements and
    /// map entries are reshaped one by one. Primitive values are returned unchanged (the
    /// builder that stores them checks that they fit). How Delta reads a nested column of a
    /// file written before a struct gained a field, or with its fields in another order.
    /// - Complexity: O(size of the value × fields per struct).
    public func reshaped(to type: DataType) -> Value {
        switch (self, type) {
        case let (.structure(names, values), .structure(fields)):
            return .structure(names: fields.map(\.name), values: fields.map { f in
                names.firstIndex(of: f.name).map { values[$0].reshaped(to: f.type) } ?? .null
            })
        case let (.list(items), .list(e)):
            return .list(items.map { $0.reshaped(to: e.type) })
        case let (.map(keys, values), .map(k, v)):
            return .map(keys: keys.map { $0.reshaped(to: k.type) }, values: values.map { $0.reshaped(to: v.type) })
        default:
            return self
        }
    }
}

extension Column {
    /// The column as nested type `type`: each row `reshaped(to: layout ?? type)` (fields
    /// matched by name; `layout`, of the same shape as `type`, may carry the names the data
    /// uses, such as Delta's physical names) and stored positionally into `type`.
    /// Throws when a value does not fit. O(size of the column).
    public func reshaped(to type: DataType, layout: DataType? = nil) throws -> Column {
        var b = ColumnBuilder(type: type, capacity: count)
        let target = layout ?? type
        for r in 0..<count {
            do { try b.append(value(at: r).reshaped(to: target)) } catch {
                throw ColumnarError.invalidArgument("row \(r + 1): \(error)")
            }
        }
        return b.finish()
    }
}
