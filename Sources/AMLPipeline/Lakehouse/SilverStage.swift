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
    /// bronze rows came first in the same run. One batch of `SilverBatcher`.
    /// O(rows · expectations + kept keys).
    public static func build(kind: InputKind, bronze: Table, suite: ExpectationSuite, keptKeys: Column? = nil) throws -> SilverResult {
        var batcher = SilverBatcher(kind: kind, suite: suite, keptKeys: keptKeys)
        let batch = try batcher.add(bronze)
        try batcher.checkFailPolicies()
        return SilverResult(silver: batch.silver, quarantine: batch.quarantine, dropped: batch.dropped, metrics: batcher.metrics)
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
