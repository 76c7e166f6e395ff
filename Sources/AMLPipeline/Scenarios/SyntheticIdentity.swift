// Synthetic-identity detection on an identity graph (MISSION.md, "Synthetic identity").
//
// Graph: one vertex per entity, one per distinct non-empty attribute value of each type
// (address, email, phone, SSN), an edge from each entity to each of its values. Attribute
// vertices of degree 1 link nothing and are pruned, as the accelerator does. Connected
// components of what remains group entities that share values, directly or through chains.
import Columnar
import GraphAlgorithms
import PropertyGraph

/// The attribute types of the identity graph, in report order.
public enum IdentityAttribute: String, CaseIterable, Sendable {
    case address, email, phone, ssn
}

/// Risk tier of an entity that shares attributes with others.
///
/// - `high`: an SSN is shared, or all three of address, email and phone are;
/// - `medium`: two of address, email and phone are shared;
/// - `low`: one of address, email or phone is shared (MISSION.md names the address case,
///   people living together; a lone shared email or phone is treated the same way).
public enum SyntheticIdentityTier: String, Sendable, Comparable {
    case low, medium, high

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }

    /// The tier for a set of shared attribute types, or nil when nothing is shared.
    public static func classify(_ shared: Set<IdentityAttribute>) -> SyntheticIdentityTier? {
        if shared.contains(.ssn) { return .high }
        let contact = shared.intersection([.address, .email, .phone]).count
        switch contact {
        case 3: return .high
        case 2: return .medium
        case 1: return .low
        default: return nil
        }
    }
}

/// Column names of the entities table (the accelerator's schema by default).
public struct EntityColumns: Sendable {
    public var id = "entity_id"
    public var name = "name"
    public var address = "address"
    public var email = "email_addr"
    public var phone = "phone_number"
    public var ssn = "ssn"
    public init() {}

    func column(for a: IdentityAttribute) -> String {
        switch a {
        case .address: return address
        case .email: return email
        case .phone: return phone
        case .ssn: return ssn
        }
    }
}

