import Columnar
import Foundation

/// Record pairs to score: row indices into the (concatenated) input table, and the blocking
/// rule that produced each pair (Splink's `match_key`).
public struct CandidatePairs: Sendable {
    public var left: [Int32] = []
    public var right: [Int32] = []
    public var matchKey: [UInt8] = []
    public init() {}
    public var count: Int { left.count }
}

/// Comparison levels and weights computed for pairs.
public struct ScoredPairs: Sendable {
    /// levels[c][p] = index of the level taken by comparison c on pair p.
    public var levels: [[UInt8]]
    public var matchWeight: [Double]
    public var matchProbability: [Double]
}

/// Computes comparison levels and weights for candidate pairs.
public struct Scorer: Sendable {
    public let model: FellegiSunterModel
    public let columns: [PreparedColumn]
    /// TF columns by comparison (nil when the comparison has no TF level): the first level's
    /// TF column, which the kernel carries.
    let tfColumns: [PreparedColumn?]
    /// TF columns by comparison and level, for comparisons whose levels adjust on different
    /// columns (Splink's ForenameSurnameComparison: surname on one level, forename on another).
    let levelTF: [[PreparedColumn?]]
    /// The `.custom` levels of each comparison (nil when it has none).
    let custom: [CustomLevels?]
    /// The same columns as flat buffers for the pair loops.
    let kernel: ScoringKernel

    /// Prepares every compared column of `table` and compiles the custom levels.
    /// O(n · comparisons). Throws when a column is missing or a custom level's SQL does not
    /// type-check against the table.
    public init(model: FellegiSunterModel, table: Table) throws {
        self.model = model
        let cols = try model.comparisons.map { c in
            c.readsColumn || table.columnNames.contains(c.column) ? try PreparedColumn(table, c.column)
                : PreparedColumn(placeholder: c.column, count: table.rowCount)
        }
        columns = cols
        var prepared: [String: PreparedColumn] = [:]
        for (c, col) in zip(model.comparisons, cols) where c.readsColumn { prepared[c.column] = col }
        func tfColumn(_ name: String) throws -> PreparedColumn {
            if let p = prepared[name] { return p }
            let p = try PreparedColumn(table, name)
            prepared[name] = p
            return p
        }
        tfColumns = try model.comparisons.map { c in try c.levels.compactMap(\.tfColumn).first.map(tfColumn) }
        levelTF = try model.comparisons.map { c in try c.levels.map { try $0.tfColumn.map(tfColumn) } }
        custom = try model.comparisons.map { c in c.hasCustomLevels ? try CustomLevels(c, table: table) : nil }
        kernel = ScoringKernel(comparisons: model.comparisons, prepared: cols, tf: tfColumns.map { $0?.tf }, custom: custom)
    }

    init(model: FellegiSunterModel, columns: [PreparedColumn], tfColumns: [PreparedColumn?], levelTF: [[PreparedColumn?]],
         custom: [CustomLevels?], kernel: ScoringKernel) {
        self.model = model; self.columns = columns; self.tfColumns = tfColumns; self.levelTF = levelTF
        self.custom = custom; self.kernel = kernel
    }

    /// The first error met evaluating a custom level's SQL on a pair (a failed cast, say),
    /// which makes the scores incomplete; nil when there was none.
    public var evaluationError: Error? { custom.lazy.compactMap { $0?.firstError }.first }

    /// A scorer for `model` sharing this scorer's prepared columns, when `model` compares the
    /// same columns with the same level conditions and TF columns (as training steps do: only
    /// λ, m and u change); nil otherwise. O(comparisons · levels), no pass over the records.
    public func reusing(for model: FellegiSunterModel) -> Scorer? {
        func shape(_ m: FellegiSunterModel) -> [[String]] {
            m.comparisons.map { c in [c.column] + c.levels.map { "\($0.condition) \($0.sqlCondition ?? "") \($0.tfColumn ?? "")" } }
        }
        guard shape(model) == shape(self.model) else { return nil }
        return Scorer(model: model, columns: columns, tfColumns: tfColumns, levelTF: levelTF, custom: custom, kernel: kernel)
    }

