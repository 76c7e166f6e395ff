// Address verification without street-view photos (MISSION.md, "Address verification").
//
// The accelerator classifies photos of each address with a pretrained CNN. No such model is
// available here, so the evidence is the address text (PO boxes, suites in business centres,
// "care of" mail-forwarding services) and the graph (one address registered by many
// unrelated entities).
import Columnar

/// Why an address is not a plausible home or place of business.
public enum AddressFlagReason: String, CaseIterable, Sendable {
    /// A post-office box or private bag: mail only, nobody lives there.
    case poBox = "po_box"
    /// A suite in a business or serviced-office centre, or a named virtual office.
    case virtualOffice = "virtual_office"
    /// A "care of" or mail-forwarding service.
    case mailDrop = "mail_drop"
    /// Registered by at least `minShared` distinct entities.
    case sharedByMany = "shared_by_many"
}

/// Flags non-residential and over-shared addresses: the `address_flags` gold table.
///
/// Addresses are compared after normalisation (case folded, punctuation dropped, common
/// abbreviations expanded: "St" → "street", "UK" → "united kingdom"), so "12 Oak St, Leeds"
/// and "12 OAK STREET, LEEDS" are one address. O(N · L) for N entities with addresses of
/// length L, plus a sort of the distinct addresses.
public enum AddressFlags {
    /// Tuning of the detector.
    public struct Options: Sendable {
        /// An address registered by this many distinct entities or more is over-shared.
        /// Households share an address between two or three people; the default sits above.
        public var minShared = 4
        public init() {}
    }

    /// Output, one row per flagged address, ordered by score (descending) then address:
    /// `address, normalized_address, reasons, entity_count, company_count, entity_ids, score`.
    /// - `reasons`: `|`-separated `AddressFlagReason` raw values;
    /// - `entity_ids`: the registering entities, ascending, `|`-separated;
    /// - `score`: 1 for text evidence, plus `min(1, entity_count / (2·minShared))` for sharing,
    ///   so an address with both kinds of evidence ranks first.
    ///
    /// `normalizedColumn` names a string column already holding `normalize(address)` for each
    /// row with an address (silver's `address_norm`); its values are then used as the keys
    /// instead of normalising every address again. The result is the same.
    public static func detect(entities: Table, idColumn: String = "entity_id", addressColumn: String = "address",
                              typeColumn: String? = "entity_type", normalizedColumn: String? = nil,
                              options: Options = .init()) throws -> Table {
        let ids = try entities.column(idColumn)
        let addresses = try entities.column(addressColumn)
        let normalized = try normalizedColumn.map { try entities.column($0) }
        let types = try typeColumn.flatMap { entities.schema.index(of: $0) != nil ? try entities.column($0) : nil }
        struct Group { var display: String; var ids: Set<String> = []; var companies = 0 }
        var groups: [String: Group] = [:]
        for row in 0..<entities.rowCount where !addresses.isNull(row) && !ids.isNull(row) {
            guard let raw = addresses.value(at: row).stringValue else { continue }
            let key = normalized.map { $0.value(at: row).stringValue ?? normalize(raw) } ?? normalize(raw)
            guard !key.isEmpty else { continue }
            let id = ids.value(at: row).description
            // Updated in place: a copy out of the dictionary and back would copy the group's
            // id set on every insert (quadratic in the entities sharing an address).
            if groups[key, default: Group(display: raw.trimmingSpaces())].ids.insert(id).inserted,
               types?.value(at: row).stringValue?.lowercased() == "company" {
                groups[key]!.companies += 1
            }
        }

        struct Flag { var key: String; var group: Group; var reasons: [AddressFlagReason]; var score: Double }
        var flags: [Flag] = []
        for (key, g) in groups {
            var reasons = textReasons(normalized: key)
            if g.ids.count >= options.minShared { reasons.append(.sharedByMany) }
            guard !reasons.isEmpty else { continue }
            let text = reasons.contains { $0 != .sharedByMany } ? 1.0 : 0.0
            let shared = reasons.contains(.sharedByMany) ? min(1, Double(g.ids.count) / Double(2 * options.minShared)) : 0
            flags.append(Flag(key: key, group: g, reasons: reasons, score: text + shared))
        }
        flags.sort { $0.score != $1.score ? $0.score > $1.score : $0.key < $1.key }

        func sortedIDs(_ s: Set<String>) -> [String] {
            s.sorted { a, b in
                if let x = Int64(a), let y = Int64(b) { return x < y }
                return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
            }
        }
        return try Table([
            ("address", .string(flags.map(\.group.display))),
            ("normalized_address", .string(flags.map(\.key))),
            ("reasons", .string(flags.map { $0.reasons.map(\.rawValue).joined(separator: "|") })),
            ("entity_count", .int64(flags.map { Int64($0.group.ids.count) })),
            ("company_count", .int64(flags.map { Int64($0.group.companies) })),
            ("entity_ids", .string(flags.map { sortedIDs($0.group.ids).joined(separator: "|") })),
            ("score", .double(flags.map(\.score))),
        ])
    }

