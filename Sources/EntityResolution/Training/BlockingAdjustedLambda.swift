import Foundation

/// The λ an EM session starts from, as Splink computes it for a training blocking rule
/// (`_blocking_adjusted_probability_two_random_records_match`): the model's prior odds
/// λ/(1−λ) times the Bayes factor m/u of one exact-match level per column the rule uses,
/// turned back into a probability. Levels are taken in comparison order, the first exact
/// level on a still-unclaimed blocked column claiming it. The rule need not be an equality
/// on that column (`substr(l.name,1,3) = substr(r.name,1,3)` still uses name's exact level).
/// m and u are the model's current values (Splink's defaults where untrained); u = 0 gives
/// a factor of infinity and hence λ = 1. O(levels).
public func blockingAdjustedLambda(model: FellegiSunterModel, blockedColumns: Set<String>) -> Double {
    var odds = model.lambda / (1 - model.lambda)
    var unclaimed = blockedColumns
    for cmp in model.comparisons {
        guard unclaimed.contains(cmp.column), let e = cmp.levels.firstIndex(where: { $0.condition == .exact }) else { continue }
        let u = cmp.effectiveU(e)
        odds *= u == 0 ? .infinity : cmp.effectiveM(e) / u
        unclaimed.remove(cmp.column)
    }
    return odds.isInfinite ? 1 : odds / (1 + odds)
}
