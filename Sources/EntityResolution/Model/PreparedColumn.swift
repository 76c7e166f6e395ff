import Columnar
import Foundation

/// One input column made ready for comparison: NFC scalars (flat, with offsets), numeric
/// values (epoch seconds for dates/timestamps), the text used for exact/TF keys, and nulls.
public struct PreparedColumn: Sendable {
    public var name: String
    public var isNumeric: Bool
    public var isNull: [Bool]
    public var text: [String]
    public var numbers: [Double]
    public var scalars: [[UInt32]]
    /// Term frequency of each record's value among non-null values (nil when null).
    public var tf: [Double?]

    /// Prepares `column` of `table`. O(n) plus one pass of NFC normalisation.
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
            // Exact keys of numbers compare by value, as DuckDB does.
            text = numbers.map { "\($0)" }
            scalars = []
        } else {
            text = (0..<n).map { col.isNull($0) ? "" : (col.value(at: $0).stringValue ?? "") }
            scalars = text.map { Scalars.of($0) }
            text = scalars.map { String(String.UnicodeScalarView($0.compactMap(Unicode.Scalar.init))) }
        }
        var counts: [String: Int] = [:]
        var nonNull = 0
        for i in 0..<n where !isNull[i] { counts[text[i], default: 0] += 1; nonNull += 1 }
        let text = self.text, isNull = self.isNull
        tf = (0..<n).map { isNull[$0] ? nil : Double(counts[text[$0]]!) / Double(nonNull) }
    }

    /// Whether `cond` holds for records i and j (the null condition included).
    @inlinable public func holds(_ cond: LevelCondition, _ i: Int, _ j: Int) -> Bool {
        switch cond {
        case .null: return isNull[i] || isNull[j]
        case .otherwise: return true
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
