// The windowing kernel shared by the fan, gather-scatter and structuring detectors: greedy,
// non-overlapping bursts of payments over one account's time-sorted candidate list.

/// Greedy bursts over a time-sorted list of payments.
///
/// Anchored at position `i`, the window holds every candidate whose time is within `window`
/// of candidate `i`. A window with more than `maxCount` (when > 0) distinct counterparties (or
/// payments when `distinct` is false) is skipped whole (a hub's ordinary traffic). One with at
/// least `minCount` is offered to `qualifies(i..<j)`, which returns the end of the part to
/// emit (at most `j`, e.g. the longest significant prefix) or nil; an emitted `i..<end`
/// restarts the scan at `end`. Otherwise the anchor moves one payment on.
/// Emitted windows never overlap, and every payment is added and removed once (plus what
/// `qualifies` looks at).
///
/// - Complexity: O(n) for n candidates, using `counts` (one slot per vertex, all zero on
///   entry and on exit) for the distinct counterparties.
enum TypologyWindows {
    static func bursts(_ candidates: [UInt32], times: [Int64], counterparty: (UInt32) -> UInt32, window: Int64,
                       distinct: Bool, minCount: Int, maxCount: Int, counts: inout [Int32],
                       qualifies: (Range<Int>) -> Int? = { $0.upperBound }) -> [Range<Int>] {
        bursts(count: candidates.count, time: { times[Int(candidates[$0])] }, key: { counterparty(candidates[$0]) }, window: window,
               distinct: distinct, minCount: minCount, maxCount: maxCount, counts: &counts, qualifies: qualifies)
    }

    /// The same over items `0..<n` given by their time (non-decreasing) and counterparty key.
    static func bursts(count n: Int, time: (Int) -> Int64, key: (Int) -> UInt32, window: Int64,
                       distinct: Bool, minCount: Int, maxCount: Int, counts: inout [Int32],
                       qualifies: (Range<Int>) -> Int? = { $0.upperBound }) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0, j = 0, current = 0
        func add(_ k: Int) {
            let c = Int(key(k))
            if counts[c] == 0 || !distinct { current += 1 }
            counts[c] += 1
        }
        func remove(_ k: Int) {
            let c = Int(key(k))
            counts[c] -= 1
            if counts[c] == 0 || !distinct { current -= 1 }
        }
        while i < n {
            if j < i { j = i }
            while j < n && time(j) - time(i) <= window { add(j); j += 1 }
            if maxCount > 0 && current > maxCount {
                for k in i..<j { remove(k) }
                i = j
            } else if current >= minCount, let end = qualifies(i..<j), end > i {
                out.append(i..<end)
                // Items end..<j stay counted: the next window starts at `end`.
                for k in i..<end { remove(k) }
                i = end
            } else {
                remove(i)
                i += 1
            }
        }
        return out
    }

    /// Distinct counterparties of `candidates[range]` in order of first appearance.
    static func distinctCounterparties(_ candidates: [UInt32], _ range: Range<Int>, counterparty: (UInt32) -> UInt32) -> [UInt32] {
        var seen = Set<UInt32>(), out: [UInt32] = []
        for k in range where seen.insert(counterparty(candidates[k])).inserted { out.append(counterparty(candidates[k])) }
        return out
    }
}
