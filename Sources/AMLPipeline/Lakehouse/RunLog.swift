// The `runs` table: one row per pipeline run, complete or failed, so a reader can tell which
// table versions belong to the last complete run.
import Columnar
import DeltaLake
import Foundation

enum RunLog {
    /// Appends the run's row to `<lake>/runs`: run id, start and end (µs), status
    /// (`complete`/`failed`), the input files, the table versions committed (JSON
    /// `{"gold/alerts": 3, ...}`; a table already up to date is absent), the error, and the
    /// entity-only gold tables' versions and input fingerprints (`gold_inputs`, see GoldReuse).
    static func record(lake: String, runID: String, started: Int64, status: String, inputs: [String],
                       tables: [PipelineSummary.TableRun], error: String?, goldInputs: [String: String] = [:]) throws {
        let finished = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let versions = "{" + tables.compactMap { t in t.version.map { "\(JSONText.quoted(t.table)):\($0)" } }.joined(separator: ",") + "}"
        var errorColumn = ColumnBuilder(type: .string)
        if let error { errorColumn.append(string: error) } else { errorColumn.appendNull() }
        let row = try Table([
            ("run_id", .string([runID])),
            ("started_ts", .timestamp([started])),
            ("finished_ts", .timestamp([finished])),
            ("status", .string([status])),
            ("input_files", .string(["[" + inputs.map(JSONText.quoted).joined(separator: ",") + "]"])),
            ("table_versions", .string([versions])),
            ("error", errorColumn.finish()),
            ("gold_inputs", .string(["{" + goldInputs.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }.joined(separator: ",") + "}"])),
        ])
        var w = DeltaWriteOptions()
        w.mode = .append
        w.name = "runs"
        w.mergeSchema = true
        _ = try DeltaTable.write(row, to: (lake as NSString).appendingPathComponent("runs"), options: w)
    }
}

/// What readers of a lake use to see the last complete run: the version of each table that
/// the complete runs committed, the latest winning. A table written outside a complete run
/// (a run killed half-way through its commits, a hand-made write) is read at the version the
/// last complete run left.
public enum LakeRuns {
    /// `"gold/alerts" -> version` as of the last complete run; empty when the lake has no
    /// `runs` table (lakes written before it existed: read the newest versions).
    /// O(runs).
    public static func versionsAtLastCompleteRun(lake: String) throws -> [String: Int64] {
        let root = (lake as NSString).appendingPathComponent("runs")
        guard DeltaTable.isDeltaTable(root) else { return [:] }
        let runs = try DeltaTable.read(root, columns: ["started_ts", "status", "table_versions"])
        let started = try runs.column("started_ts"), status = try runs.column("status"), versions = try runs.column("table_versions")
        var out: [String: Int64] = [:]
        for r in (0..<runs.rowCount).sorted(by: { (started.value(at: $0).intValue ?? 0) < (started.value(at: $1).intValue ?? 0) }) {
            guard status.value(at: r).stringValue == "complete", let text = versions.value(at: r).stringValue,
                  let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            for (table, v) in object { if let n = (v as? NSNumber)?.int64Value { out[table] = n } }
        }
        return out
    }
}
