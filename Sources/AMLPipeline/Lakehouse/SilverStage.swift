// Silver: typed (bronze already is), de-duplicated on the key, validated by the expectations,
// with normalised names and addresses for entity resolution.
import Columnar
import PropertyGraph

/// One silver table, its quarantine and its quality rows.
public struct SilverResult: Sendable {
    public var silver: Table
    /// Failing rows with `_failed_expectations` (`|`-separated names).
    public var quarantine: Table
    public var dropped: Int
    public var metrics: [QualityRow]
}

public enum SilverStage {
    /// Validates `bronze` (the bronze table for `kind`). Row accounting holds exactly:
    /// bronze rows = silver rows + dropped + quarantined. Throws
    /// `PipelineError.expectationFailed` when a `fail` expectation is violated.
    /// `keptKeys` is the key column of the silver rows kept by earlier runs (an incremental
    /// append): a new row whose key is among them is a duplicate, exactly as if the earlier
    /// bronze rows came first in the same run.
    /// O(rows · expectations + kept keys).
    public static func build(kind: InputKind, bronze: Table, suite: ExpectationSuite, keptKeys: Column? = nil) throws -> SilverResult {
        let name = kind.rawValue
        let rules = suite.rules[name] ?? []
        let n = bronze.rowCount
        var failures = [[String]](repeating: [], count: n)
        var dropRow = [Bool](repeating: false, count: n)
        var metrics: [QualityRow] = []
        let scope = ExpressionScope([("", bronze.schema)])
        let input = ["": ExpressionInput(bronze)]
        for rule in rules {
            let evaluator = try ExpressionEvaluator(rule.condition, scope: scope)
            let pass = try evaluator.mask(input, rowCount: n)
            let failing = pass.indices.filter { !pass[$0] }
            metrics.append(QualityRow(table: name, expectation: rule.name, condition: rule.condition, policy: rule.policy.rawValue,
                                      passed: n - failing.count, failed: failing.count))
            switch rule.policy {
            case .fail where !failing.isEmpty:
                let examples = failing.prefix(3).map { r in "row \(r + 1): " + bronze.columnNames.prefix(4).enumerated().map { "\($0.element)=\(bronze.value(row: r, column: $0.offset))" }.joined(separator: ", ") }
                throw PipelineError.expectationFailed(table: name, expectation: rule.name, rows: failing.count, examples: examples)
            case .fail: break
            case .drop: for r in failing { dropRow[r] = true }
            case .quarantine: for r in failing { failures[r].append(rule.name) }
            }
        }
        // Duplicate keys: the first row (in ingest order) stays, later ones are quarantined.
        if let key = ExpectationSuite.keys[name], let column = bronze.schema.index(of: key).map({ bronze.columns[$0] }) {
            var duplicates = 0
            func markDuplicates<Key: Hashable>(_ keyOf: (Int) -> Key, kept: (inout Set<Key>) -> Void) {
                var seen = Set<Key>(minimumCapacity: n + (keptKeys?.count ?? 0))
                kept(&seen)
                for r in 0..<n where !column.isNull(r) && !dropRow[r] && failures[r].isEmpty {
                    if !seen.insert(keyOf(r)).inserted { failures[r].append("unique_\(key)"); duplicates += 1 }
                }
            }
            // Integer keys (the usual case) hash as Int64, without boxing a Value per row.
            // Keys kept earlier are non-null silver keys of the same type (the caller checks the schema).
            if case let .int64(values) = column.data {
                markDuplicates({ values[$0] }, kept: { seen in
                    if let k = keptKeys, case let .int64(old) = k.data { for r in 0..<k.count where !k.isNull(r) { seen.insert(old[r]) } }
                })
            } else {
                markDuplicates({ column.value(at: $0) }, kept: { seen in
                    if let k = keptKeys { for r in 0..<k.count where !k.isNull(r) { seen.insert(k.value(at: r)) } }
                })
            }
            metrics.append(QualityRow(table: name, expectation: "unique_\(key)", condition: "\(key) is unique", policy: "quarantine",
                                      passed: n - duplicates, failed: duplicates))
        }

        var keep: [Int] = [], quarantined: [Int] = []
        for r in 0..<n {
            if dropRow[r] { continue }
            if failures[r].isEmpty { keep.append(r) } else { quarantined.append(r) }
        }
        // The declared columns, then the file's own extra columns as they came, then lineage.
        let extras = bronze.columnNames.filter { !kind.schema.names.contains($0) && !$0.hasPrefix("_") }
        var silver = try bronze.gather(keep).select(kind.schema.names + extras + ["_source_file", "_ingest_ts"].filter { bronze.schema.index(of: $0) != nil })
        silver = try normalised(silver, kind: kind)
        let quarantine = try bronze.gather(quarantined).adding("_failed_expectations", .string(quarantined.map { failures[$0].joined(separator: "|") }))
        return SilverResult(silver: silver, quarantine: quarantine, dropped: n - keep.count - quarantined.count, metrics: metrics)
    }

    /// Adds the matching keys entity resolution compares on.
    static func normalised(_ t: Table, kind: InputKind) throws -> Table {
        // Normalised in parallel chunks into a row-indexed buffer, then appended in row order.
        func derived(_ source: String, _ f: (String) -> String) throws -> Column { map(try t.column(source), f) }
        // Each of 64 chunks fills its own string buffer (no String kept per row), then the
        // chunks are joined in row order: the result does not depend on the thread count.
        func map(_ c: Column, _ f: (String) -> String) -> Column {
            guard case .string = c.data else {
                var b = ColumnBuilder(type: .string, capacity: c.count)
                for r in 0..<c.count { if let s = c.value(at: r).stringValue { b.append(string: f(s)) } else { b.appendNull() } }
                return b.finish()
            }
            let chunks = 64
            var parts = [StringArray](repeating: StringArray(), count: chunks)
            parts.withUnsafeMutableBufferPointer { buffer in
                let out = buffer
                parallelChunks(count: c.count, chunks: chunks, minimumChunk: 1 << 13) { k, range in
                    var part = StringArray()
                    for r in range { if let s = c.value(at: r).stringValue { part.append(f(s)) } else { part.appendEmpty() } }
                    out[k] = part
                }
            }
            var joined = StringArray()
            joined.reserveCapacity(strings: c.count, bytes: parts.reduce(0) { $0 + $1.bytes.count })
            for part in parts { joined.append(contentsOf: part) }
            return Column(.string(joined), validity: c.validity)
        }
        switch kind {
        case .entities:
            return try t.adding("name_norm", try derived("name", SilverNormalization.name))
                .adding("address_norm", try derived("address", SilverNormalization.address))
        case .transactions:
            // The sorted-word key is built from the normalised name, not by normalising again.
            let name = try derived("rptd_originator_name", SilverNormalization.name)
            return try t.adding("rptd_originator_name_norm", name)
                .adding("rptd_originator_name_tokens", map(name, SilverNormalization.sortedWords))
                .adding("rptd_originator_address_norm", try derived("rptd_originator_address", SilverNormalization.address))
        case .dedupe:
            return try t.adding("org_name_norm", try derived("org_name", SilverNormalization.organisationCore))
                .adding("address_norm", try derived("address", SilverNormalization.address))
                .adding("country_norm", try derived("country", SilverNormalization.address))
        }
    }
}
