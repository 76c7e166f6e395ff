// The `alerts` gold table: the queue an AML team works through. One ranked row per entity
// that a detector raised, with every reason and the evidence behind it (MISSION.md, "Gold
// tables"; Tazama's rule results beside the typology score).
import Columnar

/// Why an entity is on the alert list. Typology reasons carry the typology's name (the
/// `typologies` gold table); the others name the identity and address findings and the
/// behaviour anomaly. KYC and propagated risk are not reasons: they raise the score of an
/// entity that has one (`Alerts.Options.riskWeight`).
public enum AlertReason: String, CaseIterable, Sendable, Codable {
    case cycle
    case stack
    case scatterGather = "scatter_gather"
    case gatherScatter = "gather_scatter"
    case bipartite
    case structuring
    case fanIn = "fan_in"
    case fanOut = "fan_out"
    case rapidPassThrough = "rapid_pass_through"
    case syntheticIdentityHigh = "synthetic_identity_high"
    case syntheticIdentityMedium = "synthetic_identity_medium"
    case syntheticIdentityLow = "synthetic_identity_low"
    case nonResidentialAddress = "non_residential_address"
    case oversharedAddress = "overshared_address"
    case behaviourAnomaly = "behaviour_anomaly"

    /// The default points the reason adds (`Alerts.Options.weights` overrides them). They
    /// order the queue; they are not probabilities: a typology finding backed by payments
    /// outranks an identity finding, which outranks an unusual profile or a shared address.
    public var defaultWeight: Double {
        switch self {
        case .cycle, .stack, .scatterGather, .gatherScatter, .structuring: return 40
        case .bipartite: return 35
        case .fanIn, .fanOut: return 30
        case .syntheticIdentityHigh: return 30
        case .rapidPassThrough: return 25
        case .syntheticIdentityMedium, .behaviourAnomaly: return 15
        case .nonResidentialAddress: return 10
        case .oversharedAddress: return 5
        case .syntheticIdentityLow: return 2
        }
    }

    /// The reason for a typology finding.
    public init(_ kind: TypologyKind) { self = AlertReason(rawValue: kind.rawValue)! }
}

/// The scenario outputs that feed the alert list; any may be missing.
public struct AlertInputs: Sendable {
    /// `entity_id, name, ...` (names are copied into the alerts).
    public var entities: Table
    /// The `synthetic_identity` gold table.
    public var syntheticIdentity: Table?
    /// The `typologies` gold table (`instance_id, typology, txn_ids, ...`), for evidence.
    public var typologies: Table?
    /// The `typology_accounts` gold table (`instance_id, typology, account_id, role`).
    public var typologyAccounts: Table?
    /// The `structuring` gold table (the mule-chain detector alone: `collector_id,
    /// beneficiary_id, source_ids, mule_ids, txn_ids, total_amount`); raises `structuring`.
    public var structuring: Table?
    /// The `roundtrips` gold table (`origin_id, intermediary_ids, txn_ids, agg_amount`);
    /// raises `cycle`.
    public var roundtrips: Table?
    /// The `risk_propagation` gold table (`entity_id, base_risk, risk_score`): raises scores only.
    public var risk: Table?
    /// The `address_flags` gold table.
    public var addressFlags: Table?
    /// The `behaviour_anomaly` gold table (`entity_id, score, rank`).
    public var behaviourAnomaly: Table?

    public init(entities: Table) { self.entities = entities }
}

/// Builds the `alerts` gold table.
///
/// An entity's score is the sum of its distinct reasons' weights (a reason counts once however
/// many findings back it, so no finding counts twice) plus `riskWeight · risk / max risk`,
/// where risk is its `risk_score` (never below its base KYC risk) and max risk is the run's
/// largest. Entities with no reason are never alerts. Those scoring at least `minScore` are
/// ranked by score, then entity id, and the first `topN` kept (0: all).
///
/// Output: `rank, entity_id, name, score, reason_count, reasons, evidence`. `reasons` lists
/// reason names by weight, `|`-separated; `evidence` gives per reason the findings behind it
/// as `key=value` fields separated by `;` (`fan_in:instance=12;role=originator;txns=1|2|3`;
/// `txns_omitted=N` when the list was cut at `maxEvidence`), findings separated by `, ` and
/// reasons by ` || `; a last `risk:` item shows
/// the risk that raised the score. O(rows of the inputs + A log A) for A alerted entities.
public enum Alerts {
    /// Weights and the cut-off of the alert queue.
    public struct Options: Sendable, Codable, Equatable {
        /// Points per reason name; reasons missing here use `AlertReason.defaultWeight`.
        public var weights: [String: Double] = [:]
        /// Points added for the run's highest risk score, proportionally below it.
        public var riskWeight = 10.0
        /// Alerts score at least this (25: the lightest reason backed by payments, rapid
        /// pass-through, alerts on its own; an identity or profile indicator, a non-residential
        /// or shared address, a medium identity tier, an unusual profile, weighs at most 15 and
        /// needs corroboration: a second indicator, or risk at the run's highest).
        public var minScore = 25.0
        /// Keep only the first N alerts of the run (0: all).
        public var topN = 0
        /// Entities ranked at or above this in `behaviour_anomaly` raise `behaviour_anomaly`.
        public var anomalyTopRank = 50
        /// Include `synthetic_identity_low` (one shared attribute, often a household).
        public var includeLowTier = false
        /// Evidence lists at most this many findings per reason, and this many txn ids each.
        public var maxEvidence = 5
        public init() {}

