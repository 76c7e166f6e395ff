// What a report is built from: the silver entities and transactions, and every gold table the
// lake holds, in the order their sections appear.
import Columnar

/// One named table of the lake (a gold table, usually), rendered as its own report section.
public struct ReportTable: Sendable {
    /// The table's name in the lake (`alerts`, `structuring`, `fan_in`, ...).
    public var name: String
    public var table: Table
    public init(name: String, table: Table) {
        self.name = name
        self.table = table
    }
}

/// The tables a report is built from. Every table in `tables` gets a section: the ones the
/// report knows (`alerts`, `structuring`, `synthetic_identity`, `risk_propagation`,
/// `quality_metrics`) with a chart above their rows, any other one generically, so a new
/// gold table appears without code changes. Sections whose table is missing say so.
public struct ReportInputs: Sendable {
    /// `entity_id, name, ...` (names label the drawings).
    public var entities: Table?
    /// `txn_id, originator_id, beneficiary_id, txn_amount, txn_ts` (timelines, neighbourhoods).
    public var transactions: Table?
    /// The lake's tables in section order; names are unique (a later table of the same name
    /// replaces an earlier one).
    public var tables: [ReportTable] = []
    /// Title line shown at the top (for example the lake path and version).
    public var subtitle = ""
    /// Customer identifier columns masked wherever the report shows a table (default: masked).
    public var masking = IdentifierMasking()
    public init() {}

    /// The table called `name`, if present.
    /// - Complexity: O(tables).
    public func table(_ name: String) -> Table? { tables.first { $0.name == name }?.table }

    /// Adds or replaces the table called `name` (nil removes it).
    /// - Complexity: O(tables).
    public mutating func set(_ name: String, _ table: Table?) {
        if let i = tables.firstIndex(where: { $0.name == name }) {
            if let table { tables[i].table = table } else { tables.remove(at: i) }
        } else if let table {
            tables.append(ReportTable(name: name, table: table))
        }
    }

    /// The `alerts` gold table (`rank, entity_id, name, score, reason_count, reasons, evidence`).
    public var alerts: Table? {
        get { table("alerts") }
        set { set("alerts", newValue) }
    }
}
