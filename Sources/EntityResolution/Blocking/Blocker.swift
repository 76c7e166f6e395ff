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
    public func pairs(_ table: Table, order: [Int], source: [UInt8], linkType: LinkType,
                      progress: ((String) -> Void)? = nil) throws -> (CandidatePairs, counts: [(String, Int)]) {
        var out = CandidatePairs()
        var seen = Set<Int64>()
        var counts: [(String, Int)] = []
        func allowed(_ i: Int, _ j: Int) -> Bool {
            if linkType == .linkOnly { return source[i] == 0 && source[j] == 1 }
            return order[i] < order[j]
        }
        for (k, rule) in rules.enumerated() {
            let lk = try rule.keyStrings(table, side: "l"), rk = try rule.keyStrings(table, side: "r")
            var buckets: [String: [Int32]] = [:]
            for (j, key) in rk.enumerated() { if let key { buckets[key, default: []].append(Int32(j)) } }
            var li: [Int32] = [], ri: [Int32] = []
            for (i, key) in lk.enumerated() {
                guard let key, let js = buckets[key] else { continue }
                for j in js where allowed(i, Int(j)) { li.append(Int32(i)); ri.append(j) }
            }
            if let res = rule.residual, !li.isEmpty {
                let scope = ExpressionScope([("l", table.schema), ("r", table.schema)], plain: [])
                let ev = try ExpressionEvaluator(res, source: rule.text, scope: scope)
                let mask = try ev.mask(["l": ExpressionInput(table, rows: .int32(li)), "r": ExpressionInput(table, rows: .int32(ri))])
                var a: [Int32] = [], b: [Int32] = []
                for p in 0..<li.count where mask[p] { a.append(li[p]); b.append(ri[p]) }
                li = a; ri = b
            }
            let before = out.count
            for p in 0..<li.count {
                let key = Int64(li[p]) << 32 | Int64(ri[p])
                if seen.insert(key).inserted { out.left.append(li[p]); out.right.append(ri[p]); out.matchKey.append(UInt8(k)) }
            }
            counts.append((rule.text, out.count - before))
            progress?("rule \(k): \(out.count - before) new pairs")
        }
        for (e, x) in extra.enumerated() {
            let before = out.count
            for (a0, b0) in try x.pairs(table) {
                var (a, b) = (a0, b0)
                if !allowed(Int(a), Int(b)) { swap(&a, &b); if !allowed(Int(a), Int(b)) { continue } }
                let key = Int64(a) << 32 | Int64(b)
                if seen.insert(key).inserted { out.left.append(a); out.right.append(b); out.matchKey.append(UInt8(rules.count + e)) }
            }
            counts.append((x.name, out.count - before))
        }
        return (out, counts)
    }
}
