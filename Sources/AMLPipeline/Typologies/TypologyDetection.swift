// Runs the selected typology detectors on one payment graph and removes findings that a more
// specific typology already explains.

import Columnar
import Foundation
import PropertyGraph

/// The findings of one run, with the payment view they refer to.
public struct TypologyRun: Sendable {
    public let payments: TypologyPayments
    /// In `TypologyKind` order, then by first account and first payment.
    public let findings: [TypologyFinding]
    /// Seconds per detector, in run order.
    public let seconds: [(TypologyKind, Double)]
}

/// Typology detection over a payment graph.
public enum TypologyDetection {
    /// Runs every enabled detector (`settings.kinds()`), most specific first, and drops a
    /// finding when at least `subsumeShare` of its payments are evidence of a kept finding of a
    /// more specific kind (the source of a scatter-gather is not also reported as a fan-out).
    /// - Complexity: the detectors' sum, plus O(total evidence) for the subsumption.
    public static func run(_ graph: PropertyGraph, settings: TypologySettings = .init(), amountColumn: String = "txn_amount",
                           timeColumn: String = "txn_ts") throws -> TypologyRun {
        let payments = try TypologyPayments(graph: graph, amountColumn: amountColumn, timeColumn: timeColumn,
                                            recurringSpan: Int64(settings.recurringSpanHours * 3_600_000_000))
        var columns = TypologyColumns()
        columns.amount = amountColumn
        columns.time = timeColumn
        return try run(payments, graph: graph, settings: settings, columns: columns)
    }

    /// The same on a prepared payment view (`graph` is needed only for the mule-chain variant,
    /// which reads `columns`' amount, time and txn id columns from it).
    public static func run(_ payments: TypologyPayments, graph: PropertyGraph?, settings: TypologySettings = .init(),
                           columns: TypologyColumns = .init()) throws -> TypologyRun {
        try settings.validate()
        var findings: [TypologyFinding] = [], seconds: [(TypologyKind, Double)] = []
        var covered = [Bool](repeating: false, count: payments.edgeCount)
        var layers: (BipartiteSettings, [Bipartite.Biclique])? = nil
        for kind in try settings.kinds() {
            let started = DispatchTime.now().uptimeNanoseconds
            var found: [TypologyFinding]
            switch kind {
            case .fanIn: found = FanIn.detect(payments, settings: settings.fanIn)
            case .fanOut: found = FanOut.detect(payments, settings: settings.fanOut)
            case .cycle: found = Cycles.detect(payments, settings: settings.cycle)
            case .scatterGather: found = ScatterGather.detect(payments, settings: settings.scatterGather)
            case .gatherScatter: found = GatherScatter.detect(payments, settings: settings.gatherScatter)
            case .bipartite:
                // The stack's first layers are these bicliques when the settings agree.
                found = Bipartite.findings(layers.flatMap { $0.0 == settings.bipartite ? $0.1 : nil }
                                           ?? Bipartite.bicliques(payments, settings: settings.bipartite))
            case .stack:
                let first = Bipartite.bicliques(payments, settings: settings.stack.layer)
                layers = (settings.stack.layer, first)
                found = Stack.detect(payments, settings: settings.stack, firstLayers: first)
            case .structuring: found = try StructuringTypology.detect(payments, graph: graph, settings: settings.structuring, columns: columns)
            case .rapidPassThrough: found = RapidPassThrough.detect(payments, settings: settings.rapidPassThrough)
            }
            if settings.subsumeShare > 0 {
                found = found.filter { f in
                    let hit = f.edges.reduce(0) { $0 + (covered[Int($1)] ? 1 : 0) }
                    return Double(hit) < settings.subsumeShare * Double(f.edges.count)
                }
            }
            found.sort { a, b in
                if a.accounts[0] != b.accounts[0] { return a.accounts[0] < b.accounts[0] }
                let ta = payments.time[Int(a.edges[0])], tb = payments.time[Int(b.edges[0])]
                if ta != tb { return ta < tb }
                return a.edges.lexicographicallyPrecedes(b.edges)
            }
            for f in found { for e in f.edges { covered[Int(e)] = true } }
            findings += found
            seconds.append((kind, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9))
        }
        return TypologyRun(payments: payments, findings: findings, seconds: seconds)
    }
}

/// Column names of a transactions table for the typology detectors.
public struct TypologyColumns: Sendable, Codable, Equatable {
    public var originator = "originator_id"
    public var beneficiary = "beneficiary_id"
    public var amount = "txn_amount"
    public var time = "txn_ts"
    public var txnID = "txn_id"
    public init() {}
}

/// What `TypologyDetection.detect(transactions:)` returns: the gold tables and the counts.
public struct TypologyOutput: Sendable {
    /// `typologies` and `typology_accounts` (`TypologyTables.names`).
    public var tables: [(String, Table)]
    /// Findings per kind run, in run order.
    public var counts: [(TypologyKind, Int)]
    /// Seconds per detector, then `prepare` (graph and payment view).
    public var seconds: [(String, Double)]
    public var accounts: Int
    public var payments: Int
}

extension TypologyDetection {
    /// The typology gold tables straight from a transactions table (ids as given: integers or
    /// strings): builds the payment graph, runs `run`, writes the tables.
    /// - Complexity: O(E log E) to prepare, plus the detectors.
    public static func detect(transactions: Table, columns: TypologyColumns = .init(), settings: TypologySettings = .init()) throws -> TypologyOutput {
        let started = DispatchTime.now().uptimeNanoseconds
        var builder = GraphBuilder(srcColumn: columns.originator, dstColumn: columns.beneficiary, idColumn: "id",
                                   edgesName: "transactions", verticesName: "accounts")
        let graph = try builder.build(edges: transactions, vertices: nil)
        let payments = try TypologyPayments(graph: graph, amountColumn: columns.amount, timeColumn: columns.time,
                                            recurringSpan: Int64(settings.recurringSpanHours * 3_600_000_000))
        let prepared = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let result = try run(payments, graph: graph, settings: settings, columns: columns)
        var counts: [(TypologyKind, Int)] = []
        for (kind, _) in result.seconds { counts.append((kind, result.findings.filter { $0.kind == kind }.count)) }
        return TypologyOutput(tables: try TypologyTables.tables(result, graph: graph, txnIDColumn: columns.txnID), counts: counts,
                              seconds: result.seconds.map { ($0.0.rawValue, $0.1) } + [("prepare", prepared)],
                              accounts: graph.vertexCount, payments: graph.edgeCount)
    }
}
