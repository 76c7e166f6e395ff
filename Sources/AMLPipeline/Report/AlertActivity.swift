// The payments of every alerted entity, gathered in one scan of the transactions, so each
// alert's section can show its timeline, totals and counterparties.
import Columnar

/// The transaction columns the report draws from, with each alert's rows.
struct AlertActivity {
    var txnID: [String]
    var originator: [String]
    var beneficiary: [String]
    var amount: [Double]
    /// Seconds since the epoch (or plain numbers when `calendarTime` is false); nil when absent.
    var time: [Double?]
    var calendarTime: Bool
    /// `rows[p]`: the transaction rows paid or received by the alert at 0-based position `p`,
    /// in table order.
    var rows: [[Int]]

    /// The row of every transaction id some alert's evidence names (absent ids are missing).
    var evidenceRow: [String: Int] = [:]

    /// Needs `originator_id`, `beneficiary_id` and `txn_amount`; `txn_id` (else the row number)
    /// and `txn_ts` (else no time axis) are optional. O(transactions + alerts + evidence ids).
    init(transactions t: Table, alerts: [AlertRecord]) throws {
        originator = try ReportColumns.texts(t, "originator_id")
        beneficiary = try ReportColumns.texts(t, "beneficiary_id")
        amount = try ReportColumns.doubles(t, "txn_amount")
        txnID = t.schema.index(of: "txn_id") != nil ? try ReportColumns.texts(t, "txn_id") : (0..<t.rowCount).map { String($0 + 1) }
        if t.schema.index(of: "txn_ts") != nil {
            (time, calendarTime) = try ReportColumns.times(t, "txn_ts")
        } else {
            time = Array(repeating: nil, count: t.rowCount)
            calendarTime = false
        }
        var positionOf: [String: Int] = [:]
        for a in alerts where positionOf[a.entityID] == nil { positionOf[a.entityID] = a.position - 1 }
        rows = Array(repeating: [], count: alerts.count)
        var wanted = Set<String>()
        for a in alerts { wanted.formUnion(a.evidenceTransactionIDs) }
        for r in 0..<originator.count {
            if !wanted.isEmpty, wanted.contains(txnID[r]), evidenceRow[txnID[r]] == nil { evidenceRow[txnID[r]] = r }
            let s = positionOf[originator[r]], d = positionOf[beneficiary[r]]
            if let s { rows[s].append(r) }
            if let d, d != s { rows[d].append(r) }
        }
    }

    /// Totals of one entity's rows: payments out and in, their sums, and the time span.
    func summary(of entity: String, rows: [Int]) -> ActivitySummary {
        var s = ActivitySummary()
        for r in rows {
            if originator[r] == entity { s.outCount += 1; s.outTotal += amount[r] } else { s.inCount += 1; s.inTotal += amount[r] }
            if let t = time[r] {
                s.first = min(s.first ?? t, t)
                s.last = max(s.last ?? t, t)
            }
        }
        return s
    }

    /// One entity's counterparties with the sums each way, largest total first (ties by id).
    func counterparties(of entity: String, rows: [Int], names: [String: String]) -> [CounterpartyFlow] {
        var flows: [String: CounterpartyFlow] = [:]
        for r in rows {
            let outgoing = originator[r] == entity
            let other = outgoing ? beneficiary[r] : originator[r]
            var f = flows[other] ?? CounterpartyFlow(counterparty: other, name: names[other] ?? "")
            if outgoing { f.sent += amount[r] } else { f.received += amount[r] }
            f.count += 1
            flows[other] = f
        }
        return flows.values.sorted {
            let a = $0.sent + $0.received, b = $1.sent + $1.received
            return a != b ? a > b : $0.counterparty < $1.counterparty
        }
    }
}

/// What an alerted entity paid and received.
struct ActivitySummary {
    var outCount = 0, inCount = 0
    var outTotal = 0.0, inTotal = 0.0
    var first: Double?, last: Double?
}
