import Columnar
import Foundation

/// Generates candidate pairs from OR-ed blocking rules, as Splink does: each rule is a hash
/// join on its equality conjuncts, residual conjuncts filter the joined pairs, a pair is kept
/// by the first rule producing it (`match_key`), and the link type orients pairs
/// (dedupe: l.id < r.id; link_only: l from input 1, r from input 2; link_and_dedupe: by
/// (input, id)).
///
/// Cost: O(n) to key the rows plus O(pairs) per rule; never a nested loop over records.
public struct Blocker {
    public let rules: [BlockingRule]
    public let extra: [(name: String, pairs: (Table) throws -> [(Int32, Int32)])]

    public init(rules: [BlockingRule], extra: [(name: String, pairs: (Table) throws -> [(Int32, Int32)])] = []) {
        self.rules = rules; self.extra = extra
    }

    /// `order[i]` ranks record i; a pair (i, j) is emitted only with order[i] < order[j]
    /// (and, for link_only, source[i] = 0 and source[j] = 1).
    public static func order(ids: Column, source: [UInt8], linkType: LinkType) -> [Int] {
        let n = ids.count
        // Integer ids without nulls (the usual case) sort on the flat array: the same order.
        if ids.validity == nil, case let .int64(v) = ids.data {
            let idx = (0..<n).sorted { a, b in
                if linkType != .dedupeOnly, source[a] != source[b] { return source[a] < source[b] }
                return v[a] != v[b] ? v[a] < v[b] : a < b
            }
            var rank = [Int](repeating: 0, count: n)
            for (r, i) in idx.enumerated() { rank[i] = r }
            return rank
        }
        let idx = (0..<n).sorted { a, b in
            if linkType != .dedupeOnly, source[a] != source[b] { return source[a] < source[b] }
            switch (ids.value(at: a), ids.value(at: b)) {
            case let (.int(x), .int(y)): return x != y ? x < y : a < b
            case let (x, y): let sx = x.stringValue ?? "", sy = y.stringValue ?? ""; return sx != sy ? sx < sy : a < b
            }
        }
        var rank = [Int](repeating: 0, count: n)
        for (r, i) in idx.enumerated() { rank[i] = r }
        return rank
    }

