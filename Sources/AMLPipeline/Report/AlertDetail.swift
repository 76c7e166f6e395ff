// One alert's own section: its reasons with their evidence, a summary of its payments, the
// payments on a timeline (evidence ringed) and its one-hop neighbourhood with names, amounts
// and the counterparties that also alerted.

enum AlertDetail {
    /// What every alert section draws from.
    struct Context {
        var activity: AlertActivity?
        /// entity id → name, from the entities table.
        var names: [String: String]
        /// entity id → section anchor, for every alerted entity.
        var anchorOf: [String: String]
        var timelinePoints: Int
        var neighbours: Int
        var drawnAlerts: Int
    }

    /// Evidence keys whose values are entity ids (linked when the entity alerted too).
    static let entityKeys: Set<String> = ["beneficiary", "collector", "origin", "via", "source", "sources", "mule", "mules", "hub",
                                          "member", "members", "account", "accounts", "counterparty", "counterparties",
                                          "originator", "intermediary", "intermediaries", "entity", "entities"]
    /// Transaction ids listed per evidence item before "and N more".
    static let listedTransactions = 60

    /// The `<article id="alert-P">` of one alert. O(its payments log its payments).
    static func article(_ a: AlertRecord, _ ctx: Context) -> String {
        let name = a.name.isEmpty ? (ctx.names[a.entityID] ?? "") : a.name
        var html = "<article class=\"alert-detail\" id=\"\(a.anchor)\" data-position=\"\(a.position)\" data-id=\"\(HTML.escape(a.entityID))\">"
        html += "<h3><span class=\"rank\">#\(HTML.escape(a.rank))</span> \(HTML.escape(name.isEmpty ? "(no name)" : name)) <span class=\"entity\">entity \(HTML.escape(a.entityID))</span>"
        if let s = a.score { html += " <span class=\"score\">score \(HTML.number(s))</span>" }
        html += " <a class=\"back\" href=\"#alerts\">back to the queue ↑</a></h3>"
        guard let activity = ctx.activity else {
            html += reasons(a, ctx, own: [])
            return html + "<p class=\"empty\">No <code>transactions</code> table: payments cannot be shown.</p></article>"
        }
        let rows = activity.rows[a.position - 1]
        html += reasons(a, ctx, own: Set(rows.map { activity.txnID[$0] }))
        let s = activity.summary(of: a.entityID, rows: rows)
        let flows = activity.counterparties(of: a.entityID, rows: rows, names: ctx.names)
        html += "<h4>Payments</h4>"
        html += "<p class=\"activity-summary\" data-count=\"\(rows.count)\" data-out-count=\"\(s.outCount)\" data-in-count=\"\(s.inCount)\" data-out-total=\"\(s.outTotal)\" data-in-total=\"\(s.inTotal)\">"
        if rows.isEmpty {
            html += "No payments to or from this entity.</p>"
        } else {
            html += "<b>\(rows.count)</b> payment(s) with <b>\(flows.count)</b> counterpart\(flows.count == 1 ? "y" : "ies"): "
            html += "<span class=\"out\">\(s.outCount) paid out, total \(HTML.number(s.outTotal))</span>; "
            html += "<span class=\"in\">\(s.inCount) received, total \(HTML.number(s.inTotal))</span>"
            if let f = s.first, let l = s.last {
                html += "; from \(HTML.escape(ReportColumns.formatTime(f, calendar: activity.calendarTime))) to \(HTML.escape(ReportColumns.formatTime(l, calendar: activity.calendarTime)))"
            }
            html += ".</p>"
        }
        guard a.position <= ctx.drawnAlerts else {
            return html + "<p class=\"empty\">The timeline and neighbourhood are drawn for the first \(ctx.drawnAlerts) alerts (<code>amlgraph report --draw N</code> draws more).</p></article>"
        }
        let evidence = Set(a.evidenceTransactionIDs)
        let points = rows.compactMap { r -> TimelineChart.Point? in
            guard let t = activity.time[r], t.isFinite, activity.amount[r].isFinite else { return nil }
            let out = activity.originator[r] == a.entityID
            let other = out ? activity.beneficiary[r] : activity.originator[r]
            let otherName = ctx.names[other].map { " \($0)" } ?? ""
            let title = "txn \(activity.txnID[r]) · \(ReportColumns.formatTime(t, calendar: activity.calendarTime)) · \(out ? "paid to" : "received from") \(other)\(otherName) · \(HTML.number(activity.amount[r]))"
            return TimelineChart.Point(txnID: activity.txnID[r], time: t, amount: activity.amount[r], outgoing: out, evidence: evidence.contains(activity.txnID[r]), title: title)
        }
        let own = points.filter(\.evidence).count
        html += "<figure class=\"timeline-figure\">" + TimelineChart.svg(points, calendar: activity.calendarTime, id: "timeline-\(a.position)", limit: ctx.timelinePoints)
        var caption = "Payments over time."
        if points.count > ctx.timelinePoints { caption += " Showing \(ctx.timelinePoints) of \(points.count): every evidence payment, then the largest." }
        if !evidence.isEmpty { caption += " \(own) of the \(evidence.count) evidence transaction(s) are this entity's own payments: ringed here, outlined in the evidence above; the others are other hops of the same pattern." }
        html += "<figcaption>\(HTML.escape(caption))</figcaption></figure>"
        html += evidenceTable(a, activity, ctx)

        html += "<h4>Neighbourhood (one hop)</h4><div class=\"neighbourhood\">"
        html += NeighbourhoodDrawing.svg(center: a.entityID, centerName: name, flows: flows, anchorOf: ctx.anchorOf, id: "graph-\(a.position)", limit: ctx.neighbours)
        html += counterpartyTable(flows, ctx)
        return html + "</div></article>"
    }

