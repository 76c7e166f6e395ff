import Columnar
import Foundation

/// Term frequencies of a column's records: record i's share of the non-null values equal to
/// its own, nil for a null. Stored flat (NaN marks a null), 8 bytes a record.
public struct TermFrequencies: Sendable {
    /// One value per record; NaN for a null record.
    public let values: [Double]
    /// Number of records.
    public var count: Int { values.count }
    /// Record i's term frequency, nil when it is null. O(1).
    @inlinable public subscript(i: Int) -> Double? { values[i].isNaN ? nil : values[i] }
}

/// One input column made ready for comparison: the bytes of each text as DuckDB's string
/// functions see them (one flat `TextBuffer` for all records), numeric values (epoch seconds
/// for dates/timestamps), dense ids of the texts for exact/TF keys, and nulls.
public struct PreparedColumn: Sendable {
    public var name: String
    public var isNumeric: Bool
    public var isNull: [Bool]
    public var numbers: [Double]
    /// The compared texts of all records: UTF-8 bytes for strings, digits for numbers, the
    /// text's NFC scalars for other types.
    public let texts: TextBuffer
    /// Whether `texts` holds UTF-8 (strings, numbers) rather than scalars (other types).
    let textIsUTF8: Bool
    /// Term frequency of each record's value among non-null values (nil when null).
    public var tf: TermFrequencies
    /// Dense ids of the texts: equal ids exactly when the texts are equal.
    public var valueIDs: [UInt32]
    /// Whether equal `valueIDs` also mean equal `texts` units: false only for a string column
    /// with invalid UTF-8, whose ids compare the decoded text (U+FFFD for each bad sequence).
    public var idsMatchUnits = true

