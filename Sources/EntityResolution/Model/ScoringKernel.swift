import Foundation

/// The pair loop's view of the compared columns: one fixed-size row of bytes per record, so
/// that reading a record for a pair touches one or two cache lines instead of one per array,
/// and choosing a pair's levels allocates nothing and touches no reference counts.
///
/// A record's row holds, per comparison, an exact-match id (equal ids ⇔ equal NFC text), the
/// position and length of its text in the column's flat `TextBuffer`, its number (numeric
/// columns), its term frequency (comparisons with TF; NaN when null) and its null flag.
/// A level is chosen as `PreparedColumn.holds` chooses it (the first condition that holds,
/// Splink's CASE WHEN), but each metric is computed at most once per pair, and Levenshtein
/// only up to the largest threshold of its comparison. Building is O(records · comparisons)
/// the texts are the prepared columns' `TextBuffer`s, shared, not copied; the rows are freed with the kernel.
final class ScoringKernel: @unchecked Sendable {
    /// One comparison's view; a trivial value, copied freely into worker closures.
    struct Column {
        var rows: UnsafeMutableRawPointer
        var stride: Int
        /// Byte offsets in a row: the id/length/start slot, the number, the TF, the null flag
        /// (−1 when absent).
        var slotAt: Int, numberAt: Int, tfAt: Int, nullAt: Int
        var isNumeric: Bool
        /// The column's texts, flat (one of the two is set; owned by its `TextBuffer`).
        var bytes: UnsafeMutablePointer<UInt8>?
        var wide: UnsafeMutablePointer<UInt32>?
        var conditions: UnsafeMutablePointer<LevelCondition>
        var levelCount: Int
        /// The largest Levenshtein threshold among the levels (−1 when none).
        var levenshteinBound: Int
        /// The comparison's `CustomLevels`, unretained (the kernel keeps it alive), nil when
        /// it has no `.custom` level. A raw pointer keeps `Column` a trivial value, so the pair
        /// loops touch no reference counts for the other kinds.
        var custom: UnsafeMutableRawPointer?
        /// This column's table in each worker's `MetricMemo` space (−1: not memoised: no
        /// string metric, or texts whose ids are not byte-exact).
        var memoAt: Int

