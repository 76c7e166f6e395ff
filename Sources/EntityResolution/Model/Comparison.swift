import Foundation

/// A comparison of one input column: ordered levels (null, exact, thresholds, else).
/// Gamma values follow Splink: null −1, then the first non-null level gets n−1 down to the
/// else level 0.
public struct Comparison: Equatable, Sendable {
    public var column: String
    public var levels: [ComparisonLevel]
    public var description: String

    public init(column: String, levels: [ComparisonLevel], description: String = "") {
        self.column = column; self.levels = levels; self.description = description
    }

    /// True when some level is tested on `column` itself (every kind but `.custom` and the
    /// else level), so the column must exist in the input.
    public var readsColumn: Bool { levels.contains { $0.condition != .custom && $0.condition != .otherwise } }
    /// True when some level is `.custom` (evaluated by `CustomLevels`).
    public var hasCustomLevels: Bool { levels.contains { $0.condition == .custom } }

    /// The input columns the levels read, among `columns` (Splink's
    /// `_input_columns_used_by_case_statement`): the comparison's column when a fast level
    /// tests it, and every `x` read as `x_l` / `x_r` by a custom level's SQL.
    /// O(levels · SQL length).
    public func inputColumns(_ columns: Set<String>) -> Set<String> {
        var out: Set<String> = readsColumn ? [column] : []
        for level in levels {
            guard let sql = level.sqlCondition else { continue }
            if let (c, _) = CustomLevels.arrayIntersectShape(sql) { out.insert(c); continue }
            guard let e = try? SplinkSQL.parse(sql, columns: columns) else { continue }
            for r in e.columnReferences where r.qualifier != nil && columns.contains(r.name) { out.insert(r.name) }
        }
        return out
    }

    /// Gamma of level index i.
    public func gamma(_ i: Int) -> Int {
        if levels[i].isNull { return -1 }
        let nonNullBefore = levels[..<i].filter { !$0.isNull }.count
        return levels.filter { !$0.isNull }.count - 1 - nonNullBefore
    }

    /// m actually used for level i: trained value, else Splink's default for its gamma.
    public func effectiveM(_ i: Int) -> Double {
        levels[i].m ?? defaultM(count: levels.filter { !$0.isNull }.count)[gamma(i)]
    }
    public func effectiveU(_ i: Int) -> Double {
        levels[i].u ?? defaultU(count: levels.filter { !$0.isNull }.count)[gamma(i)]
    }

    /// The u of the exact level on the TF column (used by TF adjustments on any level).
    public func exactU(for i: Int) -> Double {
        if levels[i].tfUsesOwnU { return effectiveU(i) }
        if let tf = levels[i].tfColumn, let e = levels.firstIndex(where: { $0.exactColumn == tf }) { return effectiveU(e) }
        if let e = levels.firstIndex(where: { $0.condition == .exact }) { return effectiveU(e) }
        return effectiveU(i)
    }

    /// Splink's default m values by gamma (0.95 at the top level, the rest shared).
    func defaultM(count n: Int) -> [Double] {
        let rest = 0.05 / Double(n - 1)
        return [Double](repeating: rest, count: n - 1) + [0.95]
    }
    /// Splink's default u values: weights interpolated from −5 to 3, 10 on the top level.
    func defaultU(count n: Int) -> [Double] {
        let m = defaultM(count: n)
        var w: [Double] = n == 2 ? [-5] : (0..<(n - 1)).map { -5 + Double($0) * 8 / Double(n - 2) }
        w.append(10)
        return zip(m, w).map { $0 / pow(2, $1) }
    }
}
