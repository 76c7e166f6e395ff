// Ids as given: scenarios whose kernels index by integer (synthetic identity, behaviour
// anomaly) run on dense codes 0..<n, and their outputs get the original ids back, so a bank's
// `ACC-000123` comes out of every gold table exactly as it went in.
import Columnar

/// A bijection between the distinct ids of some columns (integers or strings) and dense
/// integer codes, assigned in id order (integers numerically, strings by UTF-8 bytes): "the
/// smallest id" means the same before and after coding.
///
/// - Complexity: O(k log k) to build for k distinct ids; O(1) expected per coded value.
public struct DenseEntityIDs: Sendable {
    /// The distinct ids in code order.
    public let ids: [Value]
    /// Whether the ids were strings (decoded columns are then strings).
    public let isText: Bool
    private let codeOf: [Value: Int64]

    /// The distinct non-null ids of `columns`.
    public init(_ columns: [Column]) {
        var seen = Set<Value>()
        var text = false
        for c in columns {
            for r in 0..<c.count where !c.isNull(r) {
                let v = DenseEntityIDs.key(c.value(at: r))
                if case .string = v { text = true }
                seen.insert(v)
            }
        }
        // One kind of id: integers become text when any id is text.
        let all = text ? Set(seen.map { DenseEntityIDs.text($0) }) : seen
        ids = all.sorted { a, b in (compareValues(a, b) ?? 0) < 0 }
        isText = text
        var map: [Value: Int64] = [:]
        map.reserveCapacity(ids.count)
        for (i, v) in ids.enumerated() { map[v] = Int64(i) }
        codeOf = map
    }

    /// True when `columns` hold anything but integer ids (so coding is needed).
    public static func needed(_ columns: [Column]) -> Bool {
        columns.contains { c in
            switch c.data { case .int64, .int32: return false; default: return true }
        }
    }

    static func key(_ v: Value) -> Value {
        switch v {
        case .int, .string: return v
        default: return .string(v.description)
        }
    }

    static func text(_ v: Value) -> Value {
        if case let .string(s) = v { return .string(s) }
        return .string(v.description)
    }

    /// The code of one id (nil when unknown or null).
    public func code(_ v: Value) -> Int64? {
        guard !v.isNull else { return nil }
        let k = isText ? DenseEntityIDs.text(v) : DenseEntityIDs.key(v)
        return codeOf[k]
    }

    /// `c` as int64 codes (nulls and unknown ids stay null).
    public func encode(_ c: Column) -> Column {
        var b = ColumnBuilder(type: .int64, capacity: c.count)
        for r in 0..<c.count {
            if let k = code(c.value(at: r)) { b.append(int: k) } else { b.appendNull() }
        }
        return b.finish()
    }

    /// `table` with `names` (those it has) replaced by their codes.
    public func encode(_ table: Table, columns names: [String]) throws -> Table {
        try DenseEntityIDs.replacing(names, in: table, with: encode)
    }

    static func replacing(_ names: [String], in table: Table, with transform: (Column) -> Column) throws -> Table {
        try Table(zip(table.schema.fields, table.columns).map { f, c in (f.name, names.contains(f.name) ? transform(c) : c) })
    }

    /// Codes back to ids: an int64 code column becomes the original ids' column.
    public func decode(_ c: Column) -> Column {
        var b = ColumnBuilder(type: isText ? .string : .int64, capacity: c.count)
        for r in 0..<c.count {
            guard let k = c.value(at: r).intValue, k >= 0, Int(k) < ids.count else { b.appendNull(); continue }
            switch ids[Int(k)] {
            case let .int(x): b.append(int: x)
            case let .string(s): b.append(string: s)
            default: b.appendNull()
            }
        }
        return b.finish()
    }

    /// `table` with the code columns `names` (those it has) turned back into ids.
    public func decode(_ table: Table, columns names: [String]) throws -> Table {
        try DenseEntityIDs.replacing(names, in: table, with: decode)
    }
}