        /// The memo entry of (id(i), id(j)), reset when it held another pair. The metrics are
        /// functions of the two texts, and equal ids mean equal texts here, so a remembered
        /// value is the value the metric would compute.
        @inline(__always) func memoEntry(_ i: Int, _ j: Int, _ scratch: Scratch) -> UnsafeMutablePointer<MetricMemo>? {
            guard memoAt >= 0 else { return nil }
            let key = UInt64(id(i)) << 32 | UInt64(id(j))
            let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - ScoringKernel.memoBits))
            let e = scratch.memo + (memoAt << ScoringKernel.memoBits) + slot
            if e.pointee.key != key { e.pointee = MetricMemo(key: key) }
            return e
        }

        @inline(__always) func isNull(_ i: Int) -> Bool { rows.load(fromByteOffset: i * stride + nullAt, as: UInt8.self) != 0 }
        @inline(__always) func id(_ i: Int) -> UInt32 { rows.load(fromByteOffset: i * stride + slotAt, as: UInt32.self) }
        @inline(__always) func number(_ i: Int) -> Double { rows.load(fromByteOffset: i * stride + numberAt, as: Double.self) }
        var hasNumbers: Bool { numberAt >= 0 }
        /// Term frequency of record i's value (NaN when null); only with `tfAt ≥ 0`.
        @inline(__always) func tf(_ i: Int) -> Double { rows.load(fromByteOffset: i * stride + tfAt, as: Double.self) }

        /// Record i's text as bytes (when `bytes` is set).
        @inline(__always) func text(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let count = rows.load(fromByteOffset: i * stride + slotAt + 4, as: UInt32.self)
            let start = rows.load(fromByteOffset: i * stride + slotAt + 8, as: Int.self)
            return UnsafeBufferPointer(start: bytes! + start, count: Int(count))
        }

        /// Record i's text as 32-bit scalars (when `wide` is set).
        @inline(__always) func wideText(_ i: Int) -> UnsafeBufferPointer<UInt32> {
            let count = rows.load(fromByteOffset: i * stride + slotAt + 4, as: UInt32.self)
            let start = rows.load(fromByteOffset: i * stride + slotAt + 8, as: Int.self)
            return UnsafeBufferPointer(start: wide! + start, count: Int(count))
        }

        /// Record i's units widened (allocates; for the metrics that take arrays).
        func scalarArray(_ i: Int) -> [UInt32] { bytes != nil ? text(i).map { UInt32($0) } : Array(wideText(i)) }

        /// Index of the first level whose condition holds for records i and j.
        @inline(__always) func level(_ i: Int, _ j: Int, _ scratch: Scratch) -> Int {
            var levenshtein = -1
            var damerau = -1
            var jaro = Double.nan, jaroWinkler = Double.nan
            var jaccard: (q: Int, value: Double)?
            var memo: UnsafeMutablePointer<MetricMemo>?, looked = false
            for k in 0..<levelCount {
                let holds: Bool
                switch conditions[k] {
                case .null: holds = isNull(i) || isNull(j)
                case .otherwise: return k
                case .exact: holds = isNumeric ? number(i) == number(j) : id(i) == id(j)
                case let .levenshtein(t):
                    if levenshtein < 0 {
                        if !looked { memo = memoEntry(i, j, scratch); looked = true }
                        if let m = memo, m.pointee.levenshtein >= 0 { levenshtein = Int(m.pointee.levenshtein) } else {
                            levenshtein = bytes != nil
                                ? boundedLevenshteinDistance(text(i), text(j), bound: levenshteinBound, rows: scratch.rows)
                                : boundedLevenshteinDistance(wideText(i), wideText(j), bound: levenshteinBound, rows: scratch.rows)
                            memo?.pointee.levenshtein = Int32(levenshtein)
                        }
                    }
                    holds = levenshtein <= t
                case let .damerauLevenshtein(t):
                    if damerau < 0 { damerau = damerauLevenshteinDistance(scalarArray(i), scalarArray(j)) }
                    holds = damerau <= t
                case let .jaro(t):
                    if jaro.isNaN {
                        if !looked { memo = memoEntry(i, j, scratch); looked = true }
                        if let m = memo, !m.pointee.jaro.isNaN { jaro = m.pointee.jaro } else {
                            jaro = bytes != nil ? scratch.jaro(text(i), text(j)) : scratch.jaro(wideText(i), wideText(j))
                            memo?.pointee.jaro = jaro
                        }
                    }
                    holds = jaro >= t
                case let .jaroWinkler(t):
                    if jaroWinkler.isNaN {
                        if !looked { memo = memoEntry(i, j, scratch); looked = true }
                        if let m = memo, !m.pointee.jaroWinkler.isNaN { jaroWinkler = m.pointee.jaroWinkler } else {
                            if bytes != nil {
                                let a = text(i), b = text(j)
                                jaroWinkler = winklerBoost(scratch.jaro(a, b), a, b)
                            } else {
                                let a = wideText(i), b = wideText(j)
                                jaroWinkler = winklerBoost(scratch.jaro(a, b), a, b)
                            }
                            memo?.pointee.jaroWinkler = jaroWinkler
                        }
                    }
                    holds = jaroWinkler >= t
                case let .jaccard(t, q):
                    if jaccard?.q != q { jaccard = (q, jaccardSimilarity(scalarArray(i), scalarArray(j), q: q)) }
                    holds = jaccard!.value >= t
                case let .absoluteDifference(t): holds = hasNumbers && absoluteDifference(number(i), number(j)) <= t
                case let .percentageDifference(t): holds = hasNumbers && percentageDifference(number(i), number(j)) < t
                case let .timeDifference(t): holds = hasNumbers && absoluteSecondsDifference(number(i), number(j)) <= t
                case .custom: holds = custom.map { Unmanaged<CustomLevels>.fromOpaque($0).takeUnretainedValue().holds(k, i, j) } ?? false
                }
                if holds { return k }
            }
            return levelCount - 1
        }
    }

    /// One remembered pair of texts of a column (by their ids) and the metric values computed
    /// for it so far (NaN / −1: not yet).
    struct MetricMemo {
        var key: UInt64
        var jaro = Double.nan, jaroWinkler = Double.nan
        var levenshtein: Int32 = -1
        init(key: UInt64) { self.key = key }
    }

    /// Entries per memoised column and worker (2^memoBits, direct-mapped): blocked pairs
    /// repeat text pairs (a payer's name against the same other name on every payment of the
    /// same amount; organisation names within a country and prefix), so each worker remembers
    /// the last pair per slot.
    static let memoBits = 12

    /// Per-worker scratch space for the metrics (freed by `release`).
    struct Scratch {
        var flags: UnsafeMutablePointer<Bool>
        var rows: UnsafeMutablePointer<Int32>
        var masks: UnsafeMutablePointer<UInt64>
        /// `memoColumns` tables of 2^memoBits entries.
        var memo: UnsafeMutablePointer<MetricMemo>
        init(longest: Int, memoColumns: Int) {
            flags = .allocate(capacity: 2 * longest + 2)
            rows = .allocate(capacity: 2 * longest + 4)
            masks = .allocate(capacity: 128)
            masks.initialize(repeating: 0, count: 128)
            let entries = max(1, memoColumns << ScoringKernel.memoBits)
            memo = .allocate(capacity: entries)
            memo.initialize(repeating: MetricMemo(key: .max), count: entries)
        }
        func release() { flags.deallocate(); rows.deallocate(); masks.deallocate(); memo.deallocate() }

        /// Jaro similarity, bit-parallel when the texts allow it.
        @inline(__always) func jaro<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>) -> Double {
            jaroSimilarityASCII64(a, b, table: masks) ?? jaroSimilarity(a, b, flags: flags)
        }
    }

    let columns: UnsafeMutableBufferPointer<Column>
    /// The longest scalar sequence of any record in any compared column.
    let longest: Int
    /// Columns with a metric memo (see `Column.memoAt`).
    let memoColumns: Int
    private let owned: [UnsafeMutableRawPointer]
    /// Keeps the texts the columns point at alive.
    private let texts: [TextBuffer]
    /// Keeps the custom levels the columns point at alive.
    private let customLevels: [CustomLevels?]

    /// `tf[c]` is comparison c's term frequencies (nil when it has no TF level).
    init(comparisons: [Comparison], prepared: [PreparedColumn], tf: [TermFrequencies?], custom: [CustomLevels?]) {
        let nc = comparisons.count, n = prepared.first?.isNull.count ?? 0
        // Row layout: 16-byte slots, then numbers, then TFs, then null flags; 8-byte aligned.
        var at = 16 * nc
        var numberAt = [Int](repeating: -1, count: nc), tfAt = [Int](repeating: -1, count: nc)
        for c in 0..<nc where !prepared[c].numbers.isEmpty { numberAt[c] = at; at += 8 }
        for c in 0..<nc where tf[c] != nil { tfAt[c] = at; at += 8 }
        let nullAt = at
        let stride = (at + nc + 7) / 8 * 8
        let rows = UnsafeMutableRawPointer.allocate(byteCount: max(1, n * stride), alignment: 16)
        rows.initializeMemory(as: UInt8.self, repeating: 0, count: n * stride)
        var owned: [UnsafeMutableRawPointer] = [rows]
        func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
            _ = UnsafeMutableBufferPointer(start: p, count: values.count).initialize(from: values)
            owned.append(UnsafeMutableRawPointer(p))
            return p
        }
        let columns = UnsafeMutableBufferPointer<Column>.allocate(capacity: nc)
        var longest = 0, memoColumns = 0
        for (c, cmp) in comparisons.enumerated() {
            let col = prepared[c], texts = col.texts
            col.valueIDs.withUnsafeBufferPointer { ids in
            col.isNull.withUnsafeBufferPointer { isNull in
            col.numbers.withUnsafeBufferPointer { numbers in
                let tfValues = tf[c]?.values
                for i in 0..<n {
                    let row = i * stride
                    let start = texts.offsets[i], length = texts.offsets[i + 1] - start
                    rows.storeBytes(of: ids[i], toByteOffset: row + 16 * c, as: UInt32.self)
                    rows.storeBytes(of: UInt32(length), toByteOffset: row + 16 * c + 4, as: UInt32.self)
                    rows.storeBytes(of: start, toByteOffset: row + 16 * c + 8, as: Int.self)
                    if numberAt[c] >= 0 { rows.storeBytes(of: numbers[i], toByteOffset: row + numberAt[c], as: Double.self) }
                    if let t = tfValues { rows.storeBytes(of: t[i], toByteOffset: row + tfAt[c], as: Double.self) }
                    rows.storeBytes(of: isNull[i] ? 1 : 0, toByteOffset: row + nullAt + c, as: UInt8.self)
                    longest = max(longest, length)
                }
            }}}
            let usesMetric = cmp.levels.contains { l in
                switch l.condition { case .levenshtein, .jaro, .jaroWinkler: return true; default: return false }
            }
            var memoAt = -1
            if usesMetric && col.idsMatchUnits { memoAt = memoColumns; memoColumns += 1 }
            let bound = cmp.levels.compactMap { l -> Int? in if case let .levenshtein(k) = l.condition { return k }; return nil }.max() ?? -1
            columns[c] = Column(rows: rows, stride: stride, slotAt: 16 * c, numberAt: numberAt[c], tfAt: tfAt[c], nullAt: nullAt + c,
                                isNumeric: col.isNumeric, bytes: texts.bytes, wide: texts.wide,
                                conditions: copy(cmp.levels.map(\.condition)),
                                levelCount: cmp.levels.count, levenshteinBound: bound,
                                custom: custom[c].map { Unmanaged.passUnretained($0).toOpaque() }, memoAt: memoAt)
        }
        self.columns = columns
        self.longest = longest
        self.memoColumns = memoColumns
        self.owned = owned
        self.texts = prepared.map(\.texts)
        customLevels = custom
    }

    deinit {
        for p in owned { p.deallocate() }
        columns.deallocate()
    }
}
