// One detected typology instance with its evidence, the row type every detector returns.

/// The laundering typologies amlgraph detects; the raw value is the name used in gold
/// tables, alert reasons, settings keys and `--only`.
public enum TypologyKind: String, CaseIterable, Sendable, Codable, Comparable {
    case cycle
    case stack
    case scatterGather = "scatter_gather"
    case gatherScatter = "gather_scatter"
    case bipartite
    case structuring
    case fanIn = "fan_in"
    case fanOut = "fan_out"
    case rapidPassThrough = "rapid_pass_through"

    /// Specificity order: a finding of a later kind whose payments are mostly evidence of an
    /// earlier kind is the same money seen through a coarser lens (the source of a
    /// scatter-gather is also a fan-out; a cycle's intermediaries pass money through), so it
    /// is dropped (`TypologySettings.subsumeShare`).
    public var specificity: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: Self, b: Self) -> Bool { a.specificity < b.specificity }
}

/// One typology instance: the accounts with their roles, the payments that are its evidence
/// and a score in (0, 1].
///
/// Accounts and edges are dense ids of the payment graph; `TypologyTables` writes them back as
/// the external account ids and transaction ids.
public struct TypologyFinding: Sendable, Equatable {
    public var kind: TypologyKind
    /// A detector-specific form, e.g. `split_then_lump` for a fan-in whose hub forwards the
    /// total in one payment, `deposits` / `withdrawals` / `mule_chain` for structuring.
    public var variant: String
    /// Accounts in role order (the hub or source first), each once.
    public var accounts: [UInt32]
    /// One role per account (`hub`, `originator`, `beneficiary`, `intermediary`, `source`,
    /// `destination`, `member`, `mule`, `collector`, `pass_through`).
    public var roles: [String]
    /// The payments (edge rows) that make up the instance, sorted by (time, edge id).
    public var edges: [UInt32]
    public var score: Double

    public init(kind: TypologyKind, variant: String, accounts: [UInt32], roles: [String], edges: [UInt32], score: Double) {
        self.kind = kind
        self.variant = variant
        self.accounts = accounts
        self.roles = roles
        self.edges = edges
        self.score = score
    }

    /// Accounts and roles from role groups, keeping each account's first role.
    static func members(_ groups: [(String, [UInt32])]) -> (accounts: [UInt32], roles: [String]) {
        var accounts: [UInt32] = [], roles: [String] = [], seen = Set<UInt32>()
        for (role, ids) in groups { for v in ids where seen.insert(v).inserted { accounts.append(v); roles.append(role) } }
        return (accounts, roles)
    }

    /// Edges sorted by (time, edge id), duplicates removed.
    static func timeOrdered(_ edges: [UInt32], _ p: TypologyPayments) -> [UInt32] {
        var e = edges
        e.sort { (p.time[Int($0)], $0) < (p.time[Int($1)], $1) }
        var out: [UInt32] = []
        for x in e where out.last != x { out.append(x) }
        return out
    }
}
