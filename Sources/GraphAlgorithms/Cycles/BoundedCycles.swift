// Bounded-length directed simple cycle enumeration: the general round-trip finder.
//
// Static mode (networkx `simple_cycles(G, length_bound=L)` semantics): every directed simple
// cycle (no repeated vertex) of at most L edges, including self-loops (length 1) and
// 2-cycles. A cycle is a vertex sequence: parallel edges do not multiply it. Each cycle is
// reported once, rotated to start at its smallest vertex (internal id order = external id
// order); cycles come out in lexicographic order of that rotation.
// Algorithm: for each start s, a depth-first search over distinct out-neighbours greater
// than s, closing a cycle whenever an edge returns to s. Every cycle is found exactly once,
// from its smallest vertex. Starts run in parallel chunks and are concatenated in order.
// O(V · d^(L-1)) worst case; membership of the current path is a scan of at most L ids.
//
// Temporal mode (time-respecting round trips): each edge carries a timestamp; a cycle is a
// sequence of edges e1..ek (k <= L) through distinct vertices, returning to the first
// source, with strictly increasing timestamps and, optionally, t(ek) - t(e1) <= maxSpan.
// Here a cycle is an edge sequence (parallel edges at different times are different round
// trips) and is reported once, starting at its earliest edge (the only rotation in which
// time increases). Out-edges are sorted by time so the search skips edges that are too
// early by binary search and stops at the first edge past the window.
//
// With `maxCycles`, the first `maxCycles` cycles in output order are kept (the result is the
// same whatever the thread count) and `truncated` is set.
import Columnar
import Dispatch
import PropertyGraph

/// Options for `BoundedCycles`.
public struct CycleOptions: Sendable {
    /// Longest cycle, in edges (>= 1).
    public var maxLength: Int
    /// Timestamp per edge row for time-respecting cycles; nil = static cycles. Edges whose
    /// timestamp is nil are ignored in temporal mode.
    public var timestamps: [Int64?]?
    /// Temporal mode: largest allowed t(last) - t(first).
    public var maxSpan: Int64?
    /// Stop after this many cycles.
    public var maxCycles: Int?

    public init(maxLength: Int, timestamps: [Int64?]? = nil, maxSpan: Int64? = nil, maxCycles: Int? = nil) {
        self.maxLength = maxLength
        self.timestamps = timestamps
        self.maxSpan = maxSpan
        self.maxCycles = maxCycles
    }
}

/// Enumerated cycles, stored flat: cycle i has vertices `vertices[offsets[i]..<offsets[i+1]]`
/// (internal ids, canonical rotation) and, in temporal mode, edge rows `edges[same range]`
/// (edge j leaves vertex j).
public struct CycleEnumerationResult: Sendable {
    public let graph: PropertyGraph
    public let offsets: [Int]
    public let vertices: [UInt32]
    public let edges: [UInt32]?
    public let timestamps: [Int64?]?
    public let truncated: Bool

    public var count: Int { offsets.count - 1 }
    public func cycle(_ i: Int) -> ArraySlice<UInt32> { vertices[offsets[i]..<offsets[i + 1]] }

    /// `cycle, length, path` with `path` a JSON array of external ids; temporal mode adds
    /// `edge_rows` (JSON array of 0-based edge-table rows), `first_time`, `last_time`.
    public func table(timeType: DataType = .int64) throws -> Table {
        var path = ColumnBuilder(type: .string, capacity: count)
        var rows = ColumnBuilder(type: .string, capacity: count)
        var first: [Int64] = [], last: [Int64] = []
        for i in 0..<count {
            let r = offsets[i]..<offsets[i + 1]
            path.append(string: "[" + vertices[r].map { json(graph.ids, $0) }.joined(separator: ",") + "]")
            if let edges, let timestamps {
                rows.append(string: "[" + edges[r].map { String($0) }.joined(separator: ",") + "]")
                first.append(timestamps[Int(edges[r.lowerBound])] ?? 0)
                last.append(timestamps[Int(edges[r.upperBound - 1])] ?? 0)
            }
        }
        var columns: [(String, Column)] = [
            ("cycle", .int64((0..<count).map(Int64.init))),
            ("length", .int64((0..<count).map { Int64(offsets[$0 + 1] - offsets[$0]) })),
            ("path", path.finish()),
        ]
        if edges != nil {
            columns.append(("edge_rows", rows.finish()))
            let wrap: ([Int64]) -> Column = { timeType == .timestamp ? Column(.timestamp($0)) : .int64($0) }
            columns.append(("first_time", wrap(first)))
            columns.append(("last_time", wrap(last)))
        }
        return try Table(columns)
    }

