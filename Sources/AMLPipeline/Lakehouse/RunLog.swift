// The `runs` table: one row per pipeline run, complete or failed, so a reader can tell which
// table versions belong to the last complete run.
import Columnar
import DeltaLake
import Foundation

enum RunLog {
    /// Appends the run's row to `<lake>/runs`: run id, start and end (µs), status
    /// (`complete`/`failed`), the input files, the table versions committed (JSON
    /// `{"gold/alerts": 3, ...}`; a table already up to date is absent) and the error.
    static func record(lake: String, runID: String, started: Int64, status: String, inputs: [String],
                       tables: [PipelineSummary.TableRun], error: String?) throws {
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
        ])
        var w = DeltaWriteOptions()
        w.mode = .append
        w.name = "runs"
        _ = try DeltaTable.write(row, to: (lake as NSString).appendingPathComponent("runs"), options: w)
    }
}