/// Builds the identity graph, runs components and scores every entity.
///
/// Output (`synthetic_identity` gold table), one row per entity in a component with more
/// than one entity, ordered by tier (high first), component and entity id:
/// `entity_id, name, component, synth_score, persons_in_component, shared_types,
/// shared_address, shared_email, shared_phone, shared_ssn, tier`.
/// - `component`: the smallest entity id in the component;
/// - `synth_score`: the accelerator's score, the number of other vertices (entities and
///   attribute values) in the component;
/// - `shared_types`: the attribute types this entity shares with at least one other entity,
///   `|`-separated in the order address, email, phone, ssn;
/// - `community`, `bridge_score` (opt-in, when `spectral` is given): the spectral sub-community
///   and the articulation score of `IdentitySpectral`, after the original columns.
///
/// Values are compared after trimming spaces; emails also ignore case. O(N + A) for N
/// entities and A attribute values, plus the components kernel.
public enum SyntheticIdentity {
    public static func detect(entities: Table, columns: EntityColumns = .init(), spectral: SpectralOptions? = nil) throws -> Table {
        let idColumn = try entities.column(columns.id)
        let names = entities.schema.index(of: columns.name).map { entities.columns[$0] }
        let n = entities.rowCount
        var ids: [Int64] = []
        switch idColumn.data {
        case let .int64(a): ids = a
        case let .int32(a): ids = a.map(Int64.init)
        default:
            // Ids as given: run on dense codes, hand back the original ids.
            let coding = DenseEntityIDs([idColumn])
            let result = try detect(entities: coding.encode(entities, columns: [columns.id]), columns: columns, spectral: spectral)
            return try coding.decode(result, columns: ["entity_id", "component", "community"])
        }

        // Attribute vertices: per type, distinct value -> (vertex, members).
        var src: [UInt32] = [], dst: [UInt32] = []
        var attributeDegree: [Int] = []
        var entityValueVertex = [[Int]](repeating: [Int](repeating: -1, count: n), count: IdentityAttribute.allCases.count)
        for (t, attribute) in IdentityAttribute.allCases.enumerated() {
            guard let ci = entities.schema.index(of: columns.column(for: attribute)) else { continue }
            let column = entities.columns[ci]
            var index: [String: Int] = [:]
            for row in 0..<n {
                guard case var .string(raw) = column.value(at: row) else { continue }
                raw = raw.trimmingCharacters(in: .whitespaces)
                if attribute == .email { raw = raw.lowercased() }
                if raw.isEmpty { continue }
                let key = raw
                let vertex: Int
                if let v = index[key] { vertex = v } else {
                    vertex = attributeDegree.count
                    attributeDegree.append(0)
                    index[key] = vertex
                }
                attributeDegree[vertex] += 1
                entityValueVertex[t][row] = vertex
            }
        }
        // Prune degree-1 attribute vertices; keep the rest as vertices n, n+1, ...
        var kept = [Int](repeating: -1, count: attributeDegree.count)
        var keptCount = 0
        for (a, degree) in attributeDegree.enumerated() where degree >= 2 {
            kept[a] = n + keptCount
            keptCount += 1
        }
        for t in 0..<IdentityAttribute.allCases.count {
            for row in 0..<n {
                let a = entityValueVertex[t][row]
                if a >= 0, kept[a] >= 0 {
                    src.append(UInt32(row))
                    dst.append(UInt32(kept[a]))
                }
            }
        }
        let vertexCount = n + keptCount
        let labels = WeaklyConnectedComponents.labels(vertexCount: vertexCount, src: src, dst: dst)
        var persons = [Int](repeating: 0, count: vertexCount)
        var size = [Int](repeating: 0, count: vertexCount)
        var smallestEntity = [Int64](repeating: Int64.max, count: vertexCount)
        for v in 0..<vertexCount {
            let l = Int(labels[v])
            size[l] += 1
            if v < n {
                persons[l] += 1
                smallestEntity[l] = min(smallestEntity[l], ids[v])
            }
        }

        let componentOfRow = (0..<n).map { smallestEntity[Int(labels[$0])] }
        let spectralColumns = spectral.map {
            IdentitySpectral.analyse(entityCount: n, vertexCount: vertexCount, src: src, dst: dst,
                                     labels: labels, ids: ids, component: componentOfRow, options: $0)
        }

        struct Row { var row: Int; var tier: SyntheticIdentityTier?; var component: Int64; var shared: [Bool] }
        var rows: [Row] = []
        for row in 0..<n {
            let l = Int(labels[row])
            guard persons[l] > 1 else { continue }
            let shared = (0..<IdentityAttribute.allCases.count).map { t -> Bool in
                let a = entityValueVertex[t][row]
                return a >= 0 && attributeDegree[a] >= 2
            }
            let set = Set(IdentityAttribute.allCases.enumerated().filter { shared[$0.offset] }.map(\.element))
            rows.append(Row(row: row, tier: SyntheticIdentityTier.classify(set), component: smallestEntity[l], shared: shared))
        }
        func tierOrder(_ t: SyntheticIdentityTier?) -> Int { t == .high ? 0 : t == .medium ? 1 : t == .low ? 2 : 3 }
        rows.sort { a, b in
            (tierOrder(a.tier), a.component, ids[a.row]) < (tierOrder(b.tier), b.component, ids[b.row])
        }

        var name = ColumnBuilder(type: .string)
        var sharedTypes = ColumnBuilder(type: .string)
        var tier = ColumnBuilder(type: .string)
        for r in rows {
            if let names, case let .string(s) = names.value(at: r.row) { name.append(string: s) } else { name.appendNull() }
            sharedTypes.append(string: IdentityAttribute.allCases.enumerated().filter { r.shared[$0.offset] }.map(\.element.rawValue).joined(separator: "|"))
            if let t = r.tier { tier.append(string: t.rawValue) } else { tier.appendNull() }
        }
        var table = try Table([
            ("entity_id", .int64(rows.map { ids[$0.row] })),
            ("name", name.finish()),
            ("component", .int64(rows.map(\.component))),
            ("synth_score", .int64(rows.map { Int64(size[Int(labels[$0.row])] - 1) })),
            ("persons_in_component", .int64(rows.map { Int64(persons[Int(labels[$0.row])]) })),
            ("shared_types", sharedTypes.finish()),
            ("shared_address", .bool(rows.map { $0.shared[0] })),
            ("shared_email", .bool(rows.map { $0.shared[1] })),
            ("shared_phone", .bool(rows.map { $0.shared[2] })),
            ("shared_ssn", .bool(rows.map { $0.shared[3] })),
            ("tier", tier.finish()),
        ])
        if let (community, bridge) = spectralColumns {
            table = try table.adding("community", .int64(rows.map { community[$0.row] }))
                .adding("bridge_score", .double(rows.map { bridge[$0.row] }))
        }
        return table
    }
}

import Foundation