    private func json(_ ids: VertexIDs, _ v: UInt32) -> String {
        switch ids {
        case let .int(a): return String(a[Int(v)])
        case let .string(s): return JSONText.quoted(s[Int(v)])
        }
    }
}

/// Invalid cycle-enumeration arguments.
public enum CycleError: Error, CustomStringConvertible, Equatable {
    case invalidLength(Int)
    case timestampCount(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .invalidLength(l): return "the cycle length bound must be at least 1, got \(l)"
        case let .timestampCount(e, g): return "expected one timestamp per edge (\(e)), got \(g)"
        }
    }
}

/// Bounded-length simple cycle enumeration (see the file header).
public enum BoundedCycles {
    /// Enumerates cycles of at most `options.maxLength` edges. Parallel over start vertices
    /// (static) or start vertices' time-sorted edges (temporal); deterministic output order.
    public static func run(_ graph: PropertyGraph, options: CycleOptions) throws -> CycleEnumerationResult {
        guard options.maxLength >= 1 else { throw CycleError.invalidLength(options.maxLength) }
        if let t = options.timestamps, t.count != graph.edgeCount { throw CycleError.timestampCount(expected: graph.edgeCount, got: t.count) }
        let n = graph.vertexCount
        let out = graph.outAdjacency
        let limit = options.maxCycles ?? Int.max
        let chunks = max(1, min(512, n / 64))
        var perChunk = [Found](repeating: Found(), count: chunks)
        if let timestamps = options.timestamps {
            let sorted = TimeSortedOut(out: out, timestamps: timestamps)
            perChunk.withUnsafeMutableBufferPointer { pc in
                let base = pc.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunks) { k in
                    var found = Found()
                    var search = TemporalSearch(adj: sorted, maxLength: options.maxLength, maxSpan: options.maxSpan, limit: limit)
                    for s in (n * k / chunks)..<(n * (k + 1) / chunks) where found.count < limit {
                        search.cycles(from: UInt32(s), into: &found)
                    }
                    base[k] = found
                }
            }
        } else {
            let distinct = DistinctOut(out: out)
            perChunk.withUnsafeMutableBufferPointer { pc in
                let base = pc.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunks) { k in
                    var found = Found()
                    var search = StaticSearch(adj: distinct, maxLength: options.maxLength, limit: limit)
                    for s in (n * k / chunks)..<(n * (k + 1) / chunks) where found.count < limit {
                        search.cycles(from: UInt32(s), into: &found)
                    }
                    base[k] = found
                }
            }
        }
        var offsets = [0], vertices: [UInt32] = [], edges: [UInt32] = []
        var truncated = false
        outer: for chunk in perChunk {
            for i in 0..<chunk.count {
                if offsets.count - 1 >= limit { truncated = true; break outer }
                let r = chunk.offsets[i]..<chunk.offsets[i + 1]
                vertices.append(contentsOf: chunk.vertices[r])
                if options.timestamps != nil { edges.append(contentsOf: chunk.edges[r]) }
                offsets.append(vertices.count)
            }
        }
        if perChunk.contains(where: { $0.hitLimit }), offsets.count - 1 >= limit { truncated = true }
        return CycleEnumerationResult(graph: graph, offsets: offsets, vertices: vertices,
                                      edges: options.timestamps == nil ? nil : edges, timestamps: options.timestamps, truncated: truncated)
    }

    /// Cycles found by one chunk, flat.
    struct Found {
        var offsets = [0]
        var vertices: [UInt32] = []
        var edges: [UInt32] = []
        var hitLimit = false
        var count: Int { offsets.count - 1 }
    }

    /// Distinct out-neighbours per vertex, ascending (parallel edges collapsed).
    struct DistinctOut {
        var offsets: [Int]
        var neighbors: [UInt32]

        init(out: CSRAdjacency) {
            let n = out.vertexCount
            offsets = [Int](repeating: 0, count: n + 1)
            neighbors = []
            neighbors.reserveCapacity(out.edgeCount)
            var buffer: [UInt32] = []
            for v in 0..<n {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: out.neighbors[out.range(UInt32(v))])
                buffer.sort()
                for (i, w) in buffer.enumerated() where i == 0 || buffer[i - 1] != w { neighbors.append(w) }
                offsets[v + 1] = neighbors.count
            }
        }
    }

    struct StaticSearch {
        let adj: DistinctOut
        let maxLength: Int
        let limit: Int
        var path: [UInt32] = []

        init(adj: DistinctOut, maxLength: Int, limit: Int) {
            self.adj = adj
            self.maxLength = maxLength
            self.limit = limit
        }

        mutating func cycles(from s: UInt32, into found: inout Found) {
            path.removeAll(keepingCapacity: true)
            path.append(s)
            extend(s, start: s, into: &found)
        }

        private mutating func extend(_ x: UInt32, start s: UInt32, into found: inout Found) {
            for k in adj.offsets[Int(x)]..<adj.offsets[Int(x) + 1] {
                if found.count >= limit { found.hitLimit = true; return }
                let w = adj.neighbors[k]
                if w < s { continue }
                if w == s {
                    found.vertices.append(contentsOf: path)
                    found.offsets.append(found.vertices.count)
                } else if path.count < maxLength, !path.contains(w) {
                    path.append(w)
                    extend(w, start: s, into: &found)
                    path.removeLast()
                }
            }
        }
    }

    /// Out-edges per vertex sorted by (timestamp, edge row); edges without a timestamp dropped.
    struct TimeSortedOut {
        var offsets: [Int]
        var neighbors: [UInt32]
        var edgeIDs: [UInt32]
        var times: [Int64]

        init(out: CSRAdjacency, timestamps: [Int64?]) {
            let n = out.vertexCount
            offsets = [Int](repeating: 0, count: n + 1)
            neighbors = []; edgeIDs = []; times = []
            var buffer: [(Int64, UInt32, UInt32)] = []
            for v in 0..<n {
                buffer.removeAll(keepingCapacity: true)
                for k in out.range(UInt32(v)) {
                    if let t = timestamps[Int(out.edgeIDs[k])] { buffer.append((t, out.edgeIDs[k], out.neighbors[k])) }
                }
                buffer.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                for (t, e, w) in buffer { times.append(t); edgeIDs.append(e); neighbors.append(w) }
                offsets[v + 1] = times.count
            }
        }

        /// First position in `v`'s range with time > t.
        func firstAfter(_ v: Int, _ t: Int64) -> Int {
            var lo = offsets[v], hi = offsets[v + 1]
            while lo < hi { let m = (lo + hi) >> 1; if times[m] <= t { lo = m + 1 } else { hi = m } }
            return lo
        }
    }

    struct TemporalSearch {
        let adj: TimeSortedOut
        let maxLength: Int
        let maxSpan: Int64?
        let limit: Int
        var path: [UInt32] = []
        var pathEdges: [UInt32] = []

        init(adj: TimeSortedOut, maxLength: Int, maxSpan: Int64?, limit: Int) {
            self.adj = adj
            self.maxLength = maxLength
            self.maxSpan = maxSpan
            self.limit = limit
        }

        /// Every time-respecting cycle whose earliest edge leaves `s`.
        mutating func cycles(from s: UInt32, into found: inout Found) {
            for k in adj.offsets[Int(s)]..<adj.offsets[Int(s) + 1] {
                if found.count >= limit { found.hitLimit = true; return }
                let t0 = adj.times[k]
                let deadline = maxSpan.map { t0.addingReportingOverflow($0).overflow ? Int64.max : t0 + $0 } ?? Int64.max
                path.removeAll(keepingCapacity: true)
                pathEdges.removeAll(keepingCapacity: true)
                path.append(s)
                pathEdges.append(adj.edgeIDs[k])
                let w = adj.neighbors[k]
                if w == s {
                    emit(into: &found)
                } else if maxLength > 1 {
                    path.append(w)
                    extend(w, start: s, after: t0, deadline: deadline, into: &found)
                }
            }
        }

        private mutating func emit(into found: inout Found) {
            found.vertices.append(contentsOf: path)
            found.edges.append(contentsOf: pathEdges)
            found.offsets.append(found.vertices.count)
        }

        private mutating func extend(_ x: UInt32, start s: UInt32, after t: Int64, deadline: Int64, into found: inout Found) {
            var k = adj.firstAfter(Int(x), t)
            let end = adj.offsets[Int(x) + 1]
            while k < end, adj.times[k] <= deadline {
                if found.count >= limit { found.hitLimit = true; return }
                let w = adj.neighbors[k]
                if w == s {
                    pathEdges.append(adj.edgeIDs[k])
                    emit(into: &found)
                    pathEdges.removeLast()
                } else if path.count < maxLength, !path.contains(w) {
                    pathEdges.append(adj.edgeIDs[k])
                    path.append(w)
                    extend(w, start: s, after: adj.times[k], deadline: deadline, into: &found)
                    path.removeLast()
                    pathEdges.removeLast()
                }
                k += 1
            }
        }
    }
}
