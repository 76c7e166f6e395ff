// The alert queue: every alert in rank order, one row each with its reasons and a link to its
// own section. A search box and pager (see `ReportScript`) keep thousands of rows usable; with
// scripts off every row is simply listed.

enum AlertQueue {
    /// The `alerts` section: search box, pager, and one row per alert.
    /// O(alerts × reasons).
    static func section(_ alerts: [AlertRecord], pageSize: Int) -> String {
        var html = "<section id=\"alerts\"><h2>Alerts <span class=\"count\">\(HTML.number(Double(alerts.count)))</span></h2>"
        guard !alerts.isEmpty else {
            return html + "<p class=\"empty\">No alerts in this lake.</p></section>"
        }
        html += "<p>Ranked by score. Each row links to the alert's section: its reasons with their evidence, its payments on a timeline and its counterparties. Search by entity id, name or reason; an exact id comes first.</p>"
        html += "<div class=\"queue-tools\"><label>Search <input id=\"alert-search\" type=\"search\" placeholder=\"entity id, name or reason\" autocomplete=\"off\"></label>"
        html += "<span class=\"pager\"><button type=\"button\" id=\"page-prev\">‹ previous</button> <span id=\"page-status\">\(alerts.count) alerts</span> <button type=\"button\" id=\"page-next\">next ›</button></span></div>"
        html += "<table id=\"alert-queue\" data-page-size=\"\(max(1, pageSize))\"><thead><tr><th>Rank</th><th>Entity</th><th>Name</th><th class=\"num\">Score</th><th>Reasons</th><th class=\"num\">Evidence txns</th></tr></thead><tbody>"
        for a in alerts {
            html += "<tr class=\"alert-row\" data-position=\"\(a.position)\" data-id=\"\(HTML.escape(a.entityID))\">"
            html += "<td>\(HTML.escape(a.rank))</td>"
            html += "<td><a href=\"#\(a.anchor)\">\(HTML.escape(a.entityID))</a></td>"
            html += "<td>\(HTML.escape(a.name))</td>"
            html += "<td class=\"num\">\(a.score.map(HTML.number) ?? "")</td>"
            html += "<td>" + a.reasons.map { "<span class=\"reason-chip\">\(HTML.escape($0.reason))</span>" }.joined(separator: " ") + "</td>"
            html += "<td class=\"num\">\(a.evidenceTransactionIDs.count)</td></tr>"
        }
        return html + "</tbody></table></section>"
    }
}
