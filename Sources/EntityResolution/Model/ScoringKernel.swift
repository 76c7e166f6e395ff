import Foundation

/// The pair loop's view of the compared columns: flat buffers with no references, so that
/// choosing a pair's levels allocates nothing and touches no reference counts.
///
/// Per comparison it holds each record's null flag, an exact-match id (equal ids ⇔ equal NFC
/// text, or the number for numeric columns), its NFC scalars in one buffer with offsets,
/// and the level conditions. A level is chosen as `PreparedColumn.holds` chooses it (the first
/// condition that holds, Splink's CASE WHEN), but each metric is computed at most once per
/// pair, and Levenshtein only up to the largest threshold of its comparison. Building is
/// O(records · comparisons) plus the scalars; the storage is freed with the kernel.
final class ScoringKernel: @unchecked Sendable {
    /// One comparison's buffers; a trivial value, copied freely into worker closures.
    struct Column {
        var isNull: UnsafeMutablePointer<Bool>
        var ids: UnsafeMutablePointer<UInt32>
        var numbers: UnsafeMutablePointer<Double>
        var hasNumbers: Bool
        var isNumeric: Bool
        var offsets: UnsafeMutablePointer<Int>
        var scalars: UnsafeMutablePointer<UInt32>
        var conditions: UnsafeMutablePointer<LevelCondition>
        var levelCount: Int
        /// The largest Levenshtein threshold among the levels (−1 when none).
        var levenshteinBound: Int

        @inline(__always) func text(_ i: Int) -> UnsafeBufferPointer<UInt32> {
            UnsafeBufferPointer(start: scalars + offsets[i], count: offsets[i + 1] - offsets[i])
        }

        /// Index of the first level whose condition holds for records i and j.
        @inline(__always) func level(_ i: Int, _ j: Int, _ scratch: Scratch) -> Int {
            var levenshtein = -1
            var damerau = -1
            var jaro = Double.nan, jaroWinkler = Double.nan
            var jaccard: (q: Int, value: Double)?
            for k in 0..<levelCount {
                let holds: Bool
                switch conditions[k] {
                case .null: holds = isNull[i] || isNull[j]
                case .otherwise: return k
                case .exact: holds = isNumeric ? numbers[i] == numbers[j] : ids[i] == ids[j]
                case let .levenshtein(t):
                    if levenshtein < 0 { levenshtein = boundedLevenshteinDistance(text(i), text(j), bound: levenshteinBound, rows: scratch.rows) }
                    holds = levenshtein <= t
                case let .damerauLevenshtein(t):
                    if damerau < 0 { damerau = damerauLevenshteinDistance(Array(text(i)), Array(text(j))) }
                    holds = damerau <= t
                case let .jaro(t):
                    if jaro.isNaN { jaro = scratch.jaro(text(i), text(j)) }
                    holds = jaro >= t
                case let .jaroWinkler(t):
                    if jaroWinkler.isNaN {
                        let a = text(i), b = text(j)
                        jaroWinkler = winklerBoost(scratch.jaro(a, b), a, b)
                    }
                    holds = jaroWinkler >= t
                case let .jaccard(t, q):
                    if jaccard?.q != q { jaccard = (q, jaccardSimilarity(Array(text(i)), Array(text(j)), q: q)) }
                    holds = jaccard!.value >= t
                case let .absoluteDifference(t): holds = hasNumbers && absoluteDifference(numbers[i], numbers[j]) <= t
                case let .percentageDifference(t): holds = hasNumbers && percentageDifference(numbers[i], numbers[j]) < t
                case let .timeDifference(t): holds = hasNumbers && absoluteSecondsDifference(numbers[i], numbers[j]) <= t
                }
                if holds { return k }
            }
            return levelCount - 1
        }
    }

    /// Per-worker scratch space for the metrics (freed by `release`).
    struct Scratch {
        var flags: UnsafeMutablePointer<Bool>
        var rows: UnsafeMutablePointer<Int32>
        var masks: UnsafeMutablePointer<UInt64>
        init(longest: Int) {
            flags = .allocate(capacity: 2 * longest + 2)
            rows = .allocate(capacity: 2 * longest + 4)
            masks = .allocate(capacity: 128)
            masks.initialize(repeating: 0, count: 128)
        }
        func release() { flags.deallocate(); rows.deallocate(); masks.deallocate() }

        /// Jaro similarity, bit-parallel when the texts allow it.
        @inline(__always) func jaro(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
            jaroSimilarityASCII64(a, b, table: masks) ?? jaroSimilarity(a, b, flags: flags)
        }
    }

    let columns: UnsafeMutableBufferPointer<Column>
    /// The longest scalar sequence of any record in any compared column.
    let longest: Int
    private let owned: [UnsafeMutableRawPointer]

    init(comparisons: [Comparison], prepared: [PreparedColumn]) {
        let columns = UnsafeMutableBufferPointer<Column>.allocate(capacity: comparisons.count)
        var longest = 0
        var owned: [UnsafeMutableRawPointer] = []
        func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
            _ = UnsafeMutableBufferPointer(start: p, count: values.count).initialize(from: values)
            owned.append(UnsafeMutableRawPointer(p))
            return p
        }
        for (c, cmp) in comparisons.enumerated() {
            let col = prepared[c], n = col.isNull.count
            let ids = col.valueIDs
            var offsets = [Int](repeating: 0, count: n + 1)
            var flat: [UInt32] = []
            for i in 0..<n {
                let s = col.textScalars(i)
                flat.append(contentsOf: s)
                offsets[i + 1] = flat.count
                longest = max(longest, s.count)
            }
            let bound = cmp.levels.compactMap { l -> Int? in if case let .levenshtein(k) = l.condition { return k }; return nil }.max() ?? -1
            columns[c] = Column(isNull: copy(col.isNull), ids: copy(ids), numbers: copy(col.numbers), hasNumbers: !col.numbers.isEmpty,
                                isNumeric: col.isNumeric, offsets: copy(offsets), scalars: copy(flat),
                                conditions: copy(cmp.levels.map(\.condition)), levelCount: cmp.levels.count, levenshteinBound: bound)
        }
        self.columns = columns
        self.longest = longest
        self.owned = owned
    }

    deinit {
        for p in owned { p.deallocate() }
        columns.deallocate()
    }
}
