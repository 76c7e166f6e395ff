// Silver one batch at a time: the expectations and the key check carry their counts and the
// keys seen from batch to batch, so a file read in batches gives the silver, quarantine and
// quality rows that one pass over the whole file gives.
import Columnar

/// Silver's validation of a bronze table that arrives in batches (in ingest order).
/// Row rules look at one row; the duplicate-key check remembers every key seen in earlier
/// batches (and `keptKeys`, silver's keys from earlier runs), so the first row with a key
/// stays and later ones are quarantined as `unique_<key>`, whatever the batch size.
/// Memory: the keys seen plus one batch.
public struct SilverBatcher {
    public let kind: InputKind
    let rules: [Expectation]
    let keyName: String?
    let keptKeys: Column?
    var seenInts: Int64KeySet?
    var seenValues: Set<Value>?
    var failed: [Int]
    var duplicates = 0
    /// Bronze rows seen so far.
    public private(set) var rows = 0
    /// Rows of each `fail` rule that failed, first examples (rule index -> examples).
    var failExamples: [Int: [String]] = [:]

    public init(kind: InputKind, suite: ExpectationSuite, keptKeys: Column? = nil) {
        self.kind = kind
        rules = suite.rules[kind.rawValue] ?? []
        keyName = ExpectationSuite.keys[kind.rawValue]
        self.keptKeys = keptKeys
        failed = Array(repeating: 0, count: rules.count)
    }

    /// One batch's silver rows (normalised), its quarantined rows (with
    /// `_failed_expectations`) and the rows dropped. A violated `fail` expectation is counted
    /// and reported by `checkFailPolicies` once every batch was seen. `normalised`, when
    /// given, is `SilverStage.normalisedColumns` of the whole batch (computed ahead, e.g. on
    /// the thread that read it); silver takes its kept rows, the values normalising silver's
    /// rows gives. O(rows · expectations).
    public mutating func add(_ bronze: Table, normalised: [(String, Column)]? = nil) throws -> (silver: Table, quarantine: Table, dropped: Int) {
        let name = kind.rawValue
        let n = bronze.rowCount
        var failures = [[String]](repeating: [], count: n)
        var dropRow = [Bool](repeating: false, count: n)
        let scope = ExpressionScope([("", bronze.schema)])
        let input = ["": ExpressionInput(bronze)]
        for (k, rule) in rules.enumerated() {
            let evaluator = try ExpressionEvaluator(rule.condition, scope: scope)
            let pass = try evaluator.mask(input, rowCount: n)
            var failing: [Int] = []
            for r in 0..<n where !pass[r] { failing.append(r) }
            failed[k] += failing.count
            switch rule.policy {
            case .fail where !failing.isEmpty:
                let have = failExamples[k, default: []].count
                failExamples[k, default: []] += failing.prefix(max(0, 3 - have)).map { r in
                    "row \(rows + r + 1): " + bronze.columnNames.prefix(4).enumerated().map { "\($0.element)=\(bronze.value(row: r, column: $0.offset))" }.joined(separator: ", ")
                }
            case .fail: break
            case .drop: for r in failing { dropRow[r] = true }
            case .quarantine: for r in failing { failures[r].append(rule.name) }
            }
        }
        // Duplicate keys: the first row (in ingest order) stays, later ones are quarantined.
        if let key = keyName, let column = bronze.schema.index(of: key).map({ bronze.columns[$0] }) {
            // Integer keys (the usual case) hash as Int64, without boxing a Value per row.
            // Keys kept earlier are non-null silver keys of the same type (the caller checks the schema).
            if case let .int64(values) = column.data, seenValues == nil {
                if seenInts == nil {
                    var seen = Int64KeySet(minimumCapacity: n + (keptKeys?.count ?? 0))
                    if let k = keptKeys, case let .int64(old) = k.data { for r in 0..<k.count where !k.isNull(r) { seen.insert(old[r]) } }
                    seenInts = seen
                }
                for r in 0..<n where !column.isNull(r) && !dropRow[r] && failures[r].isEmpty {
                    if !seenInts!.insert(values[r]) { failures[r].append("unique_\(key)"); duplicates += 1 }
                }
            } else {
                if seenValues == nil {
                    var seen = Set<Value>(minimumCapacity: n + (keptKeys?.count ?? 0))
                    if let ints = seenInts { for v in ints.keys { seen.insert(.int(v)) } }
                    else if let k = keptKeys { for r in 0..<k.count where !k.isNull(r) { seen.insert(k.value(at: r)) } }
                    seenValues = seen
                    seenInts = nil
                }
                for r in 0..<n where !column.isNull(r) && !dropRow[r] && failures[r].isEmpty {
                    if !seenValues!.insert(column.value(at: r)).inserted { failures[r].append("unique_\(key)"); duplicates += 1 }
                }
            }
        }
        rows += n

        var keep: [Int] = [], quarantined: [Int] = []
        keep.reserveCapacity(n)
        for r in 0..<n {
            if dropRow[r] { continue }
            if failures[r].isEmpty { keep.append(r) } else { quarantined.append(r) }
        }
        // The declared columns, then the file's own extra columns as they came, then lineage.
        let extras = bronze.columnNames.filter { !kind.schema.names.contains($0) && !$0.hasPrefix("_") }
        // Usually every row is kept: the batch itself, not a copy of it.
        var silver = try (keep.count == n ? bronze : bronze.gather(keep)).select(kind.schema.names + extras + ["_source_file", "_ingest_ts"].filter { bronze.schema.index(of: $0) != nil })
        if let normalised {
            for (name, column) in normalised { silver = try silver.adding(name, keep.count == n ? column : column.gather(keep)) }
        } else {
            silver = try SilverStage.normalised(silver, kind: kind)
        }
        let quarantine = try bronze.gather(quarantined).adding("_failed_expectations", .string(quarantined.map { failures[$0].joined(separator: "|") }))
        return (silver, quarantine, n - keep.count - quarantined.count)
    }

    /// Throws `PipelineError.expectationFailed` for the first `fail` rule (in declared
    /// order) that any batch violated, with the total count and the first examples.
    public func checkFailPolicies() throws {
        for (k, rule) in rules.enumerated() where rule.policy == .fail && failed[k] > 0 {
            throw PipelineError.expectationFailed(table: kind.rawValue, expectation: rule.name, rows: failed[k], examples: failExamples[k] ?? [])
        }
    }

    /// The quality rows over every batch so far: each rule, then `unique_<key>`.
    public var metrics: [QualityRow] {
        var out = rules.enumerated().map { k, rule in
            QualityRow(table: kind.rawValue, expectation: rule.name, condition: rule.condition, policy: rule.policy.rawValue,
                       passed: rows - failed[k], failed: failed[k])
        }
        if let key = keyName, seenInts != nil || seenValues != nil {
            out.append(QualityRow(table: kind.rawValue, expectation: "unique_\(key)", condition: "\(key) is unique", policy: "quarantine",
                                  passed: rows - duplicates, failed: duplicates))
        }
        return out
    }
}
