// The `alerts` gold table: one ranked row per entity that any scenario raised, with every
// reason and the evidence behind it (MISSION.md, "Gold tables").
import Columnar

/// Why an entity is on the alert list, with the points each reason adds to its score.
///
/// The weights order the work queue; they are not probabilities. A collector of structured
/// money outranks a member of a synthetic-identity ring, which outranks someone who only
/// received tainted money.
public enum AlertReason: String, CaseIterable, Sendable {
    case structuringCollector = "structuring_collector"
    case structuringBeneficiary = "structuring_beneficiary"
    case structuringSource = "structuring_source"
    case structuringMule = "structuring_mule"
    case roundtripOrigin = "roundtrip_origin"
    case roundtripIntermediary = "roundtrip_intermediary"
    case syntheticIdentityHigh = "synthetic_identity_high"
    case syntheticIdentityMedium = "synthetic_identity_medium"
    case syntheticIdentityLow = "synthetic_identity_low"
    case nonResidentialAddress = "non_residential_address"
    case oversharedAddress = "overshared_address"
    case riskySeed = "risky_seed"
    case riskPropagated = "risk_propagated"
    case behaviourAnomaly = "behaviour_anomaly"

    /// Points added to the alert score.
    public var weight: Double {
        switch self {
        case .structuringCollector: return 40
        case .roundtripOrigin: return 35
        case .structuringBeneficiary: return 30
        case .syntheticIdentityHigh: return 30
        case .roundtripIntermediary: return 20
        case .structuringSource, .structuringMule: return 15
        case .syntheticIdentityMedium: return 15
        case .behaviourAnomaly: return 15
        case .nonResidentialAddress: return 10
        case .riskySeed: return 10
        case .riskPropagated: return 8
        case .oversharedAddress: return 5
        case .syntheticIdentityLow: return 2
        }
    }
}

/// The scenario outputs that feed the alert list; any may be missing.
public struct AlertInputs: Sendable {
    /// `entity_id, name, ...` (names are copied into the alerts).
    public var entities: Table
    /// The `synthetic_identity` gold table.
    public var syntheticIdentity: Table?
    /// The `structuring` gold table (`collector_id, beneficiary_id, source_ids, mule_ids, txn_ids, total_amount`).
    public var structuring: Table?
    /// The `roundtrips` gold table (`origin_id, intermediary_ids, txn_ids, agg_amount`).
    public var roundtrips: Table?
    /// The `risk_propagation` gold table.
    public var risk: Table?
    /// The `address_flags` gold table.
    public var addressFlags: Table?
    /// The `behaviour_anomaly` gold table (`entity_id, score, rank`).
    public var behaviourAnomaly: Table?

    public init(entities: Table) { self.entities = entities }
}

/// Builds the `alerts` gold table.
///
/// Output, ordered by rank: `rank, entity_id, name, score, reason_count, reasons, evidence`.
/// `reasons` lists `AlertReason` raw values in weight order, `|`-separated; `evidence` gives,
/// per reason, the ids that support it (`structuring_collector:beneficiary=77;txns=1|2|3`),
/// separated by ` || `. Ties in score rank by entity id. O(rows of the inputs + A log A) for
/// A alerted entities.
public enum Alerts {
    /// Tuning of which weaker signals raise an alert.
    public struct Options: Sendable {
        /// A propagated risk score at or above this raises `risk_propagated` (the accelerator's
        /// seeds carry up to 10, so the default is half a strong seed).
        public var riskThreshold = 5.0
        /// Entities ranked at or above this in `behaviour_anomaly` raise `behaviour_anomaly`.
        public var anomalyTopRank = 50
        /// Include `synthetic_identity_low` (one shared attribute, often a household).
        public var includeLowTier = false
        public init() {}
    }

    public static func build(_ inputs: AlertInputs, options: Options = .init()) throws -> Table {
        var found: [String: [AlertReason: [String]]] = [:]
        func raise(_ id: String, _ reason: AlertReason, _ evidence: String) {
            guard !id.isEmpty else { return }
            found[id, default: [:]][reason, default: []].append(evidence)
        }
        func ids(_ s: String) -> [String] { s.split(separator: "|").map(String.init) }

        if let t = inputs.structuring {
            let c = try t.column("collector_id"), g = try t.column("beneficiary_id")
            let src = try t.column("source_ids"), mule = try t.column("mule_ids")
            let txns = try t.column("txn_ids"), total = try t.column("total_amount")
            for r in 0..<t.rowCount {
                let collector = c.value(at: r).description, beneficiary = g.value(at: r).description
                let tx = txns.value(at: r).description
                let amount = total.value(at: r).description
                raise(collector, .structuringCollector, "beneficiary=\(beneficiary);total=\(amount);txns=\(tx)")
                raise(beneficiary, .structuringBeneficiary, "collector=\(collector);total=\(amount)")
                for s in ids(src.value(at: r).description) { raise(s, .structuringSource, "collector=\(collector)") }
                for m in ids(mule.value(at: r).description) { raise(m, .structuringMule, "collector=\(collector)") }
            }
        }
        if let t = inputs.roundtrips {
            let o = try t.column("origin_id"), mids = try t.column("intermediary_ids")
            let txns = try t.column("txn_ids"), amount = try t.column("agg_amount")
            for r in 0..<t.rowCount {
                let origin = o.value(at: r).description, tx = txns.value(at: r).description
                raise(origin, .roundtripOrigin, "via=\(mids.value(at: r).description);amount=\(amount.value(at: r).description);txns=\(tx)")
                for m in ids(mids.value(at: r).description) { raise(m, .roundtripIntermediary, "origin=\(origin);txns=\(tx)") }
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
        if let t = inputs.risk {
            let e = try t.column("entity_id"), base = try t.column("base_risk"), score = try t.column("risk_score")
            for r in 0..<t.rowCount {
                let b = base.value(at: r).doubleValue ?? 0, s = score.value(at: r).doubleValue ?? 0
                if b > 0 { raise(e.value(at: r).description, .riskySeed, "base_risk=\(formatDouble(b))") }
                else if s >= options.riskThreshold { raise(e.value(at: r).description, .riskPropagated, "risk_score=\(formatDouble(s))") }
            }
        }
        if let t = inputs.behaviourAnomaly {
            let e = try t.column("entity_id"), rank = try t.column("rank"), score = try t.column("score")
            for r in 0..<t.rowCount {
                guard let k = rank.value(at: r).intValue, k <= options.anomalyTopRank else { continue }
                raise(e.value(at: r).description, .behaviourAnomaly, "rank=\(k);score=\(score.value(at: r).description)")
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
                .sorted { $0.element.weight != $1.element.weight ? $0.element.weight > $1.element.weight : $0.offset < $1.offset }
                .map(\.element)
            let evidence = reasons.map { r in "\(r.rawValue):" + byReason[r]!.sorted().joined(separator: ",") }
            return Alert(id: id, score: reasons.reduce(0) { $0 + $1.weight }, reasons: reasons, evidence: evidence)
        }
        func idLess(_ a: String, _ b: String) -> Bool {
            if let x = Int64(a), let y = Int64(b) { return x < y }
            return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
        alerts.sort { $0.score != $1.score ? $0.score > $1.score : idLess($0.id, $1.id) }

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
