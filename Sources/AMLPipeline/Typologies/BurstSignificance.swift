// Is a burst of payments improbable for the account that made or received it? The separator
// between a fan (or a structuring run) and an account's ordinary flow of one-off payments.
//
// Model: the account's candidate payments arrive as a Poisson process at its own average rate
// over the data's period (rate = n / T), where n counts the account's payments outside the
// burst under test, plus one (Kulldorff's scan statistic likewise takes the expected count
// from the baseline, not from the cluster; the one keeps the rate above zero for an account
// whose only such payments are the burst). k payments within a span s (at least one hour, and at
// least the data's time resolution: with booking dates, a day) have
// tail probability P(X ≥ k | λ = rate·s); scanning every start point multiplies it by T / s
// windows (a Bonferroni bound on the scan statistic). A burst is significant when that bound
// is at most `maxProbability` (0.001 by default). An account that always receives from many new
// payers (a shop, a charity) has a high rate, so the same burst is ordinary there; an account
// with a quiet history receiving from eight new payers in a day is not.

import Foundation

/// The scan-statistic test for bursts (see the file header).
public enum BurstSignificance {
    /// Bonferroni-bounded probability of `k` of an account's `n` payments over `period`
    /// falling within `span` by chance (times in microseconds). O(k).
    public static func probability(k: Int, n: Int, span: Int64, period: Int64, resolution: Int64 = 1) -> Double {
        let floor = max(3_600_000_000, resolution)
        let s = Double(max(span, floor)), t = Double(max(period, max(span, floor)))
        let lambda = Double(n) / t * s
        return min(1, t / s * poissonTail(k, lambda))
    }

    /// P(X ≥ k) for X ~ Poisson(λ), summed from the upper terms (accurate for small λ).
    public static func poissonTail(_ k: Int, _ lambda: Double) -> Double {
        if k <= 0 { return 1 }
        if lambda <= 0 { return 0 }
        if Double(k) <= lambda { return 1 - lowerSum(k, lambda) }
        var term = exp(-lambda + Double(k) * log(lambda) - lgamma(Double(k) + 1)), sum = 0.0, i = k
        while term > sum * 1e-17 && i < k + 1000 {
            sum += term
            i += 1
            term *= lambda / Double(i)
        }
        return min(1, sum)
    }

    static func lowerSum(_ k: Int, _ lambda: Double) -> Double {
        var term = exp(-lambda), sum = 0.0
        for i in 0..<k { sum += term; term *= lambda / Double(i + 1) }
        return min(1, sum)
    }

    /// The longest prefix `range.lowerBound..<end` (at most `maxLook` items) that holds at least
    /// `minCount` distinct keys (or items) and whose burst probability is at most
    /// `maxProbability`; nil if none. Prefixes end at the last payment of an instant (ties in
    /// time are not split). O(maxLook).
    static func significantEnd(_ range: Range<Int>, time: (Int) -> Int64, key: (Int) -> UInt32, distinct: Bool, minCount: Int,
                               n: Int, period: Int64, resolution: Int64, maxProbability: Double, maxLook: Int) -> Int? {
        var seen = Set<UInt32>(), best: Int? = nil
        let first = time(range.lowerBound)
        let looked = range.prefix(maxLook)
        for k in looked {
            if distinct { seen.insert(key(k)) }
            // Within payments at one instant the longest prefix is the most improbable: test
            // only the last of each instant (an equal-values block costs one test).
            if k + 1 < looked.upperBound && time(k + 1) == time(k) { continue }
            let count = k - range.lowerBound + 1
            if (distinct ? seen.count : count) < minCount { continue }
            // The null rate comes from the account's other payments (outside the burst), plus
            // one so that it is never zero: the burst must not make itself look ordinary.
            if probability(k: count, n: max(0, n - count) + 1, span: time(k) - first, period: period, resolution: resolution) <= maxProbability { best = k + 1 }
        }
        return best
    }
}
