import Columnar
import Foundation

/// One input column made ready for comparison: the UTF-8 bytes of each text as DuckDB's
/// string functions see them (widened to UInt32 for the metrics), numeric values (epoch
/// seconds for dates/timestamps), the text used for exact/TF keys, and nulls.
public struct PreparedColumn: Sendable {
    public var name: String
    public var isNumeric: Bool
    public var isNull: [Bool]
    public var text: [String]
    public var numbers: [Double]
    public var scalars: [[UInt32]]
    /// Term frequency of each record's value among non-null values (nil when null).
    public var tf: [Double?]
    /// Dense ids of `text`: equal ids exactly when the texts are equal.
    public var valueIDs: [UInt32]

    /// Dense ids for texts, in order of first appearance. O(total length).
    static func ids(_ text: [String]) -> [UInt32] {
        var dictionary = KeyDictionary(expected: text.count)
        return text.map { t in
            var t = t
            return t.withUTF8 { dictionary.id($0) }
        }
    }

    /// Prepares `column` of `table`. O(n + total text length).
    public init(_ table: Table, _ column: String) throws {
        let col = try table.column(column)
        name = column
        let n = table.rowCount
        isNull = (0..<n).map { col.isNull($0) }
        switch col.data {
        case let .double(v): isNumeric = true; numbers = v
        case let .float(v): isNumeric = true; numbers = v.map(Double.init)
        case let .int64(v): isNumeric = true; numbers = v.map(Double.init)
        case let .int32(v): isNumeric = true; numbers = v.map(Double.init)
        case let .date(v): isNumeric = true; numbers = v.map { Double($0) * 86400 }
        case let .timestamp(v): isNumeric = true; numbers = v.map { Double($0) / 1e6 }
        default: isNumeric = false; numbers = []
        }
        if isNumeric {
            // Exact keys of numbers compare by value, as DuckDB does. A string metric on a
            // number reads the text DuckDB's cast to VARCHAR gives: integers as their digits,
            // dates as YYYY-MM-DD.
            switch col.data {
            case let .int64(v): text = v.map { String($0) }
            case let .int32(v): text = v.map { String($0) }
            case let .date(v): text = v.map { CivilTime.formatDate(days: $0) }
            default: text = numbers.map { "\($0)" }
            }
            scalars = []
        } else if case let .string(strings) = col.data {
            // DuckDB's string functions (levenshtein, jaro_winkler_similarity, jaccard, ...)
            // and its equality work on UTF-8 bytes without normalisation, so Splink compares
            // bytes: "é" precomposed and decomposed differ, and levenshtein('héllo', 'hello')
            // is 2. The scalars here are those bytes.
            var text: [String] = [], scalars: [[UInt32]] = []
            text.reserveCapacity(n); scalars.reserveCapacity(n)
            strings.bytes.withUnsafeBufferPointer { bytes in
                for i in 0..<n {
                    if col.isNull(i) { text.append(""); scalars.append([]); continue }
                    let slice = UnsafeBufferPointer(rebasing: bytes[strings.range(i)])
                    text.append(String(decoding: slice, as: UTF8.self)); scalars.append(slice.map { UInt32($0) })
                }
            }
            self.text = text; self.scalars = scalars
        } else {
            text = (0..<n).map { col.isNull($0) ? "" : (col.value(at: $0).stringValue ?? "") }
            scalars = text.map { Scalars.of($0) }
            text = scalars.map { String(String.UnicodeScalarView($0.compactMap(Unicode.Scalar.init))) }
        }
        // Equal texts have equal bytes (DuckDB equality): count them by byte-string id.
        valueIDs = PreparedColumn.ids(text)
        var counts = [Int](repeating: 0, count: (valueIDs.max().map { Int($0) } ?? -1) + 1)
        var nonNull = 0
        for i in 0..<n where !isNull[i] { counts[Int(valueIDs[i])] += 1; nonNull += 1 }
        let ids = valueIDs, isNull = self.isNull
        tf = (0..<n).map { isNull[$0] ? nil : Double(counts[Int(ids[$0])]) / Double(nonNull) }
    }

    /// A stand-in for a comparison that reads no single column (every level is `.custom`,
    /// e.g. Splink's ForenameSurnameComparison on `fn_sn`): `count` non-null empty texts.
    public init(placeholder name: String, count n: Int) {
        self.name = name
        isNumeric = false
        isNull = [Bool](repeating: false, count: n)
        text = [String](repeating: "", count: n)
        numbers = []
        scalars = [[UInt32]](repeating: [], count: n)
        tf = [Double?](repeating: nil, count: n)
        valueIDs = [UInt32](repeating: 0, count: n)
    }

    /// Whether `cond` holds for records i and j (the null condition included). `.custom`
    /// levels are not tested here (see `CustomLevels`): false.
    @inlinable public func holds(_ cond: LevelCondition, _ i: Int, _ j: Int) -> Bool {
        switch cond {
        case .null: return isNull[i] || isNull[j]
        case .otherwise: return true
        case .custom: return false
        case .exact: return isNumeric ? numbers[i] == numbers[j] : scalars[i] == scalars[j]
        case let .levenshtein(k): return levenshteinDistance(textScalars(i), textScalars(j)) <= k
        case let .damerauLevenshtein(k): return damerauLevenshteinDistance(textScalars(i), textScalars(j)) <= k
        case let .jaro(t): return jaroSimilarity(textScalars(i), textScalars(j)) >= t
        case let .jaroWinkler(t): return jaroWinklerSimilarity(textScalars(i), textScalars(j)) >= t
        case let .jaccard(t, q): return jaccardSimilarity(textScalars(i), textScalars(j), q: q) >= t
        case let .absoluteDifference(t): return numbers.isEmpty ? false : absoluteDifference(numbers[i], numbers[j]) <= t
        case let .percentageDifference(t): return numbers.isEmpty ? false : percentageDifference(numbers[i], numbers[j]) < t
        case let .timeDifference(t): return numbers.isEmpty ? false : absoluteSecondsDifference(numbers[i], numbers[j]) <= t
        }
    }

    /// Scalars of record i; numbers are compared as their text when a string metric is asked.
    @inlinable func textScalars(_ i: Int) -> [UInt32] { isNumeric ? Scalars.of(text[i]) : scalars[i] }
}
