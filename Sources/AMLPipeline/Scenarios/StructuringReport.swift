// The structuring scenario as one call for the CLI and scripts: detect on a loaded graph and
// build the output tables and a one-line summary.
import Columnar
import PropertyGraph

/// The tables of one structuring run.
public struct StructuringReport {
    /// One row per flagged (collector, beneficiary) pair.
    public var alerts: Table
    /// One row per chain (`structuring_levels`); nil for the accelerator rule.
    public var levels: Table?
    /// One line for the user: pairs and chains (or self-join rows) found.
    public var summary: String
}

extension Structuring {
    /// Runs the structuring detection on `graph` and returns its tables: the chain rule
    /// (`detect`, `table`, `levelsTable`), or with `acceleratorRule` the accelerator's motif and
    /// self-join rule (`acceleratorRule`), whose table has `motif_rows` and `selfjoin_pairs`.
    /// - Complexity: that of `detect` or `acceleratorRule`, plus O(rows) to build the tables.
    public static func report(_ graph: PropertyGraph, config: StructuringConfig = StructuringConfig(),
                              acceleratorRule useAcceleratorRule: Bool = false) throws -> StructuringReport {
        if useAcceleratorRule {
            let flagged = try acceleratorRule(graph, config: config)
            let table = try Table([
                ("collector_id", graph.ids.column(for: flagged.map(\.collector))),
                ("beneficiary_id", graph.ids.column(for: flagged.map(\.beneficiary))),
                ("motif_rows", .double(flagged.map(\.rows))),
                ("selfjoin_pairs", .double(flagged.map(\.pairs))),
            ])
            let summary = "structuring (accelerator rule): \(flagged.count) flagged (collector, beneficiary) pair(s), \(flagged.reduce(0.0) { $0 + $1.pairs }) self-join rows"
            return StructuringReport(alerts: table, levels: nil, summary: summary)
        }
        let alerts = try detect(graph, config: config)
        let summary = "structuring: \(alerts.count) (collector, beneficiary) pair(s), \(alerts.reduce(0) { $0 + $1.chains.count }) chain(s)"
        return StructuringReport(alerts: try table(alerts, graph: graph, config: config),
                                 levels: try levelsTable(alerts, graph: graph, config: config), summary: summary)
    }
}
