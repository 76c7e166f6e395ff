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
        var out = t
        for (name, column) in try normalisedColumns(t, kind: kind) { out = try out.adding(name, column) }
        return out
    }

    /// The matching keys entity resolution compares on, one column per key (in the order
    /// silver adds them), row for row with `t`. Each row's key depends on that row alone.
    static func normalisedColumns(_ t: Table, kind: InputKind) throws -> [(String, Column)] {
        typealias Fast = (UnsafeBufferPointer<UInt8>, inout [UInt8], inout WordScratch) -> Bool
        func derived(_ source: String, _ fast: Fast?, _ f: @escaping (String) -> String) throws -> Column { map(try t.column(source), fast, f) }
        // Each of 64 chunks fills its own byte buffer (ASCII fields straight from the column's
        // bytes, others through `f`), then the chunks are joined in row order: the result does
        // not depend on the thread count.
        func map(_ c: Column, _ fast: Fast?, _ f: (String) -> String) -> Column {
            guard case let .string(text) = c.data else {
                var b = ColumnBuilder(type: .string, capacity: c.count)
                for r in 0..<c.count { if let s = c.value(at: r).stringValue { b.append(string: f(s)) } else { b.appendNull() } }
                return b.finish()
            }
            let chunks = 64
            var parts = [StringArray](repeating: StringArray(), count: chunks)
            parts.withUnsafeMutableBufferPointer { buffer in
                let out = buffer
                text.bytes.withUnsafeBufferPointer { all in
                    parallelChunks(count: c.count, chunks: chunks, minimumChunk: 1 << 13) { k, range in
                        var bytes: [UInt8] = []
                        bytes.reserveCapacity(text.range(range.upperBound - 1).upperBound - text.range(range.lowerBound).lowerBound + 64)
                        var offsets: [Int] = [0]
                        offsets.reserveCapacity(range.count + 1)
                        var scratch = WordScratch()
                        for r in range {
                            if !c.isNull(r) {
                                let field = UnsafeBufferPointer(rebasing: all[text.range(r)])
                                if !(fast?(field, &bytes, &scratch) ?? false) {
                                    bytes.append(contentsOf: f(String(decoding: field, as: UTF8.self)).utf8)
                                }
                            }
                            offsets.append(bytes.count)
                        }
                        out[k] = StringArray(offsets: offsets, bytes: bytes)
                    }
                }
            }
            var joined = StringArray()
            joined.reserveCapacity(strings: c.count, bytes: parts.reduce(0) { $0 + $1.bytes.count })
            for part in parts { joined.append(contentsOf: part) }
            return Column(.string(joined), validity: c.validity)
        }
        let name: Fast = { SilverNormalizationBytes.name($0, into: &$1, &$2) }
        let address: Fast = { SilverNormalizationBytes.address($0, into: &$1, &$2) }
        let sorted: Fast = { SilverNormalizationBytes.sortedWords($0, into: &$1, &$2) }
        switch kind {
        case .entities:
            return [("name_norm", try derived("name", name, SilverNormalization.name)),
                    ("address_norm", try derived("address", address, SilverNormalization.address))]
        case .transactions:
            // The sorted-word key is built from the normalised name, not by normalising again.
            let names = try derived("rptd_originator_name", name, SilverNormalization.name)
            return [("rptd_originator_name_norm", names),
                    ("rptd_originator_name_tokens", map(names, sorted, SilverNormalization.sortedWords)),
                    ("rptd_originator_address_norm", try derived("rptd_originator_address", address, SilverNormalization.address))]
        case .dedupe:
            return [("org_name_norm", try derived("org_name", nil, SilverNormalization.organisationCore)),
                    ("address_norm", try derived("address", address, SilverNormalization.address)),
                    ("country_norm", try derived("country", address, SilverNormalization.address))]
        }
    }
}
