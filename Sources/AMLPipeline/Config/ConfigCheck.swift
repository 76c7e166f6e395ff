// `amlgraph config check`: a config against its data, before a run.
import AMLWorkbench
import Columnar
import Foundation

/// What checking a config against its data found.
public struct ConfigCheckReport: Sendable {
    /// The mapping and first parsed rows of each input, for people to read.
    public var text = ""
    /// Values that did not parse, mapped columns that are missing, ...: each names the file,
    /// the line and the column.
    public var problems: [String] = []
}

public enum ConfigCheck {
    /// Reads every input as bronze would (mapping, delimiter, encoding, timestamp format,
    /// value spellings) and reports the mapping, the first `rows` parsed rows and every value
    /// that does not parse. O(input size).
    public static func run(_ config: PipelineConfig, rows: Int = 5) throws -> ConfigCheckReport {
        var report = ConfigCheckReport()
        for kind in InputKind.allCases {
            guard let spec = config.inputs[kind] else { continue }
            var parsing = try spec.parsing()
            parsing.read = try spec.readOptions()
            parsing.columns = spec.columns
            report.text += "\(kind.rawValue): \(spec.path)\n"
            let header = try TableIO.schema(spec.path, options: parsing.read).names
            for field in kind.schema.fields {
                let source = spec.columns[field.name] ?? field.name
                let state = header.contains(source) ? "<- \(source)" : "(missing: null)"
                report.text += "  \(field.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(state)\n"
            }
            let mapped = Set(kind.schema.fields.map { spec.columns[$0.name] ?? $0.name })
            let extras = header.filter { !mapped.contains($0) }
            if !extras.isEmpty { report.text += "  extra columns carried into silver: \(extras.joined(separator: ", "))\n" }
            let batch: BronzeBatch
            do {
                batch = try spec.path.lowercased().hasSuffix(".csv")
                    ? BronzeIngest.ingest(path: spec.path, schema: kind.schema, sourceName: spec.path, ingestMicros: 0, parsing: parsing)
                    : BronzeIngest.ingest(table: TableIO.read(spec.path), schema: kind.schema, sourceName: spec.path, ingestMicros: 0, parsing: parsing)
            } catch {
                report.problems.append("\(error)")
                continue
            }
            let t = batch.table
            let shown = try t.select(t.columnNames.filter { $0 != "_source_file" && $0 != "_ingest_ts" && $0 != "_rescued_data" })
            report.text += "  first \(min(rows, t.rowCount)) of \(t.rowCount) rows as parsed:\n"
            report.text += CSVWriter.string(shown.slice(0..<min(rows, t.rowCount))).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
            let rescued = try t.column("_rescued_data")
            for r in 0..<t.rowCount where !rescued.isNull(r) {
                // Line numbers count the header as line 1 (records without embedded newlines).
                report.problems.append("\(spec.path) line \(r + 2): values that do not parse: \(rescued.value(at: r).description)")
            }
        }
        return report
    }
}