    /// Text evidence in a normalised address, in `AddressFlagReason` order.
    public static func textReasons(normalized a: String) -> [AddressFlagReason] {
        // Every phrase below starts with a word that contains one of these; most addresses
        // contain none, and then no phrase can match.
        guard mayHaveTextReason(a) else { return [] }
        let words = a.split(separator: " ").map(String.init)
        func has(_ phrase: String) -> Bool {
            let p = phrase.split(separator: " ").map(String.init)
            guard p.count <= words.count else { return false }
            return (0...(words.count - p.count)).contains { Array(words[$0..<($0 + p.count)]) == p }
        }
        var reasons: [AddressFlagReason] = []
        if has("po box") || has("post office box") || has("pob") || has("private bag") || has("pmb") || has("locked bag") {
            reasons.append(.poBox)
        }
        if has("virtual office") || has("business centre") || has("business center") || has("serviced office")
            || (has("suite") && (has("centre") || has("center"))) {
            reasons.append(.virtualOffice)
        }
        if words.first == "c/o" || has("c/o") || has("care of") || has("mail services") || has("mail forwarding")
            || has("mailbox") || has("mail drop") {
            reasons.append(.mailDrop)
        }
        return reasons
    }

    /// Byte strings one of which occurs in the first word of every phrase `textReasons` looks
    /// for ("po" in "po", "post", "pob"; "mail" in "mailbox").
    static let anchors: [[UInt8]] = ["po", "pmb", "private", "locked", "virtual", "business", "serviced", "suite", "c/o", "care", "mail"]
        .map { Array($0.utf8) }

    /// False when no anchor occurs in `a`, so that no phrase of `textReasons` can be one of its
    /// words. O(|a| · anchors), no allocation for native strings.
    static func mayHaveTextReason(_ a: String) -> Bool {
        var a = a
        return a.withUTF8 { t in
            anchors.contains { n in
                guard t.count >= n.count else { return false }
                var i = 0
                while i <= t.count - n.count {
                    if t[i] == n[0] {
                        var k = 1
                        while k < n.count && t[i + k] == n[k] { k += 1 }
                        if k == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// Case-folded, punctuation-free, abbreviation-expanded form used to compare addresses.
    /// O(length); ASCII text takes a byte-level path with the same result.
    public static func normalize(_ address: String) -> String {
        let raw: [String]
        if let ascii = ASCIIWords.split(address, kept: UInt8(ascii: "/")) {
            // ASCII words: a byte search finds "p o box" exactly where Foundation's would,
            // without bridging every address to NSString.
            let text = ascii.map { expansions[$0] ?? $0 }.joined(separator: " ")
            return ASCIIWords.contains(text, "p o box") ? text.replacingAll("p o box", with: "po box") : text
        } else {
            var cleaned = ""
            for ch in address.lowercased() {
                if ch.isLetter || ch.isNumber || ch == "/" { cleaned.append(ch) } else { cleaned.append(" ") }
            }
            raw = cleaned.split(separator: " ").map(String.init)
        }
        var text = raw.map { expansions[$0] ?? $0 }.joined(separator: " ")
        // "p o box" and "p.o. box" both end up as "p o box" after punctuation is dropped.
        if text.contains("p o box") { text = text.replacingAll("p o box", with: "po box") }
        return text
    }

    static let expansions: [String: String] = [
        "st": "street", "rd": "road", "ave": "avenue", "ln": "lane", "dr": "drive", "sq": "square",
        "pl": "place", "ct": "court", "cl": "close", "uk": "united kingdom", "usa": "united states",
        "us": "united states", "ctr": "center", "cntr": "centre", "ste": "suite", "bldg": "building",
        "co": "company", "ltd": "limited", "pobox": "po box",
    ]
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = "", rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