    /// The reasons with their evidence; `own` are the entity's own transaction ids, marked
    /// where the evidence names them.
    static func reasons(_ a: AlertRecord, _ ctx: Context, own: Set<String>) -> String {
        guard !a.reasons.isEmpty else { return "<p class=\"empty\">No reasons recorded.</p>" }
        var html = "<h4>Reasons and evidence</h4><ol class=\"reason-list\">"
        for r in a.reasons {
            // Context that raised the score (risk) is listed after the reasons, not as one.
            let kind = r.isReason ? "reason" : "reason-context"
            html += "<li class=\"\(kind)\" data-\(kind)=\"\(HTML.escape(r.reason))\"><span class=\"reason-chip\">\(HTML.escape(r.reason))</span>"
            if r.items.isEmpty {
                html += " <span class=\"empty\">no evidence recorded</span>"
            } else {
                html += "<ul class=\"evidence\">" + r.items.map { "<li>\(item($0, ctx, own: own))</li>" }.joined() + "</ul>"
            }
            html += "</li>"
        }
        return html + "</ol>"
    }

    static func item(_ e: EvidenceItem, _ ctx: Context, own: Set<String>) -> String {
        e.fields.map { f -> String in
            guard !f.key.isEmpty else { return "<span class=\"kv\">\(HTML.escape(f.value))</span>" }
            let values = f.value.split(separator: "|").map(String.init)
            let rendered: String
            if EvidenceItem.isTransactionKey(f.key) {
                rendered = values.prefix(listedTransactions).map { "<code class=\"txn-id\(own.contains($0) ? " own" : "")\">\(HTML.escape($0))</code>" }.joined(separator: " ")
                    + (values.count > listedTransactions ? " <span class=\"more\">and \(values.count - listedTransactions) more</span>" : "")
            } else if entityKeys.contains(f.key.lowercased()) {
                rendered = values.map { v in
                    ctx.anchorOf[v].map { "<a href=\"#\(HTML.escape($0))\">\(HTML.escape(v))</a>" } ?? HTML.escape(v)
                }.joined(separator: ", ")
            } else {
                rendered = HTML.escape(values.map(shortNumber).joined(separator: ", "))
            }
            return "<span class=\"kv\"><span class=\"k\">\(HTML.escape(f.key))</span> \(rendered)</span>"
        }.joined(separator: " ")
    }

