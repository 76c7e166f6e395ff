import Foundation

/// The outcome of one EM session.
public struct EMSession: Sendable, Equatable {
    /// m per comparison and level: nil for a comparison the session did not estimate (it is
    /// on a blocked column), and nil for a level no pair reached (Splink's "level not
    /// observed": it casts no vote when sessions are combined). Null levels hold 0.
    public var m: [[Double?]?]
    /// λ at the end of the session (within the blocked pairs); Splink discards it.
    public var lambda: Double
    public var iterations: Int
}

/// One EM session as Splink 5 runs `estimate_parameters_using_expectation_maximisation`
/// with its defaults: u stays fixed, the comparisons in `skip` (those on the blocked
/// columns) are dropped from the session's model, λ starts at `startLambda` (Splink starts
/// from the blocking-adjusted λ, see `blockingAdjustedLambda`), floats, and is returned but
/// not kept.
///
/// E-step: each pair's match probability from the current λ, m and u plus `tfAdjustment[p]`
/// (the pair's term-frequency adjustments on the active comparisons, constant during the
/// session because u is fixed; Splink's E-step includes them unless
/// `estimate_without_term_frequencies` is set). M-step: m(level) = Σp over pairs at the level
/// / Σp over pairs at any non-null level; λ = mean p. A level no pair reached gets m = 1e-6
/// for the rest of the session and is reported as not observed.
///
/// Stops after `maxIterations`, or as soon as the largest change of any active level's m or
/// of λ in an iteration is below `convergence` (Splink: `max_iterations`, `em_convergence`).
/// Sums run in pair order, so results do not depend on thread count.
/// Cost: O(iterations · pairs · comparisons).
public func expectationMaximisation(model: FellegiSunterModel, levels: [[UInt8]], skip: Set<Int>,
                                    startLambda: Double? = nil, tfAdjustment: [Double]? = nil,
                                    maxIterations: Int = 25, convergence: Double = 1e-4) -> EMSession {
    var work = model
    let n = levels.first?.count ?? 0
    let active = work.comparisons.indices.filter { !skip.contains($0) }
    var observed: [[Bool]] = work.comparisons.map { [Bool](repeating: false, count: $0.levels.count) }
    for c in active { for l in levels[c] { observed[c][Int(l)] = true } }
    var lambda = startLambda ?? model.lambda
    var iterations = 0
    var p = [Double](repeating: 0, count: n)
    for it in 1...max(1, maxIterations) {
        iterations = it
        let w = work.comparisons.indices.map { c in work.comparisons[c].levels.indices.map { work.weight(c, $0) } }
        let prior = log2(lambda / (1 - lambda))
        for i in 0..<n {
            var s = prior
            for c in active { s += w[c][Int(levels[c][i])] }
            if let tfAdjustment { s += tfAdjustment[i] }
            p[i] = matchProbability(s)
        }
        let newLambda = n == 0 ? lambda : p.reduce(0, +) / Double(n)
        var maxChange = abs(newLambda - lambda)
        lambda = newLambda
        for c in active {
            let lv = work.comparisons[c].levels
            var sums = [Double](repeating: 0, count: lv.count)
            for i in 0..<n { sums[Int(levels[c][i])] += p[i] }
            let total = lv.indices.filter { !lv[$0].isNull }.map { sums[$0] }.reduce(0, +)
            for l in lv.indices where !lv[l].isNull && !lv[l].fixM {
                let m = !observed[c][l] ? 1e-6 : (total > 0 ? sums[l] / total : 0)
                maxChange = max(maxChange, abs(m - work.comparisons[c].effectiveM(l)))
                work.comparisons[c].levels[l].m = m
            }
        }
        if maxChange < convergence { break }
    }
    let m: [[Double?]?] = work.comparisons.indices.map { c in
        if skip.contains(c) { return nil }
        let lv = work.comparisons[c].levels
        return lv.indices.map { l -> Double? in
            if lv[l].isNull { return 0 }
            return observed[c][l] || lv[l].fixM ? work.comparisons[c].effectiveM(l) : nil
        }
    }
    return EMSession(m: m, lambda: lambda, iterations: iterations)
}

/// Combines EM sessions as Splink does after each session
/// (`_populate_m_u_from_trained_values`): each level's m is the median of the observed
/// estimates of the sessions that estimated its comparison (the mean of the middle two for
/// an even count). A level with no observed estimate, or with a fixed m, keeps its m.
/// O(sessions · levels).
public func applyEMSessions(_ sessions: [EMSession], to model: inout FellegiSunterModel) {
    for c in model.comparisons.indices {
        for l in model.comparisons[c].levels.indices where !model.comparisons[c].levels[l].isNull && !model.comparisons[c].levels[l].fixM {
            let votes = sessions.compactMap { $0.m[c]?[l] }
            if let median = median(votes) { model.comparisons[c].levels[l].m = median }
        }
    }
}

/// The median of `values` (mean of the middle two for an even count), as Python's
/// `statistics.median`; nil when empty. O(k log k).
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let s = values.sorted(), k = s.count
    return k % 2 == 1 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2
}

/// m from labelled pairs: the share of labelled matches at each level.
public func estimateMFromLabels(model: inout FellegiSunterModel, levels: [[UInt8]], isMatch: [Bool]) {
    for c in model.comparisons.indices {
        var counts = [Int](repeating: 0, count: model.comparisons[c].levels.count)
        for (p, l) in levels[c].enumerated() where isMatch[p] { counts[Int(l)] += 1 }
        let total = zip(counts, model.comparisons[c].levels).filter { !$0.1.isNull }.map(\.0).reduce(0, +)
        guard total > 0 else { continue }
        for l in model.comparisons[c].levels.indices where !model.comparisons[c].levels[l].isNull {
            model.comparisons[c].levels[l].m = counts[l] == 0 ? 1e-6 : Double(counts[l]) / Double(total)
        }
    }
}
