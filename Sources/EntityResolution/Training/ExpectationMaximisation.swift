import Foundation

/// One EM session as Splink runs it under a training blocking rule: u stays fixed, the
/// comparisons in `skip` (those on the blocked columns) are not estimated, λ floats during
/// the session and is returned but not kept. Stops after `maxIterations` or when no m or λ
/// moves by more than `convergence`.
///
/// E-step: each pair's match probability from the current λ, m and u (TF adjustments
/// ignored). M-step: m(level) = Σp over pairs at the level / Σp over non-null pairs.
/// Sums run in pair order, so results do not depend on thread count.
/// Returns the m estimates per comparison/level (nil for skipped comparisons) and final λ.
public func expectationMaximisation(model: FellegiSunterModel, levels: [[UInt8]], skip: Set<Int>,
                                    maxIterations: Int = 25, convergence: Double = 1e-4) -> (m: [[Double]?], lambda: Double, iterations: Int) {
    var work = model
    let n = levels.first?.count ?? 0
    var lambda = model.lambda
    var iterations = 0
    var p = [Double](repeating: 0, count: n)
    for it in 1...maxIterations {
        iterations = it
        let w = work.comparisons.indices.map { c in work.comparisons[c].levels.indices.map { work.weight(c, $0) } }
        let prior = log2(lambda / (1 - lambda))
        for i in 0..<n {
            var s = prior
            // Splink drops the blocked comparisons from the session's model altogether.
            for c in w.indices where !skip.contains(c) { s += w[c][Int(levels[c][i])] }
            p[i] = matchProbability(s)
        }
        var maxChange = 0.0
        let newLambda = n == 0 ? lambda : p.reduce(0, +) / Double(n)
        maxChange = abs(newLambda - lambda)
        lambda = newLambda
        for c in work.comparisons.indices where !skip.contains(c) {
            let lv = work.comparisons[c].levels
            var sums = [Double](repeating: 0, count: lv.count)
            for i in 0..<n { sums[Int(levels[c][i])] += p[i] }
            let total = zip(sums, lv).filter { !$0.1.isNull }.map(\.0).reduce(0, +)
            guard total > 0 else { continue }
            for l in lv.indices where !lv[l].isNull && !lv[l].fixM {
                // A level no pair reached is Splink's "not observed" (m = 1e-6).
                let m = sums[l] == 0 ? 1e-6 : sums[l] / total
                let old = work.comparisons[c].effectiveM(l)
                maxChange = max(maxChange, abs(m - old))
                work.comparisons[c].levels[l].m = m
            }
        }
        if maxChange < convergence { break }
    }
    let m: [[Double]?] = work.comparisons.indices.map { c in
        skip.contains(c) ? nil : work.comparisons[c].levels.indices.map { work.comparisons[c].levels[$0].isNull ? 0 : work.comparisons[c].effectiveM($0) }
    }
    return (m, lambda, iterations)
}

/// Combines EM sessions as Splink does: each level's m is the mean of the sessions that
/// estimated its comparison.
public func applyEMSessions(_ sessions: [[[Double]?]], to model: inout FellegiSunterModel) {
    for c in model.comparisons.indices {
        let est = sessions.compactMap { $0[c] }
        guard !est.isEmpty else { continue }
        for l in model.comparisons[c].levels.indices where !model.comparisons[c].levels[l].isNull && !model.comparisons[c].levels[l].fixM {
            model.comparisons[c].levels[l].m = est.map { $0[l] }.reduce(0, +) / Double(est.count)
        }
    }
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