    /// Decimal text with more than four fraction digits shown with two; anything else as is.
    static func shortNumber(_ s: String) -> String {
        guard let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > 5, let x = Double(s), x.isFinite else { return s }
        return HTML.format2(x)
    }

    /// Evidence payments listed per alert before "and N more".
    static let listedEvidencePayments = 40

    /// The payments the evidence names, in time order: who paid whom, when and how much;
    /// the entity's own payments marked, alerted parties linked.
    static func evidenceTable(_ a: AlertRecord, _ activity: AlertActivity, _ ctx: Context) -> String {
        let ids = a.evidenceTransactionIDs
        guard !ids.isEmpty else { return "" }
        let found = ids.compactMap { activity.evidenceRow[$0] }.sorted {
            let x = activity.time[$0] ?? -Double.infinity, y = activity.time[$1] ?? -Double.infinity
            return x != y ? x < y : $0 < $1
        }
        func party(_ id: String) -> String {
            let name = ctx.names[id].map { " <span class=\"party-name\">\(HTML.escape($0))</span>" } ?? ""
            let link = ctx.anchorOf[id].map { "<a href=\"#\(HTML.escape($0))\">\(HTML.escape(id))</a>" } ?? HTML.escape(id)
            return link + name
        }
        var html = "<h4>Evidence payments</h4><table class=\"evidence-payments\"><thead><tr><th>Txn</th><th>Time</th><th>From</th><th>To</th><th class=\"num\">Amount</th></tr></thead><tbody>"
        for r in found.prefix(listedEvidencePayments) {
            let own = activity.originator[r] == a.entityID || activity.beneficiary[r] == a.entityID
            html += "<tr\(own ? " class=\"own\"" : "") data-txn=\"\(HTML.escape(activity.txnID[r]))\"><td><code>\(HTML.escape(activity.txnID[r]))</code></td>"
            html += "<td>\(activity.time[r].map { HTML.escape(ReportColumns.formatTime($0, calendar: activity.calendarTime)) } ?? "")</td>"
            html += "<td>\(party(activity.originator[r]))</td><td>\(party(activity.beneficiary[r]))</td><td class=\"num\">\(HTML.number(activity.amount[r]))</td></tr>"
        }
        html += "</tbody></table>"
        var notes: [String] = []
        if found.count > listedEvidencePayments { notes.append("and \(found.count - listedEvidencePayments) more") }
        if found.count < ids.count { notes.append("\(ids.count - found.count) evidence transaction id(s) not in the transactions table") }
        if !notes.isEmpty { html += "<p class=\"more\">\(notes.joined(separator: "; ")).</p>" }
        return html
    }

    static func counterpartyTable(_ flows: [CounterpartyFlow], _ ctx: Context) -> String {
        guard !flows.isEmpty else { return "" }
        var html = "<table class=\"counterparties\"><thead><tr><th>Counterparty</th><th>Name</th><th class=\"num\">Paid to</th><th class=\"num\">Received from</th><th class=\"num\">Payments</th></tr></thead><tbody>"
        for f in flows.prefix(ctx.neighbours) {
            let id = ctx.anchorOf[f.counterparty].map { "<a class=\"alerted\" href=\"#\(HTML.escape($0))\">\(HTML.escape(f.counterparty))</a> <span class=\"flag\">alerted</span>" } ?? HTML.escape(f.counterparty)
            html += "<tr><td>\(id)</td><td>\(HTML.escape(f.name))</td><td class=\"num\">\(f.sent > 0 ? HTML.number(f.sent) : "")</td><td class=\"num\">\(f.received > 0 ? HTML.number(f.received) : "")</td><td class=\"num\">\(f.count)</td></tr>"
        }
        html += "</tbody></table>"
        if flows.count > ctx.neighbours { html += "<p class=\"more\">and \(flows.count - ctx.neighbours) more counterparties.</p>" }
        return html
    }
}
