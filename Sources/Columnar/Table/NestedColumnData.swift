/// The layout of a list column (Arrow's list layout): row `i` holds the child rows
/// `offsets[i]..<offsets[i + 1]` of `values`. A null row has an empty range.
public struct ListData: Hashable, Sendable {
    /// The element field: name, type (equal to `values.type`) and element nullability.
    public var element: Field
    /// `rows + 1` offsets into `values`, non-decreasing, starting at 0.
    public var offsets: [Int]
    /// All elements of all rows, in row order.
    public var values: Column

    public init(element: Field, offsets: [Int], values: Column) {
        precondition(offsets.first == 0 && offsets.last == values.count, "list offsets must span the child column")
        self.element = element
        self.offsets = offsets
        self.values = values
    }

    public var count: Int { offsets.count - 1 }
}

/// The layout of a struct column (Arrow's struct layout): one child column per field, each
/// `count` rows long. A null struct row holds null placeholders in its children.
public struct StructData: Hashable, Sendable {
    public var fields: [Field]
    public var children: [Column]
    public var count: Int

    public init(fields: [Field], children: [Column], count: Int) {
        precondition(fields.count == children.count && children.allSatisfy { $0.count == count }, "struct children must match fields and rows")
        self.fields = fields
        self.children = children
        self.count = count
    }
}

/// The layout of a map column (Arrow's map layout): row `i` holds the entries
/// `offsets[i]..<offsets[i + 1]` of the parallel `keys` and `values` columns.
public struct MapData: Hashable, Sendable {
    public var key: Field
    public var value: Field
    public var offsets: [Int]
    public var keys: Column
    public var values: Column

    public init(key: Field, value: Field, offsets: [Int], keys: Column, values: Column) {
        precondition(offsets.first == 0 && offsets.last == keys.count && keys.count == values.count, "map offsets must span the key and value columns")
        self.key = key
        self.value = value
        self.offsets = offsets
        self.keys = keys
        self.values = values
    }

    public var count: Int { offsets.count - 1 }
}

extension Column {
    /// Row `row` of a nested column as a `Value` (recursively). O(size of the row's value).
    func nestedValue(at row: Int) -> Value {
        switch data {
        case let .list(l):
            return .list((l.offsets[row]..<l.offsets[row + 1]).map { l.values.value(at: $0) })
        case let .structure(s):
            return .structure(names: s.fields.map(\.name), values: s.children.map { $0.value(at: row) })
        case let .map(m):
            let r = m.offsets[row]..<m.offsets[row + 1]
            return .map(keys: r.map { m.keys.value(at: $0) }, values: r.map { m.values.value(at: $0) })
        default:
            return value(at: row)
        }
    }

    /// `gather` for nested layouts: child rows follow their parents.
    static func gatherNested(_ data: ColumnData, _ indices: [Int]) -> ColumnData {
        func spans(_ offsets: [Int]) -> ([Int], [Int]) {
            var newOffsets = [0]
            newOffsets.reserveCapacity(indices.count + 1)
            var child: [Int] = []
            for i in indices {
                child.append(contentsOf: offsets[i]..<offsets[i + 1])
                newOffsets.append(child.count)
            }
            return (newOffsets, child)
        }
        switch data {
        case let .list(l):
            let (o, c) = spans(l.offsets)
            return .list(ListData(element: l.element, offsets: o, values: l.values.gather(c)))
        case let .structure(s):
            return .structure(StructData(fields: s.fields, children: s.children.map { $0.gather(indices) }, count: indices.count))
        case let .map(m):
            let (o, c) = spans(m.offsets)
            return .map(MapData(key: m.key, value: m.value, offsets: o, keys: m.keys.gather(c), values: m.values.gather(c)))
        default:
            preconditionFailure("gatherNested on a flat column")
        }
    }
}
