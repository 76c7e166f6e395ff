// One motif search as a single call: load the graph, plan the pattern with its filters, match,
// and count or write the rows (CSV, JSON Lines, or stdout). `amlgraph motif` and scripts use it.
import Columnar
import Foundation
import GraphAlgorithms
import PropertyGraph

/// The options of a motif search beyond the pattern (GraphFrames' motif semantics, plus the
/// filters amlgraph checks during the search).
public struct MotifSearchSettings: Sendable, Equatable {
    /// Named vertices bind pairwise distinct vertices.
    public var distinctVertices = false
    /// Edges bind pairwise distinct edges.
    public var distinctEdges = false
    /// Time moves forward along the pattern (needs `timeColumn`).
    public var timeOrder = false
    /// The edge time column for `timeOrder` and `window`.
    public var timeColumn = "txn_ts"
    /// All bound edges lie within this span (`30d`, `12h`), or nil.
    public var window: String?
    /// A filter over bound elements (`e1.amount < 10000 and a.id != c.id`), or nil.
    public var filter: String?
    /// Stop after this many rows.
    public var limit: Int?
    /// Rows sorted by the bound ids in column order (false: search order, which streams).
    public var ordered = true

    public init() {}
}

/// What a motif search produces.
public enum MotifSearchOutput: Sendable, Equatable {
    /// Only the number of matches.
    case count
    /// The rows, written to a `.json` path as JSON Lines, any other path as CSV, `-` as CSV on stdout.
    case rows(path: String)
}

/// The outcome of `MotifSearch.run`.
public struct MotifSearchResult {
    /// Matches counted or written.
    public var rows: Int
    /// The search plan of each hop choice (`hops` label, plan text), for `--explain`.
    public var plans: [String]
    public var vertexCount: Int
    public var edgeCount: Int
    /// Stage timings in the `--timings-json` keys (`load_s`, `build_s`, `plan_s`, `match_s`).
    public var timings: [(String, TimingValue)]
}

/// A motif search that cannot start: the input lacks what the options need.
public struct MotifSearchError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Loads the graph of `source`, plans `pattern` (already validated), and counts or writes its
/// matches.
///
/// Semantics follow GraphFrames' motif finding: different names may bind the same vertex or
/// edge, each combination of parallel edges is a row, self-loops match, and a pattern with a
/// negation returns distinct rows. Rows are written in batches as the search produces them.
/// - Complexity: loading O(V + E); the search is output-sensitive (see `MotifMatcher`).
public enum MotifSearch {
    public static func run(_ source: GraphSource, pattern query: MotifQuery, settings: MotifSearchSettings,
                           output: MotifSearchOutput, progress: (String) -> Void = { _ in }) throws -> MotifSearchResult {
        var clock = Stopwatch()
        let loaded = try PaymentGraphLoader.load(source, progress: progress)
        let graph = loaded.graph
        _ = clock.lap()

        var options = MotifOptions()
        options.distinctVertices = settings.distinctVertices
        options.distinctEdges = settings.distinctEdges
        options.timeOrder = settings.timeOrder
        // A count does not depend on row order, so it may start where the search is cheapest.
        options.ordered = settings.ordered && output != .count
        options.limit = settings.limit
        if let window = settings.window { options.window = try MotifTime.duration(window) }
        if settings.timeOrder || settings.window != nil {
            guard let c = try? graph.edgeProperties.column(settings.timeColumn) else {
                throw MotifSearchError(description: "\(source.edges): no time column '\(settings.timeColumn)' for --time-order/--within (set --time-col; columns: \(graph.edgeProperties.columnNames.joined(separator: ", ")))")
            }
            options.edgeTimes = try MotifTime.edgeTimes(c, name: settings.timeColumn)
        }
        let endpoints = [source.srcColumn, source.dstColumn]
        if let filter = settings.filter {
            options.conjuncts = try MotifFilter.conjuncts(filter, graph: graph, query: query, endpointColumns: endpoints)
        }
        let matcher = try MotifMatcher(graph: graph, query: query, options: options)
        let plans = zip(matcher.plans, query.hopChoices).map { plan, hops in (hops.isEmpty ? "" : "hops \(hops):\n") + plan.explanation }
        let planSeconds = clock.lap()

        progress("matching")
        let rows: Int
        switch output {
        case .count:
            rows = matcher.count()
        case let .rows(path):
            rows = try writeRows(matcher, graph: graph, query: query, endpoints: endpoints, to: path)
        }
        let timings: [(String, TimingValue)] = [
            ("load_s", .seconds(loaded.loadSeconds)), ("build_s", .seconds(loaded.buildSeconds)), ("plan_s", .seconds(planSeconds)),
            ("match_s", .seconds(clock.lap())),
        ]
        return MotifSearchResult(rows: rows, plans: plans, vertexCount: graph.vertexCount, edgeCount: graph.edgeCount, timings: timings)
    }

    /// Writes a finished motif table (as the Spark engine returns it) to `path`, as `run` does.
    public static func write(_ table: Table, query: MotifQuery, to path: String) throws {
        if path.hasSuffix(".json") {
            let writer = try MotifJSONWriter(path: path, query: query, columns: table.columnNames)
            try writer.write(table)
            try writer.commit()
        } else {
            try TableIO.write(table, to: path)
        }
    }

    /// Streams the matcher's row batches to `path`; a search with no rows still writes the header.
    private static func writeRows(_ matcher: MotifMatcher, graph: PropertyGraph, query: MotifQuery, endpoints: [String], to path: String) throws -> Int {
        let builder = MotifResultTable(graph: graph, query: query, endpointColumns: Set(endpoints))
        if path.hasSuffix(".json") {
            let writer = try MotifJSONWriter(path: path, query: query, columns: builder.columnNames)
            let rows = try matcher.run { batch in try writer.write(try builder.table(batch)) }
            try writer.commit()
            return rows
        }
        var writer: CSVWriter?
        let rows = try matcher.run { batch in
            let t = try builder.table(batch)
            if writer == nil { writer = try CSVWriter(path: path, schema: t.schema) }
            try writer!.write(t)
        }
        if let writer {
            try writer.commit()
        } else {
            let empty = try builder.table(MotifRowBatch(ids: [], stride: matcher.stride, hops: query.hopChoices.first ?? []))
            try TableIO.write(empty, to: path)
        }
        return rows
    }
}
