import Columnar

/// Byte-level evaluation of the blocking keys written most often: a text column, optionally
/// under `lower`, `upper` and `substr(x, start[, length])` with integer literals, as in
/// `substr(lower(l.name), 1, 5)`.
///
/// It applies only when every non-null value of the column is ASCII without a carriage
/// return: there a character is one byte (no "\r\n" grapheme) and case mapping touches A–Z
/// only, so the bytes equal what the expression language's `lower`/`substr` (on
/// characters) return. Otherwise, or for any other expression, `evaluate` returns nil and
/// the caller uses the general evaluator. O(rows · key length).
enum ASCIIKeyExpression {
    indirect enum Step: Equatable {
        case column(String)
        case lower(Step)
        case upper(Step)
        case substr(Step, start: Int64, length: Int64?)
    }

    /// The steps of `e` over columns qualified by `side`, or nil when `e` has another shape.
    static func parse(_ e: Columnar.Expression, side: String) -> Step? {
        switch e {
        case let .column(q, name, _) where q == side: return .column(name)
        case let .call(f, args, _):
            switch (f, args.count) {
            case ("lower", 1): return parse(args[0], side: side).map { .lower($0) }
            case ("upper", 1): return parse(args[0], side: side).map { .upper($0) }
            case ("substr", 2), ("substring", 2), ("substr", 3), ("substring", 3):
                guard let inner = parse(args[0], side: side), case let .literal(.int(start), _) = args[1] else { return nil }
                if args.count == 2 { return .substr(inner, start: start, length: nil) }
                guard case let .literal(.int(length), _) = args[2] else { return nil }
                return .substr(inner, start: start, length: length)
            default: return nil
            }
        default: return nil
        }
    }

    /// Key-part ids for `e` from `dictionary`, encoded as `BlockingKeys.partIDs` encodes
    /// text (so they mix with ids of generally evaluated parts), or nil when the fast path
    /// does not apply. No per-row allocation: each step narrows a byte range, and case
    /// mapping is taken from the outermost lower/upper (they commute with substr on ASCII).
    static func partIDs(_ e: Columnar.Expression, side: String, table: Table, _ dictionary: inout KeyDictionary) -> [UInt32]? {
        guard let step = parse(e, side: side),
              let column = try? table.column(columnName(step)), case let .string(strings) = column.data else { return nil }
        let n = column.count
        let clean = strings.bytes.withUnsafeBufferPointer { bytes in
            (0..<n).allSatisfy { i in column.isNull(i) || !bytes[strings.range(i)].contains { $0 >= 0x80 || $0 == 0x0D } }
        }
        guard clean else { return nil }
        let mode = caseMode(step)
        var out = [UInt32](repeating: BlockingKeys.null, count: n)
        var buffer: [UInt8] = []
        strings.bytes.withUnsafeBufferPointer { bytes in
            for i in 0..<n where !column.isNull(i) {
                let r = strings.range(i)
                let (lo, hi) = narrow(step, r.count)
                buffer.removeAll(keepingCapacity: true)
                buffer.append(UInt8(ascii: "s"))
                for k in (r.lowerBound + lo)..<(r.lowerBound + hi) {
                    var c = bytes[k]
                    if mode == 1, c >= 0x41, c <= 0x5A { c += 0x20 } else if mode == 2, c >= 0x61, c <= 0x7A { c -= 0x20 }
                    buffer.append(c)
                }
                out[i] = dictionary.id(buffer)
            }
        }
        return out
    }

    static func columnName(_ step: Step) -> String {
        switch step {
        case let .column(name): return name
        case let .lower(s), let .upper(s), let .substr(s, _, _): return columnName(s)
        }
    }

    /// 0 = as is, 1 = lower, 2 = upper: the outermost case step.
    static func caseMode(_ step: Step) -> Int {
        switch step {
        case .column: return 0
        case .lower: return 1
        case .upper: return 2
        case let .substr(s, _, _): return caseMode(s)
        }
    }

    /// The byte range [lo, hi) the substr steps leave of a text of `count` bytes, innermost
    /// first, with the expression language's substr: 1-based, a negative start counts from
    /// the end, a negative length is empty, clamped to the text.
    static func narrow(_ step: Step, _ count: Int) -> (Int, Int) {
        switch step {
        case .column: return (0, count)
        case let .lower(s), let .upper(s): return narrow(s, count)
        case let .substr(s, start, length):
            let (lo, hi) = narrow(s, count)
            let n = Int64(hi - lo)
            var first = start < 0 ? n + start + 1 : start
            var last = length.map { $0 < 0 ? first - 1 : first.addingReportingOverflow($0).partialValue - 1 } ?? n
            if let length, length > 0, first.addingReportingOverflow(length).overflow { last = n }
            first = max(first, 1)
            last = min(last, n)
            if first > last { return (lo, lo) }
            return (lo + Int(first - 1), lo + Int(last))
        }
    }
}
