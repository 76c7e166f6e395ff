// The typology gold tables: one row per instance with its evidence, and one row per
// (instance, account) with the account's external id as given.

import Columnar
import PropertyGraph

/// Builds the `typologies` and `typology_accounts` gold tables.
public enum TypologyTables {
    /// The gold table names, in the order `tables` returns them.
    public static let names = ["typologies", "typology_accounts"]

    /// `typologies`: `instance_id, typology, variant, accounts, roles, account_count, txn_ids,
    /// amounts, txn_count, total_amount, first_ts, last_ts, span_hours, score`; `accounts`,
    /// `roles`, `txn_ids` and `amounts` are `|`-joined and parallel (accounts as their external
    /// ids' text, transactions by `txnIDColumn`, in time order). Instance ids count from 1 in
    /// the run's order. O(total evidence).
    public static func instances(_ run: TypologyRun, graph: PropertyGraph, txnIDColumn: String = "txn_id") throws -> Table {
        let p = run.payments, f = run.findings
        let txnIDs = try? graph.edgeProperties.column(txnIDColumn)
        func txn(_ e: UInt32) -> String { txnIDs.map { $0.value(at: Int(e)).description } ?? String(e) }
        func cents(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        return try Table([
            ("instance_id", .int64((0..<f.count).map { Int64($0 + 1) })),
            ("typology", .string(f.map(\.kind.rawValue))),
            ("variant", .string(f.map(\.variant))),
            ("accounts", .string(f.map { $0.accounts.map { graph.ids.text($0) }.joined(separator: "|") })),
            ("roles", .string(f.map { $0.roles.joined(separator: "|") })),
            ("account_count", .int64(f.map { Int64($0.accounts.count) })),
            ("txn_ids", .string(f.map { $0.edges.map(txn).joined(separator: "|") })),
            ("amounts", .string(f.map { $0.edges.map { formatDouble(cents(p.amount[Int($0)])) }.joined(separator: "|") })),
            ("txn_count", .int64(f.map { Int64($0.edges.count) })),
            ("total_amount", .double(f.map { cents($0.edges.reduce(0.0) { $0 + p.amount[Int($1)] }) })),
            ("first_ts", .timestamp(f.map { $0.edges.map { p.time[Int($0)] }.min()! })),
            ("last_ts", .timestamp(f.map { $0.edges.map { p.time[Int($0)] }.max()! })),
            ("span_hours", .double(f.map { x in cents(Double(x.edges.map { p.time[Int($0)] }.max()! - x.edges.map { p.time[Int($0)] }.min()!) / 3_600_000_000) })),
            ("score", .double(f.map { cents($0.score) })),
        ])
    }

    /// `typology_accounts`: `instance_id, typology, account_id, role, score`, one row per
    /// account of each instance; `account_id` is the graph's external id column, same type.
    public static func accounts(_ run: TypologyRun, graph: PropertyGraph) throws -> Table {
        var instance: [Int64] = [], kinds: [String] = [], who: [UInt32] = [], roles: [String] = [], scores: [Double] = []
        for (k, f) in run.findings.enumerated() {
            for (v, r) in zip(f.accounts, f.roles) {
                instance.append(Int64(k + 1)); kinds.append(f.kind.rawValue); who.append(v); roles.append(r)
                scores.append((f.score * 100).rounded() / 100)
            }
        }
        return try Table([
            ("instance_id", .int64(instance)), ("typology", .string(kinds)), ("account_id", graph.ids.column(for: who)),
            ("role", .string(roles)), ("score", .double(scores)),
        ])
    }

    /// Both tables as (name, table) pairs, in `names` order.
    public static func tables(_ run: TypologyRun, graph: PropertyGraph, txnIDColumn: String = "txn_id") throws -> [(String, Table)] {
        [("typologies", try instances(run, graph: graph, txnIDColumn: txnIDColumn)), ("typology_accounts", try accounts(run, graph: graph))]
    }
}
