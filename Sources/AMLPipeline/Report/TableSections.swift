// One section per table of the lake: a chart above the rows for the tables the report knows,
// the first rows of any table (so new gold tables appear without code changes), and a line
// saying how many rows are not shown.
import Columnar

enum TableSections {
    /// Tables that get a sentence when missing, because every pipeline run writes them.
    static let expected = ["alerts", "structuring", "synthetic_identity", "risk_propagation", "quality_metrics"]

    /// The section id of a table: `table-` and its name with anything outside
    /// `[A-Za-z0-9_-]` replaced by `-`.
    static func anchor(_ name: String) -> String {
        "table-" + String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "-" })
    }

    /// The `tables` section: an index, then one section per table, then the expected tables
    /// that are missing. O(tables × shown rows) plus the charts' O(rows).
    static func section(_ tables: [ReportTable], rowLimit: Int) throws -> String {
        var html = "<section id=\"tables\"><h2>Gold tables <span class=\"count\">\(tables.count)</span></h2>"
        if tables.isEmpty {
            html += "<p class=\"empty\">No gold tables in this lake.</p>"
        } else {
            html += "<p class=\"toc\">" + tables.map { "<a href=\"#\(anchor($0.name))\">\(HTML.escape($0.name))</a> <span class=\"rows\">\(HTML.number(Double($0.table.rowCount)))</span>" }.joined(separator: " · ") + "</p>"
        }
        html += "</section>"
        for t in tables { html += try tableSection(t, rowLimit: rowLimit) }
        let present = Set(tables.map(\.name))
        for name in expected where !present.contains(name) {
            html += "<section class=\"table-section missing\" id=\"\(anchor(name))\"><h2>\(HTML.escape(name))</h2><p class=\"empty\">No <code>\(HTML.escape(name))</code> table in this lake.</p></section>"
        }
        return html
    }

    static func tableSection(_ t: ReportTable, rowLimit: Int) throws -> String {
        var html = "<section class=\"table-section\" id=\"\(anchor(t.name))\" data-table=\"\(HTML.escape(t.name))\"><h2>\(HTML.escape(t.name)) <span class=\"count\">\(HTML.number(Double(t.table.rowCount))) row(s)</span></h2>"
        html += try chart(t)
        if t.name == "alerts" {
            // Its rows are the queue at the top of the page.
            html += "<p>Every alert is listed in the <a href=\"#alerts\">queue</a> above, with its evidence in its own section.</p>"
        } else {
            html += rows(t.table, limit: rowLimit, id: "rows-\(anchor(t.name).dropFirst(6))")
        }
        return html + "</section>"
    }

    /// The chart of a known table, or "" for others; a known table without the expected
    /// columns is shown generically.
    static func chart(_ t: ReportTable) throws -> String {
        let table = t.table
        func has(_ names: String...) -> Bool { names.allSatisfy { table.schema.index(of: $0) != nil } }
        switch t.name {
        case "alerts" where has("reasons"):
            var counts: [String: Int] = [:]
            for r in try ReportColumns.texts(table, "reasons") { for reason in r.split(separator: "|") { counts[String(reason), default: 0] += 1 } }
            let items = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (label: $0.key, value: Double($0.value)) }
            return "<p>Alerts per reason (an alert may have several):</p>" + SVGCharts.bars(items, id: "reason-chart")
        case "structuring" where has("collector_id", "beneficiary_id", "total_amount"):
            let collectors = try ReportColumns.texts(table, "collector_id"), beneficiaries = try ReportColumns.texts(table, "beneficiary_id")
            let totals = try ReportColumns.doubles(table, "total_amount")
            let order = totals.indices.sorted { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : collectors[$0] < collectors[$1] }.prefix(15)
            let items = order.map { (label: "\(collectors[$0]) → \(beneficiaries[$0])", value: totals[$0]) }
            return "<p>Collector → beneficiary pairs by the aggregate reaching the collector through distinct sub-threshold chains (largest 15):</p>" + SVGCharts.bars(items, id: "structuring-chart")
        case "synthetic_identity" where has("tier"):
            let tiers = try ReportColumns.texts(table, "tier")
            let items = ["high", "medium", "low"].map { tier in (label: tier, value: Double(tiers.filter { $0 == tier }.count)) }
            return "<p>Entities sharing identity attributes, by tier (high: a shared SSN, or address, email and phone together).</p>" + SVGCharts.bars(items, id: "tier-chart")
        case "risk_propagation" where has("risk_score"):
            let scores = try ReportColumns.doubles(table, "risk_score")
            return "<p>\(scores.count) entities after propagation; \(scores.filter { $0 > 0 }.count) carry some risk.</p>" + SVGCharts.histogram(AMLReport.riskBuckets(scores), id: "risk-histogram")
        default:
            return ""
        }
    }

    /// Longest cell text shown; longer values are cut with an ellipsis.
    static let cellLimit = 160

    /// The first `limit` rows as an HTML table, then how many more there are.
    static func rows(_ t: Table, limit: Int, id: String) -> String {
        var html = "<div class=\"scroll\"><table id=\"\(HTML.escape(id))\" class=\"data\"><thead><tr>" + t.columnNames.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        let numeric = t.columns.map(\.type.isNumeric)
        for r in 0..<min(limit, t.rowCount) {
            html += "<tr>" + (0..<t.columnCount).map { c -> String in
                let v = t.value(row: r, column: c)
                var text: String
                switch v {
                case .null: text = ""
                case let .double(d): text = HTML.number(d)
                default: text = v.stringValue ?? v.description
                }
                if text.count > cellLimit { text = String(text.prefix(cellLimit - 1)) + "…" }
                return "<td\(numeric[c] ? " class=\"num\"" : "")>\(HTML.escape(text))</td>"
            }.joined() + "</tr>"
        }
        html += "</tbody></table></div>"
        if t.rowCount > limit {
            html += "<p class=\"more\">Showing the first \(HTML.number(Double(limit))) of \(HTML.number(Double(t.rowCount))) rows; \(HTML.number(Double(t.rowCount - limit))) more are in the table.</p>"
        } else if t.rowCount == 0 {
            html += "<p class=\"empty\">The table is empty.</p>"
        }
        return html
    }
}