    /// Level index for comparison c on (i, j): the first level whose condition holds.
    public func level(_ c: Int, _ i: Int, _ j: Int) -> Int {
        let levels = model.comparisons[c].levels
        for (k, lev) in levels.enumerated() {
            if lev.condition == .custom ? custom[c]?.holds(k, i, j) == true : columns[c].holds(lev.condition, i, j) { return k }
        }
        return levels.count - 1
    }

    /// Pairs per parallel work item: large enough to amortise scheduling, small enough to
    /// balance two to a few dozen cores.
    static let chunk = 8192

    /// Runs `body(range, scratch)` over pair-index chunks in parallel. Each chunk writes only
    /// its own pairs, so results do not depend on the thread count.
    /// Scratch spaces are pooled, so a worker keeps its metric memo from chunk to chunk; which
    /// worker takes which chunk changes only what is remembered, never a value.
    func forEachChunk(_ n: Int, _ body: (Range<Int>, ScoringKernel.Scratch) -> Void) {
        let chunks = (n + Self.chunk - 1) / Self.chunk
        let longest = kernel.longest, memoColumns = kernel.memoColumns
        let pool = ScratchPool()
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            let scratch = pool.take() ?? ScoringKernel.Scratch(longest: longest, memoColumns: memoColumns)
            body((k * Self.chunk)..<min(n, (k + 1) * Self.chunk), scratch)
            pool.give(scratch)
        }
        pool.releaseAll()
    }

    /// Levels only (for training): levels[c][p] for every comparison c and pair p, chosen as
    /// `level(_:_:_:)` chooses them. Parallel over chunks of pairs; deterministic.
    /// O(pairs · comparisons · metric cost).
    public func levels(_ pairs: CandidatePairs) -> [[UInt8]] {
        let n = pairs.count, nc = model.comparisons.count
        let flat = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n * nc))
        defer { flat.deallocate() }
        let cols = kernel.columns
        pairs.left.withUnsafeBufferPointer { left in
            pairs.right.withUnsafeBufferPointer { right in
                forEachChunk(n) { range, scratch in
                    for p in range {
                        let i = Int(left[p]), j = Int(right[p])
                        for c in 0..<nc { flat[c * n + p] = UInt8(cols[c].level(i, j, scratch)) }
                    }
                }
            }
        }
        return (0..<nc).map { c in Array(UnsafeBufferPointer(start: flat + c * n, count: n)) }
    }

    /// Scores pairs: levels, match weights (prior + Σ level weights + Σ TF adjustments, summed in
    /// comparison order as Splink does) and probabilities. One parallel pass over chunks of
    /// pairs; each pair's sum runs in comparison order, so results do not depend on the thread
    /// count. O(pairs · comparisons · metric cost).
    public func score(_ pairs: CandidatePairs) -> ScoredPairs {
        let n = pairs.count, nc = model.comparisons.count
        let width = model.comparisons.map(\.levels.count).max() ?? 0
        // Per (comparison, level): weight, and the TF adjustment's terms where it applies.
        var weight = [Double](repeating: 0, count: nc * width)
        var tfActive = [Bool](repeating: false, count: nc * width)
        var tfWeight = [Double](repeating: 0, count: nc * width)
        var log2ExactU = [Double](repeating: 0, count: nc * width)
        var tfMinimumU = [Double](repeating: 0, count: nc * width)
        // Levels adjusting on another column than the comparison's first TF column read it
        // from `otherTF[tfSource[slot] + record]` (NaN = null); −1 = the kernel's TF slot.
        var tfSource = [Int](repeating: -1, count: nc * width)
        var otherTF: [Double] = []
        for (c, cmp) in model.comparisons.enumerated() {
            for (l, lev) in cmp.levels.enumerated() {
                weight[c * width + l] = model.weight(c, l)
                guard tfColumns[c] != nil, lev.tfColumn != nil, lev.tfWeight != 0, !lev.isNull, !lev.isElse else { continue }
                if let name = lev.tfColumn, name != tfColumns[c]?.name, let col = levelTF[c][l] {
                    tfSource[c * width + l] = otherTF.count
                    otherTF.append(contentsOf: col.tf.values)
                }
                tfActive[c * width + l] = true
                tfWeight[c * width + l] = lev.tfWeight
                log2ExactU[c * width + l] = log2(cmp.exactU(for: l))
                tfMinimumU[c * width + l] = lev.tfMinimumU
            }
        }
        let flat = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n * nc))
        defer { flat.deallocate() }
        var w = [Double](repeating: 0, count: n), probability = [Double](repeating: 0, count: n)
        let cols = kernel.columns, prior = model.priorWeight
        pairs.left.withUnsafeBufferPointer { left in
        pairs.right.withUnsafeBufferPointer { right in
        weight.withUnsafeBufferPointer { weight in
        tfActive.withUnsafeBufferPointer { tfActive in
        tfWeight.withUnsafeBufferPointer { tfWeight in
        log2ExactU.withUnsafeBufferPointer { log2ExactU in
        tfMinimumU.withUnsafeBufferPointer { tfMinimumU in
        tfSource.withUnsafeBufferPointer { tfSource in
        otherTF.withUnsafeBufferPointer { otherTF in
        w.withUnsafeMutableBufferPointer { wOut in
        probability.withUnsafeMutableBufferPointer { pOut in
            let wOut = wOut, pOut = pOut
            forEachChunk(n) { range, scratch in
                for p in range {
                    let i = Int(left[p]), j = Int(right[p])
                    var s = prior
                    for c in 0..<nc {
                        let l = cols[c].level(i, j, scratch)
                        flat[c * n + p] = UInt8(l)
                        let slot = c * width + l
                        s += weight[slot]
                        if tfActive[slot] {
                            let source = tfSource[slot]
                            let tfL = source < 0 ? cols[c].tf(i) : otherTF[source + i], tfR = source < 0 ? cols[c].tf(j) : otherTF[source + j]
                            let a = tfL.isNaN ? tfR : tfL, b = tfR.isNaN ? tfL : tfR
                            if !a.isNaN && !b.isNaN { s += tfWeight[slot] * (log2ExactU[slot] - log2(max(a, b, tfMinimumU[slot]))) }
                        }
                    }
                    wOut[p] = s
                    pOut[p] = matchProbability(s)
                }
            }
        }}}}}}}}}}}
        let lv = (0..<nc).map { c in Array(UnsafeBufferPointer(start: flat + c * n, count: n)) }
        return ScoredPairs(levels: lv, matchWeight: w, matchProbability: probability)
    }

    /// The per-term waterfall of one pair: (term, level label, m, u, weight, tf adjustment).
    public func explain(_ i: Int, _ j: Int) -> [(term: String, level: String, m: Double?, u: Double?, weight: Double, tf: Double)] {
        var out: [(String, String, Double?, Double?, Double, Double)] = [("prior", "λ = \(model.lambda)", nil, nil, model.priorWeight, 0)]
        for (c, cmp) in model.comparisons.enumerated() {
            let l = level(c, i, j)
            let tf = levelTF[c][l].map { model.tfAdjustment(c, l, tfL: $0.tf[i], tfR: $0.tf[j]) } ?? 0
            let null = cmp.levels[l].isNull
            out.append((cmp.column, cmp.levels[l].label, null ? nil : cmp.effectiveM(l), null ? nil : cmp.effectiveU(l), model.weight(c, l), tf))
        }
        return out.map { (term: $0.0, level: $0.1, m: $0.2, u: $0.3, weight: $0.4, tf: $0.5) }
    }
}

/// Idle scratch spaces of a `forEachChunk` run.
final class ScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [ScoringKernel.Scratch] = []
    func take() -> ScoringKernel.Scratch? { lock.lock(); defer { lock.unlock() }; return idle.popLast() }
    func give(_ s: ScoringKernel.Scratch) { lock.lock(); idle.append(s); lock.unlock() }
    func releaseAll() { lock.lock(); for s in idle { s.release() }; idle.removeAll(); lock.unlock() }
}
