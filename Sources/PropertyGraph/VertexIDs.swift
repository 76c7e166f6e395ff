import Columnar

/// External vertex ids, indexed by dense internal id and stored in ascending order
/// (integer order for integers, byte order for strings). Because internal ids follow the
/// external order, "smallest external id" is simply "smallest internal id".
public enum VertexIDs: Sendable, Equatable {
    case int([Int64])
    case string(StringArray)

    public var count: Int {
        switch self {
        case let .int(a): return a.count
        case let .string(s): return s.count
        }
    }

    /// The ids as a table column.
    public var column: Column {
        switch self {
        case let .int(a): return Column(.int64(a))
        case let .string(s): return Column(.string(s))
        }
    }

    /// Internal ids mapped to their external ids, as a column (for result tables).
    public func column(for internalIDs: [UInt32]) -> Column {
        switch self {
        case let .int(a): return Column(.int64(internalIDs.map { a[Int($0)] }))
        case let .string(s): return Column(.string(s.gather(internalIDs.map { Int($0) })))
        }
    }

    /// One id as text, for messages.
    public func text(_ v: UInt32) -> String {
        switch self {
        case let .int(a): return String(a[Int(v)])
        case let .string(s): return s[Int(v)]
        }
    }

    /// The internal id of an external id, by binary search. O(log V).
    public func internalID(of value: Value) -> UInt32? {
        switch (self, value) {
        case let (.int(a), .int(x)):
            var lo = 0, hi = a.count
            while lo < hi { let m = (lo + hi) / 2; if a[m] < x { lo = m + 1 } else { hi = m } }
            return lo < a.count && a[lo] == x ? UInt32(lo) : nil
        case let (.string(s), .string(x)):
            let key = Array(x.utf8)
            var lo = 0, hi = s.count
            while lo < hi {
                let m = (lo + hi) / 2
                if s.byteSlice(m).lexicographicallyPrecedes(key) { lo = m + 1 } else { hi = m }
            }
            return lo < s.count && Array(s.byteSlice(lo)) == key ? UInt32(lo) : nil
        default:
            return nil
        }
    }
}
