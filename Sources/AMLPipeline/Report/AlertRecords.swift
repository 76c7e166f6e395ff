// The `alerts` gold table read back into one value per alert: its reasons, each paired with
// the evidence the detector wrote, and the transaction ids that evidence names.
import Columnar

/// One piece of evidence for a reason: `key=value` fields when the detector wrote them
/// (`beneficiary=77;total=19500.0;txns=1|2|3`), else the raw text in one field with an empty
/// key.
struct EvidenceItem: Equatable {
    var fields: [(key: String, value: String)]

    static func == (a: EvidenceItem, b: EvidenceItem) -> Bool {
        a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    /// Keys whose values are `|`-separated transaction ids.
    static func isTransactionKey(_ key: String) -> Bool {
        let k = key.lowercased()
        return k == "txns" || k == "txn_ids" || k == "txn_id" || k == "transactions" || k.hasSuffix("_txns") || k.hasSuffix("_txn_ids")
    }

    /// The transaction ids this item names, in the order written.
    var transactionIDs: [String] {
        fields.filter { Self.isTransactionKey($0.key) }.flatMap { $0.value.split(separator: "|").map(String.init) }
    }
}

/// A reason and its evidence items.
struct ReasonEvidence: Equatable {
    var reason: String
    var items: [EvidenceItem]
    /// False for evidence written under a name the reasons column does not list (the `risk:`
    /// context that raised the score): shown, but not as a reason.
    var isReason = true
}

/// One row of the alerts table.
struct AlertRecord {
    /// 1-based row position; the anchor `alert-<position>` names its section.
    var position: Int
    var rank: String
    /// Opaque id text (integers and strings alike).
    var entityID: String
    var name: String
    var score: Double?
    var reasons: [ReasonEvidence]

    var anchor: String { "alert-\(position)" }

    /// Every transaction id any reason's evidence names, first occurrence order.
    var evidenceTransactionIDs: [String] {
        var seen = Set<String>(), out: [String] = []
        for r in reasons { for i in r.items { for t in i.transactionIDs where seen.insert(t).inserted { out.append(t) } } }
        return out
    }
}

enum AlertRecords {
    /// Reads every row of an alerts table. Missing optional columns read as empty; only
    /// `entity_id` is required. O(rows × evidence length).
    static func read(_ t: Table) throws -> [AlertRecord] {
        let ids = try ReportColumns.texts(t, "entity_id")
        let ranks = t.schema.index(of: "rank") != nil ? try ReportColumns.texts(t, "rank") : nil
        let names = t.schema.index(of: "name") != nil ? try ReportColumns.texts(t, "name") : nil
        let scores = t.schema.index(of: "score") != nil ? try ReportColumns.optionalDoubles(t, "score") : nil
        let reasons = t.schema.index(of: "reasons") != nil ? try ReportColumns.texts(t, "reasons") : nil
        let evidence = t.schema.index(of: "evidence") != nil ? try ReportColumns.texts(t, "evidence") : nil
        return ids.indices.map { r in
            AlertRecord(position: r + 1, rank: ranks?[r] ?? String(r + 1), entityID: ids[r], name: names?[r] ?? "",
                        score: scores?[r] ?? nil, reasons: pair(reasons: reasons?[r] ?? "", evidence: evidence?[r] ?? ""))
        }
    }

    /// Pairs `a|b` with `a:... || b:...`: each reason gets the evidence written under its name
    /// (none when absent); evidence under a name not listed in the reasons is kept after them.
    static func pair(reasons: String, evidence: String) -> [ReasonEvidence] {
        var out = reasons.split(separator: "|").map { ReasonEvidence(reason: String($0).reportTrimmed, items: []) }.filter { !$0.reason.isEmpty }
        guard !evidence.isEmpty else { return out }
        for segment in evidence.components(separatedBy: " || ") where !segment.isEmpty {
            let (reason, detail): (String, String)
            if let colon = segment.firstIndex(of: ":") {
                reason = String(segment[..<colon]).reportTrimmed
                detail = String(segment[segment.index(after: colon)...])
            } else {
                reason = ""
                detail = segment
            }
            let items = splitItems(detail)
            if let i = out.firstIndex(where: { $0.reason == reason }) {
                out[i].items += items
            } else {
                out.append(ReasonEvidence(reason: reason.isEmpty ? "evidence" : reason, items: items, isReason: false))
            }
        }
        return out
    }

    /// Splits one reason's evidence into items. Detectors join items with `,`, but free text
    /// (addresses) holds commas too, so a comma separates items only when both sides are
    /// `key=value` lists.
    static func splitItems(_ detail: String) -> [EvidenceItem] {
        let pieces = detail.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var items: [String] = []
        for p in pieces {
            if let last = items.last, startsWithKey(last), startsWithKey(p) {
                items.append(p)
            } else if items.isEmpty {
                items.append(p)
            } else {
                items[items.count - 1] += "," + p
            }
        }
        return items.filter { !$0.reportTrimmed.isEmpty }.map(parseItem)
    }

    static func parseItem(_ text: String) -> EvidenceItem {
        guard startsWithKey(text) else { return EvidenceItem(fields: [(key: "", value: text.reportTrimmed)]) }
        var fields: [(key: String, value: String)] = []
        for part in text.split(separator: ";") {
            if let eq = part.firstIndex(of: "="), startsWithKey(String(part)) {
                fields.append((key: String(part[..<eq]).reportTrimmed, value: String(part[part.index(after: eq)...]).reportTrimmed))
            } else if !fields.isEmpty {
                fields[fields.count - 1].value += ";" + part
            }
        }
        return EvidenceItem(fields: fields)
    }

    /// True when `s` begins with an identifier followed by `=`.
    static func startsWithKey(_ s: String) -> Bool {
        let t = s.drop { $0 == " " }
        guard let eq = t.firstIndex(of: "="), eq != t.startIndex else { return false }
        return t[..<eq].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

extension String {
    var reportTrimmed: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