    /// All pairs, with per-rule counts (pairs first produced by that rule) for reporting.
    ///
    /// Each rule's keys become dense integer ids; the right side is bucketed by a counting
    /// sort and every left row walks its bucket, in parallel over chunks of left rows whose
    /// outputs are concatenated in row order. Pairs come out in the same order, whatever the
    /// thread count: left row, then right row. A pair is dropped when an earlier rule
    /// produces it too (its keys are equal and its residual holds), Splink's "not previously
    /// matched" filter, so no set of seen pairs is needed. O(rows + candidates · rules).
    /// `keyCache` (for one table) keeps each rule's keys for the next call on the same table.
    public func pairs(_ table: Table, order: [Int], source: [UInt8], linkType: LinkType,
                      progress: ((String) -> Void)? = nil, keyCache: BlockingKeyCache? = nil) throws -> (CandidatePairs, counts: [(String, Int)]) {
        var out = CandidatePairs()
        var counts: [(String, Int)] = []
        var keys: [(left: [UInt32], right: [UInt32])] = []
        // Each rule's keys depend on the table only: compute them side by side.
        var computed = [Result<(left: [UInt32], right: [UInt32]), Error>?](repeating: nil, count: rules.count)
        computed.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: rules.count) { k in
                slots[k] = Result { try keyCache?.keys(rules[k], table) ?? rules[k].keyIDs(table) }
            }
        }
        for (k, rule) in rules.enumerated() {
            let key = try computed[k]!.get()
            // Earlier rules without residual conditions are checked inside the join; those
            // with residuals need the evaluator, on the joined pairs.
            let plain = keys.indices.filter { rules[$0].residual == nil }.map { keys[$0] }
            var (li, ri) = Self.join(key, excluding: plain, order: order, source: source, linkType: linkType)
            if let res = rule.residual, !li.isEmpty {
                let mask = try residualMask(res, rule: rule, table: table, li, ri)
                (li, ri) = Self.keep(li, ri) { mask[$0] }
            }
            (li, ri) = try dropPreviouslyMatched(li, ri, keys: keys, table: table, residualRulesOnly: true)
            keys.append(key)
            out.left += li; out.right += ri
            out.matchKey += [UInt8](repeating: UInt8(k), count: li.count)
            counts.append((rule.text, li.count))
            progress?("rule \(k): \(li.count) new pairs")
        }
        func allowed(_ i: Int, _ j: Int) -> Bool {
            if linkType == .linkOnly { return source[i] == 0 && source[j] == 1 }
            return order[i] < order[j]
        }

        // Extra (LSH) candidates: oriented, deduplicated against themselves and earlier
        // extras, then against the rules.
        var extraSeen = Set<Int64>()
        for (e, x) in extra.enumerated() {
            var li: [Int32] = [], ri: [Int32] = []
            for (a0, b0) in try x.pairs(table) {
                var (a, b) = (a0, b0)
                if !allowed(Int(a), Int(b)) { swap(&a, &b); if !allowed(Int(a), Int(b)) { continue } }
                if extraSeen.insert(Int64(a) << 32 | Int64(b)).inserted { li.append(a); ri.append(b) }
            }
            (li, ri) = try dropPreviouslyMatched(li, ri, keys: keys, table: table)
            out.left += li; out.right += ri
            out.matchKey += [UInt8](repeating: UInt8(rules.count + e), count: li.count)
            counts.append((x.name, li.count))
        }
        return (out, counts)
    }

    /// The pairs (i, j) with `key.left[i] == key.right[j]` (non-null) that the link type
    /// allows and no key of `excluding` joins, ordered by i then j. Parallel over chunks of i;
    /// deterministic.
    static func join(_ key: (left: [UInt32], right: [UInt32]), excluding: [(left: [UInt32], right: [UInt32])] = [],
                     order: [Int], source: [UInt8], linkType: LinkType) -> ([Int32], [Int32]) {
        let n = key.left.count
        // Earlier rules' keys side by side in one buffer: [rule][left, right][row].
        let ne = excluding.count
        let earlier = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, 2 * ne * n))
        defer { earlier.deallocate() }
        for (r, k) in excluding.enumerated() {
            k.left.withUnsafeBufferPointer { earlier.advanced(by: 2 * r * n).initialize(from: $0.baseAddress!, count: n) }
            k.right.withUnsafeBufferPointer { earlier.advanced(by: (2 * r + 1) * n).initialize(from: $0.baseAddress!, count: n) }
        }
        // Bucket the right side: ids are dense, so a counting sort gives each bucket's rows
        // in ascending order.
        var buckets = 0
        for id in key.left where id != BlockingKeys.null { buckets = max(buckets, Int(id) + 1) }
        for id in key.right where id != BlockingKeys.null { buckets = max(buckets, Int(id) + 1) }
        var start = [Int](repeating: 0, count: buckets + 1)
        for id in key.right where id != BlockingKeys.null { start[Int(id) + 1] += 1 }
        for b in 0..<buckets { start[b + 1] += start[b] }
        var fill = start
        var members = [Int32](repeating: 0, count: start[buckets])
        for (j, id) in key.right.enumerated() where id != BlockingKeys.null {
            members[fill[Int(id)]] = Int32(j); fill[Int(id)] += 1
        }
        let chunk = 16384, chunks = max(1, (n + chunk - 1) / chunk)
        var parts = [([Int32], [Int32])](repeating: ([], []), count: chunks)
        parts.withUnsafeMutableBufferPointer { partsOut in
            let partsOut = partsOut
            key.left.withUnsafeBufferPointer { left in
            start.withUnsafeBufferPointer { start in
            members.withUnsafeBufferPointer { members in
            order.withUnsafeBufferPointer { order in
            source.withUnsafeBufferPointer { source in
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    var a: [Int32] = [], b: [Int32] = []
                    for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                        let id = left[i]
                        if id == BlockingKeys.null { continue }
                        for m in start[Int(id)]..<start[Int(id) + 1] {
                            let j = Int(members[m])
                            let ok = linkType == .linkOnly ? source[i] == 0 && source[j] == 1 : order[i] < order[j]
                            if !ok { continue }
                            var before = false
                            for r in 0..<ne {
                                let x = earlier[2 * r * n + i]
                                if x != BlockingKeys.null && x == earlier[(2 * r + 1) * n + j] { before = true; break }
                            }
                            if !before { a.append(Int32(i)); b.append(Int32(j)) }
                        }
                    }
                    partsOut[c] = (a, b)
                }
            }}}}}
        }
        let total = parts.reduce(0) { $0 + $1.0.count }
        var li: [Int32] = [], ri: [Int32] = []
        li.reserveCapacity(total); ri.reserveCapacity(total)
        // Each chunk's pairs are released once copied, so the pairs are not held twice over.
        for c in parts.indices {
            li += parts[c].0; ri += parts[c].1
            parts[c] = ([], [])
        }
        return (li, ri)
    }

    /// Drops the pairs an earlier rule produces: equal keys under that rule and, when it has
    /// residual conditions, those conditions hold (only the rules with residual conditions
    /// when `residualRulesOnly`). O(pairs · earlier rules).
    func dropPreviouslyMatched(_ li: [Int32], _ ri: [Int32], keys: [(left: [UInt32], right: [UInt32])],
                               table: Table, residualRulesOnly: Bool = false) throws -> ([Int32], [Int32]) {
        var (li, ri) = (li, ri)
        for (r, key) in keys.enumerated() where !li.isEmpty && !(residualRulesOnly && rules[r].residual == nil) {
            let same = (0..<li.count).map { p in
                let a = key.left[Int(li[p])]
                return a != BlockingKeys.null && a == key.right[Int(ri[p])]
            }
            guard let res = rules[r].residual else {
                (li, ri) = Self.keep(li, ri) { !same[$0] }
                continue
            }
            let candidates = (0..<li.count).filter { same[$0] }
            if candidates.isEmpty { continue }
            let mask = try residualMask(res, rule: rules[r], table: table, candidates.map { li[$0] }, candidates.map { ri[$0] })
            var drop = [Bool](repeating: false, count: li.count)
            for (k, p) in candidates.enumerated() where mask[k] { drop[p] = true }
            (li, ri) = Self.keep(li, ri) { !drop[$0] }
        }
        return (li, ri)
    }

    func residualMask(_ residual: Columnar.Expression, rule: BlockingRule, table: Table, _ li: [Int32], _ ri: [Int32]) throws -> [Bool] {
        let scope = ExpressionScope([("l", table.schema), ("r", table.schema)], plain: [])
        let ev = try ExpressionEvaluator(residual, source: rule.text, scope: scope)
        return try ev.mask(["l": ExpressionInput(table, rows: .int32(li)), "r": ExpressionInput(table, rows: .int32(ri))])
    }

    static func keep(_ li: [Int32], _ ri: [Int32], _ predicate: (Int) -> Bool) -> ([Int32], [Int32]) {
        var a: [Int32] = [], b: [Int32] = []
        a.reserveCapacity(li.count); b.reserveCapacity(li.count)
        for p in 0..<li.count where predicate(p) { a.append(li[p]); b.append(ri[p]) }
        return (a, b)
    }
}
