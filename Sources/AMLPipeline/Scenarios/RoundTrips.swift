// Round trips with the motif engine (MISSION.md, "Round trips"): money leaves an entity and
// comes back through intermediaries,
//   (v0)-[e1]->(v1); (v1)-[e2]->(v2); ... ; (v{n-1})-[en]->(v0)
// with distinct vertices, time order e1 < e2 < ... < en, and all hops inside the window.
// Time order fixes the rotation: each cycle is reported once, from its origin.

import Columnar
import Foundation
import GraphAlgorithms
import PropertyGraph

/// Settings of the round-trip detector.
public struct RoundTripConfig: Sendable {
    /// Hops in the cycle, 2...6.
    public var length = 4
    /// All hops lie within this span (microseconds).
    public var window: Int64 = 7 * 86_400_000_000
    /// Ignore hops below this amount (0: keep all).
    public var minAmount = 0.0
    public var amountColumn = "txn_amount"
    public var timeColumn = "txn_ts"
    public var txnIDColumn = "txn_id"
    public var nameColumn = "name"
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}

/// One detected round trip.
public struct RoundTrip: Sendable, Equatable {
    /// Vertices in cycle order, origin first (dense ids).
    public var vertices: [UInt32]
    /// Edge rows in hop order.
    public var edges: [UInt32]
}

public enum RoundTrips {
    /// The motif text for a cycle of `length` hops.
    public static func pattern(length: Int) -> String {
        (0..<length).map { "(v\($0))-[e\($0 + 1)]->(v\(($0 + 1) % length))" }.joined(separator: "; ")
    }

    /// Finds round trips, sorted by origin then hop edges. O(matches after pruning).
    public static func detect(_ graph: PropertyGraph, config: RoundTripConfig = RoundTripConfig()) throws -> [RoundTrip] {
        guard (2...6).contains(config.length) else {
            throw StructuringError.badColumn("round-trip length must be 2 to 6, got \(config.length)")
        }
        let amounts = try Structuring.amounts(graph, config.amountColumn)
        let times = try Structuring.times(graph, config.timeColumn)
        var options = MotifOptions()
        options.distinctVertices = true
        options.timeOrder = true
        options.window = config.window
        options.edgeTimes = times
        options.threads = config.threads
        if config.minAmount > 0 {
            let m = config.minAmount
            options.conjuncts = (1...config.length).map { i in
                MotifConjunct(names: ["e\(i)"], description: "e\(i).amount >= \(m)") { slots in
                    guard case let .edge(k) = slots[0] else { return { _ in false } }
                    return { b in amounts[Int(b.edges[k])] >= m }
                }
            }
        }
        let matcher = try MotifMatcher(graph: graph, query: MotifValidator.query(pattern(length: config.length)), options: options)
        var out: [RoundTrip] = []
        // Element order: v0, e1, v1, e2, ..., v{n-1}, en.
        try matcher.run { batch in
            for r in 0..<batch.count {
                let p = r * batch.stride
                var vs: [UInt32] = [], es: [UInt32] = []
                for k in 0..<config.length { vs.append(batch.ids[p + 2 * k]); es.append(batch.ids[p + 2 * k + 1]) }
                out.append(RoundTrip(vertices: vs, edges: es))
            }
        }
        return out
    }

    /// The `roundtrips` gold table: origin, intermediaries (`|`-joined ids and names), hop
    /// transaction ids, the amount sent, the amount returned, the total over all hops, and
    /// the time span.
    public static func table(_ trips: [RoundTrip], graph: PropertyGraph, config: RoundTripConfig = RoundTripConfig()) throws -> Table {
        let amounts = try Structuring.amounts(graph, config.amountColumn)
        let times = try Structuring.times(graph, config.timeColumn)
        let txnIDs = try? graph.edgeProperties.column(config.txnIDColumn)
        let names = try? graph.vertexProperties.column(config.nameColumn)
        func txn(_ e: UInt32) -> String { txnIDs.map { $0.value(at: Int(e)).description } ?? String(e) }
        func name(_ v: UInt32) -> String { names.map { $0.value(at: Int(v)) }.map { $0.isNull ? "" : $0.description } ?? "" }
        func cents(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        return try Table([
            ("origin_id", graph.ids.column(for: trips.map { $0.vertices[0] })),
            ("origin_name", .string(trips.map { name($0.vertices[0]) })),
            ("intermediary_ids", .string(trips.map { t in t.vertices.dropFirst().map { graph.ids.text($0) }.joined(separator: "|") })),
            ("intermediary_names", .string(trips.map { t in t.vertices.dropFirst().map(name).joined(separator: "|") })),
            ("hops", .int64(trips.map { Int64($0.edges.count) })),
            ("txn_ids", .string(trips.map { t in t.edges.map(txn).joined(separator: "|") })),
            ("sent_amount", .double(trips.map { cents(amounts[Int($0.edges.first!)]) })),
            ("returned_amount", .double(trips.map { cents(amounts[Int($0.edges.last!)]) })),
            ("agg_amount", .double(trips.map { t in cents(t.edges.reduce(0.0) { $0 + amounts[Int($1)] }) })),
            ("first_ts", .timestamp(trips.map { times[Int($0.edges.first!)] })),
            ("last_ts", .timestamp(trips.map { times[Int($0.edges.last!)] })),
            ("span_hours", .double(trips.map { t in cents(Double(times[Int(t.edges.last!)] - times[Int(t.edges.first!)]) / 3_600_000_000) })),
        ])
    }
}