        /// The weight of `reason`.
        public func weight(_ reason: AlertReason) -> Double { weights[reason.rawValue] ?? reason.defaultWeight }
    }

    public static func build(_ inputs: AlertInputs, options: Options = .init()) throws -> Table {
        var found: [String: [AlertReason: [String]]] = [:]
        func raise(_ id: String, _ reason: AlertReason, _ evidence: String) {
            guard !id.isEmpty else { return }
            found[id, default: [:]][reason, default: []].append(evidence)
        }
        func ids(_ s: String) -> [String] { s.split(separator: "|").map(String.init) }
        func short(_ txns: String) -> String {
            let parts = ids(txns)
            return parts.count <= options.maxEvidence ? txns : parts.prefix(options.maxEvidence).joined(separator: "|") + ";txns_omitted=\(parts.count - options.maxEvidence)"
        }

        if let t = inputs.typologyAccounts {
            var txnsOf: [Int64: String] = [:]
            if let inst = inputs.typologies {
                let i = try inst.column("instance_id"), tx = try inst.column("txn_ids")
                for r in 0..<inst.rowCount { if let k = i.value(at: r).intValue { txnsOf[k] = tx.value(at: r).description } }
            }
            let i = try t.column("instance_id"), k = try t.column("typology"), a = try t.column("account_id"), role = try t.column("role")
            for r in 0..<t.rowCount {
                guard let kind = k.value(at: r).stringValue.flatMap(TypologyKind.init(rawValue:)) else { continue }
                let instance = i.value(at: r).intValue ?? 0
                let tx = txnsOf[instance].map { ";txns=" + short($0) } ?? ""
                raise(a.value(at: r).description, AlertReason(kind), "instance=\(instance);role=\(role.value(at: r).description)\(tx)")
            }
        }
        if let t = inputs.structuring {
            let c = try t.column("collector_id"), g = try t.column("beneficiary_id")
            let src = try t.column("source_ids"), mule = try t.column("mule_ids")
            let txns = try t.column("txn_ids"), total = try t.column("total_amount")
            for r in 0..<t.rowCount {
                let collector = c.value(at: r).description, beneficiary = g.value(at: r).description
                let evidence = "variant=mule_chain;collector=\(collector);beneficiary=\(beneficiary);total=\(total.value(at: r).description);txns=\(short(txns.value(at: r).description))"
                for id in [collector, beneficiary] + ids(src.value(at: r).description) + ids(mule.value(at: r).description) {
                    raise(id, .structuring, evidence)
                }
            }
        }
        if let t = inputs.roundtrips {
            let o = try t.column("origin_id"), mids = try t.column("intermediary_ids")
            let txns = try t.column("txn_ids"), amount = try t.column("agg_amount")
            for r in 0..<t.rowCount {
                let origin = o.value(at: r).description
                let evidence = "variant=roundtrip;origin=\(origin);amount=\(amount.value(at: r).description);txns=\(short(txns.value(at: r).description))"
                for id in [origin] + ids(mids.value(at: r).description) { raise(id, .cycle, evidence) }
            }
        }
        if let t = inputs.syntheticIdentity {
            let e = try t.column("entity_id"), tier = try t.column("tier")
            let comp = try t.column("component"), shared = try t.column("shared_types")
            for r in 0..<t.rowCount {
                let evidence = "component=\(comp.value(at: r).description);shared=\(shared.value(at: r).description)"
                switch tier.value(at: r).stringValue {
                case "high": raise(e.value(at: r).description, .syntheticIdentityHigh, evidence)
                case "medium": raise(e.value(at: r).description, .syntheticIdentityMedium, evidence)
                case "low" where options.includeLowTier: raise(e.value(at: r).description, .syntheticIdentityLow, evidence)
                default: break
                }
            }
        }
        if let t = inputs.addressFlags {
            let who = try t.column("entity_ids"), reasons = try t.column("reasons"), address = try t.column("address")
            for r in 0..<t.rowCount {
                let why = reasons.value(at: r).description
                let textual = why.split(separator: "|").contains { $0 != "shared_by_many" }
                for id in ids(who.value(at: r).description) {
                    raise(id, textual ? .nonResidentialAddress : .oversharedAddress, "\(why):\(address.value(at: r).description)")
                }
            }
        }
        if let t = inputs.behaviourAnomaly {
            let e = try t.column("entity_id"), rank = try t.column("rank"), score = try t.column("score")
            for r in 0..<t.rowCount {
                guard let k = rank.value(at: r).intValue, k <= options.anomalyTopRank else { continue }
                raise(e.value(at: r).description, .behaviourAnomaly, "rank=\(k);score=\(score.value(at: r).description)")
            }
        }
        // Risk raises scores of entities that have a reason; it is never a reason itself.
        var riskOf: [String: (base: Double, score: Double)] = [:]
        var maxRisk = 0.0
        if let t = inputs.risk {
            let e = try t.column("entity_id"), base = try t.column("base_risk"), score = try t.column("risk_score")
            for r in 0..<t.rowCount {
                let b = base.value(at: r).doubleValue ?? 0, s = score.value(at: r).doubleValue ?? 0
                guard b.isFinite, s.isFinite else { continue }
                let risk = max(b, s)
                maxRisk = max(maxRisk, risk)
                if risk > 0, found[e.value(at: r).description] != nil { riskOf[e.value(at: r).description] = (b, risk) }
            }
        }

        let ent = try inputs.entities.column("entity_id")
        let nameColumn = inputs.entities.schema.index(of: "name").map { inputs.entities.columns[$0] }
        var rowOf: [String: Int] = [:]
        for r in 0..<inputs.entities.rowCount { rowOf[ent.value(at: r).description] = r }

        struct Alert { var id: String; var score: Double; var reasons: [AlertReason]; var evidence: [String] }
        var alerts: [Alert] = found.map { id, byReason in
            // allCases order breaks ties between equal weights, so the order is stable.
            let reasons = AlertReason.allCases.filter { byReason[$0] != nil }.enumerated()
                .sorted { options.weight($0.element) != options.weight($1.element) ? options.weight($0.element) > options.weight($1.element) : $0.offset < $1.offset }
                .map(\.element)
            var evidence = reasons.map { r -> String in
                let items = Array(Set(byReason[r]!)).sorted()
                let listed = items.prefix(options.maxEvidence).joined(separator: ", ")
                return "\(r.rawValue):" + listed + (items.count > options.maxEvidence ? ", +\(items.count - options.maxEvidence) more" : "")
            }
            var score = reasons.reduce(0) { $0 + options.weight($1) }
            if let risk = riskOf[id], maxRisk > 0 {
                score += options.riskWeight * risk.score / maxRisk
                evidence.append("risk:base=\(formatDouble(risk.base));score=\(formatDouble(risk.score))")
            }
            return Alert(id: id, score: (score * 100).rounded() / 100, reasons: reasons, evidence: evidence)
        }
        alerts.removeAll { $0.score < options.minScore }
        func idLess(_ a: String, _ b: String) -> Bool {
            if let x = Int64(a), let y = Int64(b) { return x < y }
            return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
        alerts.sort { $0.score != $1.score ? $0.score > $1.score : idLess($0.id, $1.id) }
        if options.topN > 0 && alerts.count > options.topN { alerts.removeLast(alerts.count - options.topN) }

        var idBuilder = ColumnBuilder(type: ent.type == .int64 ? .int64 : .string)
        var names = ColumnBuilder(type: .string)
        for a in alerts {
            if ent.type == .int64, let v = Int64(a.id) { idBuilder.append(int: v) } else if ent.type == .int64 { idBuilder.appendNull() } else { idBuilder.append(string: a.id) }
            if let r = rowOf[a.id], let n = nameColumn?.value(at: r).stringValue { names.append(string: n) } else { names.appendNull() }
        }
        return try Table([
            ("rank", .int64((0..<alerts.count).map { Int64($0 + 1) })),
            ("entity_id", idBuilder.finish()),
            ("name", names.finish()),
            ("score", .double(alerts.map(\.score))),
            ("reason_count", .int64(alerts.map { Int64($0.reasons.count) })),
            ("reasons", .string(alerts.map { $0.reasons.map(\.rawValue).joined(separator: "|") })),
            ("evidence", .string(alerts.map { $0.evidence.joined(separator: " || ") })),
        ])
    }
}