    /// Prepares `column` of `table`. O(n + total text length).
    public init(_ table: Table, _ column: String) throws {
        let col = try table.column(column)
        name = column
        let n = table.rowCount
        let nulls = (0..<n).map { col.isNull($0) }
        isNull = nulls
        switch col.data {
        case let .double(v): isNumeric = true; numbers = v
        case let .float(v): isNumeric = true; numbers = v.map(Double.init)
        case let .int64(v): isNumeric = true; numbers = v.map(Double.init)
        case let .int32(v): isNumeric = true; numbers = v.map(Double.init)
        case let .date(v): isNumeric = true; numbers = v.map { Double($0) * 86400 }
        case let .timestamp(v): isNumeric = true; numbers = v.map { Double($0) / 1e6 }
        default: isNumeric = false; numbers = []
        }
        var dictionary = KeyDictionary(expected: n)
        var ids = [UInt32](repeating: 0, count: n)
        if isNumeric {
            // Exact keys of numbers compare by value, as DuckDB does. A string metric on a
            // number reads the text DuckDB's cast to VARCHAR gives: integers as their digits,
            // dates as YYYY-MM-DD.
            let text: (Int) -> String
            switch col.data {
            case let .int64(v): text = { String(v[$0]) }
            case let .int32(v): text = { String(v[$0]) }
            case let .date(v): text = { CivilTime.formatDate(days: v[$0]) }
            default: let numbers = numbers; text = { "\(numbers[$0])" }
            }
            var offsets = [Int](), bytes = [UInt8]()
            offsets.reserveCapacity(n + 1); offsets.append(0)
            for i in 0..<n {
                var t = text(i)
                t.withUTF8 { u in ids[i] = dictionary.id(u); bytes.append(contentsOf: u) }
                offsets.append(bytes.count)
            }
            texts = TextBuffer(offsets: offsets, bytes: bytes)
            textIsUTF8 = true
        } else if case let .string(strings) = col.data {
            // DuckDB's string functions (levenshtein, jaro_winkler_similarity, jaccard, ...)
            // and its equality work on UTF-8 bytes without normalisation, so Splink compares
            // bytes: "é" precomposed and decomposed differ, and levenshtein('héllo', 'hello')
            // is 2. The units here are those bytes, a null's are empty.
            var total = 0
            for i in 0..<n where !nulls[i] { total += strings.range(i).count }
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: n + 1)
            let out = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, total))
            var at = 0, idsExact = true
            offsets[0] = 0
            strings.bytes.withUnsafeBufferPointer { all in
                for i in 0..<n {
                    if !nulls[i] {
                        let slice = UnsafeBufferPointer(rebasing: all[strings.range(i)])
                        (out + at).initialize(from: slice.baseAddress!, count: slice.count)
                        at += slice.count
                        // Exact keys are the decoded text's bytes: the same bytes for valid
                        // UTF-8, U+FFFD in place of an invalid sequence.
                        if slice.allSatisfy({ $0 < 0x80 }) { ids[i] = dictionary.id(slice) } else {
                            var s = String(decoding: slice, as: UTF8.self)
                            ids[i] = s.withUTF8 { u in
                                if !u.elementsEqual(slice) { idsExact = false }
                                return dictionary.id(u)
                            }
                        }
                    } else {
                        ids[i] = dictionary.id(UnsafeBufferPointer<UInt8>(start: nil, count: 0))
                    }
                    offsets[i + 1] = at
                }
            }
            texts = TextBuffer(count: n, offsets: offsets, bytes: out)
            textIsUTF8 = true
            idsMatchUnits = idsExact
        } else {
            // Other types compare as the NFC scalars of their text.
            var offsets = [Int](), scalars = [UInt32]()
            offsets.reserveCapacity(n + 1); offsets.append(0)
            for i in 0..<n {
                let s = Scalars.of(col.isNull(i) ? "" : (col.value(at: i).stringValue ?? ""))
                var t = String(String.UnicodeScalarView(s.compactMap(Unicode.Scalar.init)))
                ids[i] = t.withUTF8 { dictionary.id($0) }
                scalars.append(contentsOf: s)
                offsets.append(scalars.count)
            }
            texts = TextBuffer(offsets: offsets, scalars: scalars)
            textIsUTF8 = false
        }
        valueIDs = ids
        // Equal texts have equal ids (DuckDB equality): count them by id.
        var counts = [Int](repeating: 0, count: dictionary.count)
        var nonNull = 0
        for i in 0..<n where !nulls[i] { counts[Int(ids[i])] += 1; nonNull += 1 }
        tf = TermFrequencies(values: (0..<n).map { nulls[$0] ? .nan : Double(counts[Int(ids[$0])]) / Double(nonNull) })
    }

    /// A stand-in for a comparison that reads no single column (every level is `.custom`,
    /// e.g. Splink's ForenameSurnameComparison on `fn_sn`): `count` non-null empty texts.
    public init(placeholder name: String, count n: Int) {
        self.name = name
        isNumeric = false
        isNull = [Bool](repeating: false, count: n)
        numbers = []
        texts = TextBuffer(offsets: [Int](repeating: 0, count: n + 1), bytes: [])
        textIsUTF8 = true
        tf = TermFrequencies(values: [Double](repeating: .nan, count: n))
        valueIDs = [UInt32](repeating: 0, count: n)
    }

    /// Record i's text ("" for a null). Allocates; for reports and tests.
    public func text(_ i: Int) -> String {
        if textIsUTF8 { return String(decoding: texts.byteSlice(i), as: UTF8.self) }
        return String(String.UnicodeScalarView(texts.scalars(i).compactMap(Unicode.Scalar.init)))
    }

    /// Whether `cond` holds for records i and j (the null condition included). `.custom`
    /// levels are not tested here (see `CustomLevels`): false.
    public func holds(_ cond: LevelCondition, _ i: Int, _ j: Int) -> Bool {
        switch cond {
        case .null: return isNull[i] || isNull[j]
        case .otherwise: return true
        case .custom: return false
        case .exact: return isNumeric ? numbers[i] == numbers[j] : texts.equal(i, j)
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

    /// Units of record i widened to UInt32 (bytes of strings and numbers' text, scalars of
    /// other types). Allocates; the per-pair reference path.
    public func textScalars(_ i: Int) -> [UInt32] { texts.scalars(i) }
}
