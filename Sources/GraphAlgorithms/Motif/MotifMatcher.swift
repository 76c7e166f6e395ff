// MotifMatcher: backtracking search over CSR/CSC, parallel over chunks of root vertices.
//
// Each worker binds the plan's steps depth-first on flat arrays; every check runs right
// after the step that completes its inputs, so filters prune the search. Chunks of root
// vertices are searched with DispatchQueue.concurrentPerform in waves; each chunk's rows are
// sorted (unless unordered) and handed to the sink in chunk order, so the output does not
// depend on the thread count and memory is bounded by one wave. When the root is not the
// first output element, sorted output needs all rows, which are then gathered and sorted once.

import Foundation
import PropertyGraph

/// Rows from one concrete pattern (one hop-count choice), as flat ids.
///
/// Row r occupies `ids[r*stride ..< (r+1)*stride]`: one id per element of
/// `MotifQuery.elements` (dense vertex id or edge id; `MotifRowBatch.absent` for an element
/// this expansion does not have), then one direction per undirected term (0 = as written,
/// 1 = reversed).
public struct MotifRowBatch: Sendable {
    public static let absent = UInt32.max
    public var ids: [UInt32]
    public var stride: Int
    /// The hop count of each range term for these rows.
    public var hops: [Int]
    public var count: Int { stride == 0 ? 0 : ids.count / stride }

    public init(ids: [UInt32], stride: Int, hops: [Int]) {
        self.ids = ids
        self.stride = stride
        self.hops = hops
    }
}

/// Finds all matches of a motif (GraphFrames' homomorphic semantics by default: names may
/// share vertices or edges, one row per combination of parallel edges, self-loops match,
/// negations keep rows with no such edge, and a pattern with a negation yields distinct rows).
///
/// Complexity: proportional to the partial matches that survive the checks at each step,
/// times the adjacency scanned per step. Negations and closing edges are adjacency lookups.
public final class MotifMatcher: @unchecked Sendable {
    public let graph: PropertyGraph
    public let query: MotifQuery
    public let options: MotifOptions
    /// One plan per hop-count choice, in `query.hopChoices` order.
    public let plans: [MotifPlan]
    /// Per plan: single-element conjuncts evaluated once per edge or vertex (1 = passes),
    /// and the plan's checks rewritten to read them.
    private var masks: [[[UInt8]]] = []
    private var maskedChecks: [[[MotifCheck]]] = []
    /// Edge masks again in out-adjacency and in-adjacency order (as walked), so that a check
    /// right after binding reads the byte beside the adjacency entry instead of a random one.
    private var masksOut: [[[UInt8]]] = []
    private var masksIn: [[[UInt8]]] = []

    /// Plans every expansion; throws for filters that name unknown elements or time options
    /// without times.
    public init(graph: PropertyGraph, query: MotifQuery, options: MotifOptions = MotifOptions()) throws {
        self.graph = graph
        self.query = query
        self.options = options
        if let t = options.edgeTimes, t.count != graph.edgeCount {
            throw MotifError(offset: 0, message: "edge times have \(t.count) values for \(graph.edgeCount) edges", pattern: query.text)
        }
        plans = try query.hopChoices.map { try MotifPlanner.plan(query.expansion(hops: $0), query: query, options: options) }
        if let t = options.edgeTimes, options.timeOrder || options.window != nil {
            sortedOut = Self.timeSorted(graph.outAdjacency, times: t, threads: options.threads)
            sortedIn = Self.timeSorted(graph.inAdjacency, times: t, threads: options.threads)
        } else {
            sortedOut = nil
            sortedIn = nil
        }
        for plan in plans { precomputeMasks(plan) }
    }

    /// Evaluates each conjunct that reads a single edge or vertex once per edge (vertex), in
    /// parallel, so that the search checks it with one load instead of a call.
    private func precomputeMasks(_ plan: MotifPlan) {
        var planMasks: [[UInt8]] = []
        var checks = plan.checks
        var maskOf: [Int: Int] = [:]
        let p = plan.pattern
        for k in 0..<options.conjuncts.count {
            let names = Set(options.conjuncts[k].names)
            guard names.count == 1, let name = names.first else { continue }
            let slot: MotifSlot
            if let v = p.vertexSlot(named: name) { slot = .vertex(v) } else if let e = p.edgeIndex(named: name) { slot = .edge(e) } else { continue }
            let test = plan.tests[k]
            let n: Int, nv = max(1, p.vertexNames.count), ne = max(1, p.edges.count)
            switch slot {
            case .vertex: n = graph.vertexCount
            case .edge: n = graph.edgeCount
            }
            var mask = [UInt8](repeating: 0, count: n)
            let parts = max(1, min(n, options.threads * 8))
            mask.withUnsafeMutableBufferPointer { m in
                let m = m
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let vs = UnsafeMutablePointer<UInt32>.allocate(capacity: nv), es = UnsafeMutablePointer<UInt32>.allocate(capacity: ne)
                    vs.initialize(repeating: 0, count: nv); es.initialize(repeating: 0, count: ne)
                    defer { vs.deallocate(); es.deallocate() }
                    let b = MotifBinding(vertices: UnsafePointer(vs), edges: UnsafePointer(es))
                    for x in (n * part / parts)..<(n * (part + 1) / parts) {
                        switch slot {
                        case let .vertex(v): vs[v] = UInt32(x)
                        case let .edge(e): es[e] = UInt32(x)
                        }
                        m[x] = test(b) ? 1 : 0
                    }
                }
            }
            maskOf[k] = planMasks.count
            planMasks.append(mask)
            for i in checks.indices {
                checks[i] = checks[i].map { c in
                    guard case let .conjunct(j) = c, j == k else { return c }
                    switch slot {
                    case let .vertex(v): return .vertexMask(mask: maskOf[k]!, slot: v)
                    case let .edge(e): return .edgeMask(mask: maskOf[k]!, edge: e)
                    }
                }
            }
        }
        masks.append(planMasks)
        maskedChecks.append(checks)
        let outE = sortedOut?.edges ?? graph.outAdjacency.edgeIDs, inE = sortedIn?.edges ?? graph.inAdjacency.edgeIDs
        var isEdgeMask = [Bool](repeating: false, count: planMasks.count)
        for c in checks.joined() { if case let .edgeMask(m, _) = c { isEdgeMask[m] = true } }
        masksOut.append(planMasks.indices.map { m in isEdgeMask[m] ? outE.map { planMasks[m][Int($0)] } : [] })
        masksIn.append(planMasks.indices.map { m in isEdgeMask[m] ? inE.map { planMasks[m][Int($0)] } : [] })
    }

    /// Adjacency segments re-sorted by edge time (ties by edge id), with the times alongside,
    /// so that time-order and window checks become binary-searched ranges.
    private let sortedOut: (neighbors: [UInt32], edges: [UInt32], times: [Int64])?
    private let sortedIn: (neighbors: [UInt32], edges: [UInt32], times: [Int64])?

    /// The adjacency with each vertex's segment re-sorted by (time, edge id), and the times
    /// alongside. Segments are contiguous, so this reads each edge's time once (the only
    /// random access) and sorts small segments by insertion in cache. Parallel over vertex
    /// ranges; O(E log d).
    static func timeSorted(_ a: CSRAdjacency, times: [Int64], threads: Int) -> (neighbors: [UInt32], edges: [UInt32], times: [Int64]) {
        let n = a.neighbors.count, vCount = a.vertexCount
        var nb = a.neighbors, eb = a.edgeIDs
        var tb = [Int64](repeating: 0, count: n)
        let parts = max(1, min(vCount, threads * 16))
        nb.withUnsafeMutableBufferPointer { nbp in
            eb.withUnsafeMutableBufferPointer { ebp in
                tb.withUnsafeMutableBufferPointer { tbp in
                    times.withUnsafeBufferPointer { tp in
                        a.offsets.withUnsafeBufferPointer { off in
                            let (nb, eb, tb) = (nbp, ebp, tbp)
                            DispatchQueue.concurrentPerform(iterations: parts) { part in
                                let lo = off[vCount * part / parts], hi = off[vCount * (part + 1) / parts]
                                for i in lo..<hi { tb[i] = tp[Int(eb[i])] }
                                var keyed: [(t: Int64, e: UInt32, n: UInt32)] = []
                                for v in (vCount * part / parts)..<(vCount * (part + 1) / parts) {
                                    let start = off[v], end = off[v + 1]
                                    if end - start < 2 { continue }
                                    if end - start <= 32 {
                                        for i in (start + 1)..<end {
                                            let t = tb[i], e = eb[i], x = nb[i]
                                            var j = i
                                            while j > start && (tb[j - 1] > t || (tb[j - 1] == t && eb[j - 1] > e)) {
                                                tb[j] = tb[j - 1]; eb[j] = eb[j - 1]; nb[j] = nb[j - 1]
                                                j -= 1
                                            }
                                            tb[j] = t; eb[j] = e; nb[j] = x
                                        }
                                    } else {
                                        keyed.removeAll(keepingCapacity: true)
                                        for i in start..<end { keyed.append((tb[i], eb[i], nb[i])) }
                                        keyed.sort { $0.t != $1.t ? $0.t < $1.t : $0.e < $1.e }
                                        for k in 0..<keyed.count { tb[start + k] = keyed[k].t; eb[start + k] = keyed[k].e; nb[start + k] = keyed[k].n }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (nb, eb, tb)
    }

    /// Row stride: elements then directions.
    public var stride: Int { query.elements.count + query.directionColumns.count }

    /// Counts matches without materialising rows (except to remove duplicates when the
    /// pattern has a negation). Honours `limit`.
    public func count() -> Int {
        var total = 0
        for plan in plans {
            if query.hasNegation {
                try? run(plan, emit: { total += $0.count; return true }, limitLeft: options.limit.map { $0 - total })
            } else {
                total += countPlan(plan)
            }
            if let l = options.limit, total >= l { return l }
        }
        return total
    }

    /// Streams rows to `sink` in batches; returns the number of rows delivered. The sink may
    /// throw to abort.
    @discardableResult
    public func run(_ sink: (MotifRowBatch) throws -> Void) throws -> Int {
        var total = 0
        for plan in plans {
            if let l = options.limit, total >= l { break }
            var failure: Error?
            try run(plan, emit: { batch in
                do { try sink(batch) } catch { failure = error; return false }
                total += batch.count
                return true
            }, limitLeft: options.limit.map { $0 - total })
            if let failure { throw failure }
        }
        return total
    }

    /// All rows in one table-free array (tests and small results).
    public func collect() throws -> [MotifRowBatch] {
        var out: [MotifRowBatch] = []
        try run { out.append($0) }
        return out
    }

    private func planIndex(_ plan: MotifPlan) -> Int { plans.firstIndex { $0.pattern.hops == plan.pattern.hops }! }
    private func checksFor(_ plan: MotifPlan) -> [[MotifCheck]] { maskedChecks[planIndex(plan)] }
    private func masksFor(_ plan: MotifPlan) -> (all: [[UInt8]], out: [[UInt8]], in: [[UInt8]]) {
        let k = planIndex(plan)
        return (masks[k], masksOut[k], masksIn[k])
    }

    // MARK: - Chunking

    /// Root-vertex chunks balanced by degree (power-law graphs put most work on few roots).
    private func chunks() -> [Range<Int>] {
        let n = graph.vertexCount
        guard n > 0 else { return [] }
        let target = max(1, min(n, options.threads * 64))
        let outOff = graph.outAdjacency.offsets, inOff = graph.inAdjacency.offsets
        let totalWork = Double(graph.edgeCount * 2 + n)
        let per = totalWork / Double(target)
        var result: [Range<Int>] = []
        var start = 0
        var acc = 0.0
        for v in 0..<n {
            acc += Double(outOff[v + 1] - outOff[v] + inOff[v + 1] - inOff[v] + 1)
            if acc >= per * Double(result.count + 1) || v == n - 1 {
                result.append(start..<(v + 1))
                start = v + 1
            }
        }
        return result
    }

    private func countPlan(_ plan: MotifPlan) -> Int {
        let parts = chunks()
        var counts = [Int](repeating: 0, count: parts.count)
        withView { view in
            counts.withUnsafeMutableBufferPointer { out in
                let out = out
                DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                    let w = MotifWorker(plan: plan, checks: checksFor(plan), masks: masksFor(plan), view: view, query: query, options: options, counting: true)
                    w.search(roots: parts[k])
                    out[k] = w.count
                }
            }
        }
        return counts.reduce(0, +)
    }

    /// Searches one plan in waves of chunks, emitting batches in order. `emit` returns false
    /// to stop.
    private func run(_ plan: MotifPlan, emit: (MotifRowBatch) -> Bool, limitLeft: Int?) throws {
        let parts = chunks()
        let stride = self.stride
        let sorted = options.ordered || query.hasNegation
        let global = sorted && !plan.rootLeadsOutput
        var left = limitLeft ?? Int.max
        if left <= 0 { return }
        let waveSize = global ? parts.count : max(1, options.threads * 8)
        var pending: [UInt32] = []
        var wave = 0
        var stop = false
        withView { view in
            while wave < parts.count && !stop {
                let range = wave..<min(parts.count, wave + waveSize)
                // One box per chunk: each thread writes only its own object.
                let boxes = (0..<range.count).map { _ in RowsBox() }
                DispatchQueue.concurrentPerform(iterations: range.count) { k in
                    let w = MotifWorker(plan: plan, checks: checksFor(plan), masks: masksFor(plan), view: view, query: query, options: options, counting: false)
                    w.search(roots: parts[range.lowerBound + k])
                    var rows = w.rows
                    if sorted && !global { rows = Self.sortRows(rows, stride: stride, dedupe: query.hasNegation) }
                    boxes[k].rows = rows
                }
                wave = range.upperBound
                for var rows in boxes.map(\.rows) {
                    if global { pending += rows; continue }
                    if rows.isEmpty { continue }
                    if rows.count / max(stride, 1) > left { rows.removeSubrange((left * stride)...) }
                    left -= rows.count / max(stride, 1)
                    if !emit(MotifRowBatch(ids: rows, stride: stride, hops: plan.pattern.hops)) || left == 0 { stop = true; break }
                }
            }
        }
        if global && !stop {
            var rows = Self.sortRows(pending, stride: stride, dedupe: query.hasNegation)
            if rows.count / max(stride, 1) > left { rows.removeSubrange((left * stride)...) }
            if !rows.isEmpty { _ = emit(MotifRowBatch(ids: rows, stride: stride, hops: plan.pattern.hops)) }
        }
    }

    /// Sorts rows lexicographically (ids in output order), optionally dropping duplicates.
    static func sortRows(_ rows: [UInt32], stride: Int, dedupe: Bool) -> [UInt32] {
        guard stride > 0 else { return rows }
        let n = rows.count / stride
        if n <= 1 { return rows }
        var order = Array(0..<n)
        rows.withUnsafeBufferPointer { r in
            order.sort { a, b in
                let pa = a * stride, pb = b * stride
                for j in 0..<stride where r[pa + j] != r[pb + j] { return r[pa + j] < r[pb + j] }
                return a < b
            }
        }
        var out: [UInt32] = []
        out.reserveCapacity(rows.count)
        var last = -1
        for i in order {
            if dedupe, last >= 0, rows[(last * stride)..<((last + 1) * stride)] == rows[(i * stride)..<((i + 1) * stride)] { continue }
            out.append(contentsOf: rows[(i * stride)..<((i + 1) * stride)])
            last = i
        }
        return out
    }

    /// Runs `body` with raw views of the adjacency and times (valid only inside).
    private func withView(_ body: (MotifGraphView) -> Void) {
        let outA = graph.outAdjacency, inA = graph.inAdjacency
        let times = options.edgeTimes ?? []
        let outN = sortedOut?.neighbors ?? outA.neighbors, outE = sortedOut?.edges ?? outA.edgeIDs, outT = sortedOut?.times ?? []
        let inN = sortedIn?.neighbors ?? inA.neighbors, inE = sortedIn?.edges ?? inA.edgeIDs, inT = sortedIn?.times ?? []
        outA.offsets.withUnsafeBufferPointer { oo in
            outN.withUnsafeBufferPointer { on in
                outE.withUnsafeBufferPointer { oe in
                    inA.offsets.withUnsafeBufferPointer { io in
                        inN.withUnsafeBufferPointer { inb in
                            inE.withUnsafeBufferPointer { ie in
                                times.withUnsafeBufferPointer { t in
                                    outT.withUnsafeBufferPointer { ot in
                                        inT.withUnsafeBufferPointer { it in
                                            body(MotifGraphView(outOffsets: oo, outNeighbors: on, outEdges: oe, inOffsets: io, inNeighbors: inb, inEdges: ie, times: t,
                                                                outTimes: ot, inTimes: it, timeSorted: sortedOut != nil))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Rows found in one chunk, handed back from a worker thread.
final class RowsBox: @unchecked Sendable {
    var rows: [UInt32] = []
}

/// Raw pointers into a graph's CSR and CSC and the edge times.
struct MotifGraphView: @unchecked Sendable {
    let outOffsets: UnsafeBufferPointer<Int>
    let outNeighbors: UnsafeBufferPointer<UInt32>
    let outEdges: UnsafeBufferPointer<UInt32>
    let inOffsets: UnsafeBufferPointer<Int>
    let inNeighbors: UnsafeBufferPointer<UInt32>
    let inEdges: UnsafeBufferPointer<UInt32>
    let times: UnsafeBufferPointer<Int64>
    /// Edge times in adjacency order, when the adjacency is time-sorted.
    let outTimes: UnsafeBufferPointer<Int64>
    let inTimes: UnsafeBufferPointer<Int64>
    let timeSorted: Bool

    /// The sub-range of `range` whose times lie in lo...hi (times sorted ascending there).
    @inline(__always) static func clip(_ t: UnsafeBufferPointer<Int64>, _ start: Int, _ end: Int, _ lo: Int64, _ hi: Int64) -> (Int, Int) {
        var a = start, b = end
        while a < b { let m = (a + b) >> 1; if t[m] < lo { a = m + 1 } else { b = m } }
        let first = a
        b = end
        while a < b { let m = (a + b) >> 1; if t[m] <= hi { a = m + 1 } else { b = m } }
        return (first, a)
    }

    @inline(__always) func outDegree(_ v: UInt32) -> Int { outOffsets[Int(v) + 1] - outOffsets[Int(v)] }
    @inline(__always) func inDegree(_ v: UInt32) -> Int { inOffsets[Int(v) + 1] - inOffsets[Int(v)] }

    /// True if some edge goes from `s` to `d`: scans the smaller of out(s) and in(d).
    @inline(__always) func hasEdge(_ s: UInt32, _ d: UInt32) -> Bool {
        if outDegree(s) <= inDegree(d) {
            for k in outOffsets[Int(s)]..<outOffsets[Int(s) + 1] where outNeighbors[k] == d { return true }
        } else {
            for k in inOffsets[Int(d)]..<inOffsets[Int(d) + 1] where inNeighbors[k] == s { return true }
        }
        return false
    }
}

/// One search over a range of roots. Not shared between threads.
final class MotifWorker {
    let steps: [MotifStep]
    let checks: [[MotifCheck]]
    /// `checks` flattened: step i's checks are flat[checkStart[i] ..< checkStart[i+1]],
    /// without the time checks that the time-sorted ranges already guarantee.
    let flat: UnsafeMutablePointer<MotifCheck>
    let checkStart: UnsafeMutablePointer<Int>
    let maskPointers: UnsafeMutablePointer<UnsafePointer<UInt8>>
    let maskStore: (all: [[UInt8]], out: [[UInt8]], in: [[UInt8]])
    /// Per step: masks on the edge bound there, read in adjacency order (out and in).
    let positionMasksOut: [[UnsafePointer<UInt8>]]
    let positionMasksIn: [[UnsafePointer<UInt8>]]
    /// Time of each bound edge, copied from the (time-sorted) adjacency at binding.
    let et: UnsafeMutablePointer<Int64>
    let hasTimes: Bool
    let tests: [(MotifBinding) -> Bool]
    let view: MotifGraphView
    let counting: Bool
    let window: Int64
    let stride: Int
    /// For each output element: the vertex slot (>= 0), edge index encoded as -(i+1), or nil.
    let outputs: [Int?]
    /// Edge index of each undirected term's edge, in term order.
    let directionEdges: [Int]
    var vb: UnsafeMutablePointer<UInt32>
    var eb: UnsafeMutablePointer<UInt32>
    var dir: UnsafeMutablePointer<UInt8>
    let nv: Int, ne: Int
    var rows: [UInt32] = []
    var count = 0
    /// Per step: time bounds on the edge bound there, from already bound edges:
    /// (other edge, kind) with kind 0: after other, 1: before other, 2: within window of other.
    let timeBounds: [[(other: Int, kind: UInt8)]]
    /// Per step: every check there is a time bound captured by `timeBounds` (so a final
    /// step can be counted as a range size).
    let onlyTimeChecks: [Bool]

    init(plan: MotifPlan, checks: [[MotifCheck]], masks: (all: [[UInt8]], out: [[UInt8]], in: [[UInt8]]), view: MotifGraphView, query: MotifQuery, options: MotifOptions, counting: Bool) {
        steps = plan.steps
        self.checks = checks
        maskStore = masks
        // The arrays live in `maskStore` for the worker's lifetime and are never mutated, so
        // their buffers stay put.
        func base(_ a: [UInt8]) -> UnsafePointer<UInt8> { a.withUnsafeBufferPointer { $0.baseAddress ?? UnsafePointer(bitPattern: 1)! } }
        let pointers = UnsafeMutablePointer<UnsafePointer<UInt8>>.allocate(capacity: max(1, masks.all.count))
        for (k, m) in masks.all.enumerated() { pointers[k] = base(m) }
        maskPointers = pointers
        var pOut: [[UnsafePointer<UInt8>]] = [], pIn: [[UnsafePointer<UInt8>]] = []
        var positional: [Set<Int>] = []
        for (i, step) in plan.steps.enumerated() {
            var o: [UnsafePointer<UInt8>] = [], n: [UnsafePointer<UInt8>] = []
            var taken = Set<Int>()
            if case let .extend(edge, _, _, _, _) = step {
                for (j, c) in checks[i].enumerated() {
                    if case let .edgeMask(m, e) = c, e == edge { o.append(base(masks.out[m])); n.append(base(masks.in[m])); taken.insert(j) }
                }
            }
            pOut.append(o); pIn.append(n); positional.append(taken)
        }
        positionMasksOut = pOut
        positionMasksIn = pIn
        hasTimes = !view.times.isEmpty
        tests = plan.tests
        self.view = view
        self.counting = counting
        window = options.window ?? 0
        let p = plan.pattern
        outputs = query.elements.map { el in
            switch el.kind {
            case .vertex: return p.vertexSlot(named: el.name)
            case .edge: return p.edgeIndex(named: el.name).map { -($0 + 1) }
            }
        }
        var de = [Int](repeating: 0, count: query.directionColumns.count)
        for (i, e) in p.edges.enumerated() { if let u = e.undirected { de[u] = i } }
        directionEdges = de
        stride = query.elements.count + query.directionColumns.count
        nv = p.vertexNames.count
        ne = p.edges.count
        var bounds: [[(other: Int, kind: UInt8)]] = []
        var only: [Bool] = []
        var kept: [MotifCheck] = []
        var starts: [Int] = []
        for (i, step) in plan.steps.enumerated() {
            var b: [(other: Int, kind: UInt8)] = []
            var all = true
            starts.append(kept.count)
            if case let .extend(edge, _, _, _, _) = step, view.timeSorted {
                for (j, c) in checks[i].enumerated() where !positional[i].contains(j) {
                    switch c {
                    case let .timeBefore(x, y) where y == edge && x != edge: b.append((x, 0))
                    case let .timeBefore(x, y) where x == edge && y != edge: b.append((y, 1))
                    case let .withinWindow(x, y) where x == edge || y == edge: b.append((x == edge ? y : x, 2))
                    default: all = false; kept.append(c)
                    }
                }
            } else {
                all = checks[i].isEmpty
                kept += checks[i].enumerated().filter { !positional[i].contains($0.offset) }.map(\.element)
            }
            bounds.append(b)
            only.append(all)
        }
        starts.append(kept.count)
        flat = .allocate(capacity: max(1, kept.count))
        flat.initialize(from: kept, count: kept.count)
        checkStart = .allocate(capacity: starts.count)
        checkStart.initialize(from: starts, count: starts.count)
        timeBounds = bounds
        onlyTimeChecks = zip(only, positional).map { $0 && $1.isEmpty }
        et = .allocate(capacity: max(plan.pattern.edges.count, 1))
        et.initialize(repeating: 0, count: max(plan.pattern.edges.count, 1))
        vb = .allocate(capacity: max(nv, 1))
        eb = .allocate(capacity: max(ne, 1))
        dir = .allocate(capacity: max(ne, 1))
        vb.initialize(repeating: 0, count: max(nv, 1))
        eb.initialize(repeating: 0, count: max(ne, 1))
        dir.initialize(repeating: 0, count: max(ne, 1))
    }

    deinit {
        flat.deallocate()
        et.deallocate()
        checkStart.deallocate()
        maskPointers.deallocate()
        vb.deallocate()
        eb.deallocate()
        dir.deallocate()
    }

    /// With a closing step, per-root marks turn "is there an edge x -> root" (or root -> x)
    /// into one load: `markIn[x]` counts edges x -> root, `markOut[x]` edges root -> x.
    var markIn: UnsafeMutablePointer<UInt32>?
    var markOut: UnsafeMutablePointer<UInt32>?
    var root: UInt32 = .max

    func search(roots: Range<Int>) {
        guard case let .scan(slot) = steps.first else { return }
        let closes = steps.contains { if case .close = $0 { return true }; return false }
        if closes {
            let n = view.outOffsets.count - 1
            // calloc: zero pages are mapped lazily, so only touched pages cost anything.
            markIn = calloc(n, MemoryLayout<UInt32>.stride)?.assumingMemoryBound(to: UInt32.self)
            markOut = calloc(n, MemoryLayout<UInt32>.stride)?.assumingMemoryBound(to: UInt32.self)
        }
        defer { free(markIn); free(markOut) }
        for r in roots {
            vb[slot] = UInt32(r)
            guard passes(0) else { continue }
            if let mi = markIn, let mo = markOut {
                root = UInt32(r)
                for k in view.inOffsets[r]..<view.inOffsets[r + 1] { mi[Int(view.inNeighbors[k])] += 1 }
                for k in view.outOffsets[r]..<view.outOffsets[r + 1] { mo[Int(view.outNeighbors[k])] += 1 }
                descend(1)
                for k in view.inOffsets[r]..<view.inOffsets[r + 1] { mi[Int(view.inNeighbors[k])] = 0 }
                for k in view.outOffsets[r]..<view.outOffsets[r + 1] { mo[Int(view.outNeighbors[k])] = 0 }
            } else {
                descend(1)
            }
        }
    }

    @inline(__always) func passes(_ i: Int) -> Bool {
        for j in checkStart[i]..<checkStart[i + 1] {
            switch flat[j] {
            case let .edgeMask(m, e): if maskPointers[m][Int(eb[e])] == 0 { return false }
            case let .vertexMask(m, v): if maskPointers[m][Int(vb[v])] == 0 { return false }
            case let .negation(s, d):
                switch (s, d) {
                case let (s?, d?): if view.hasEdge(vb[s], vb[d]) { return false }
                case let (s?, nil): if view.outDegree(vb[s]) > 0 { return false }
                case let (nil, d?): if view.inDegree(vb[d]) > 0 { return false }
                case (nil, nil): return false
                }
            case let .distinctVertices(a, b): if vb[a] == vb[b] { return false }
            case let .distinctEdges(a, b): if eb[a] == eb[b] { return false }
            case let .timeBefore(a, b): if !(et[a] < et[b]) { return false }
            case let .withinWindow(a, b):
                let d = et[a] &- et[b]
                if d > window || d < -window { return false }
            case let .conjunct(k):
                if !tests[k](MotifBinding(vertices: UnsafePointer(vb), edges: UnsafePointer(eb))) { return false }
            }
        }
        return true
    }

    func emit() {
        if counting { count += 1; return }
        for o in outputs {
            if let o {
                rows.append(o >= 0 ? vb[o] : eb[-o - 1])
            } else {
                rows.append(MotifRowBatch.absent)
            }
        }
        for e in directionEdges { rows.append(UInt32(dir[e])) }
    }

    func descend(_ i: Int) {
        if i == steps.count { emit(); return }
        let last = i == steps.count - 1
        switch steps[i] {
        case let .scan(slot):
            for v in 0..<(view.outOffsets.count - 1) {
                vb[slot] = UInt32(v)
                if passes(i) { descend(i + 1) }
            }
        case let .extend(edge, from, to, forward, undirected):
            let f = vb[from]
            var oStart = view.outOffsets[Int(f)], oEnd = view.outOffsets[Int(f) + 1]
            var iStart = view.inOffsets[Int(f)], iEnd = view.inOffsets[Int(f) + 1]
            let bounds = timeBounds[i]
            if !bounds.isEmpty {
                var lo = Int64.min, hi = Int64.max
                for (other, kind) in bounds {
                    let t = et[other]
                    switch kind {
                    case 0: lo = max(lo, t &+ 1)
                    case 1: hi = min(hi, t &- 1)
                    default: lo = max(lo, t &- window); hi = min(hi, t &+ window)
                    }
                }
                if lo > hi { return }
                if forward || undirected { (oStart, oEnd) = MotifGraphView.clip(view.outTimes, oStart, oEnd, lo, hi) }
                if !forward || undirected { (iStart, iEnd) = MotifGraphView.clip(view.inTimes, iStart, iEnd, lo, hi) }
            }
            if counting && last && onlyTimeChecks[i] {
                count += (forward || undirected ? oEnd - oStart : 0) + (!forward || undirected ? iEnd - iStart : 0)
                return
            }
            // Walk out-CSR when extending forward (and for the reversed half of undirected).
            let sortedTimes = view.timeSorted
            if forward || undirected {
                dir[edge] = forward ? 0 : 1
                let pm = positionMasksOut[i]
                candidates: for k in oStart..<oEnd {
                    for m in pm where m[k] == 0 { continue candidates }
                    vb[to] = view.outNeighbors[k]
                    eb[edge] = view.outEdges[k]
                    if sortedTimes { et[edge] = view.outTimes[k] }
                    if passes(i) { descend(i + 1) }
                }
            }
            if !forward || undirected {
                dir[edge] = forward ? 1 : 0
                let pm = positionMasksIn[i]
                candidates: for k in iStart..<iEnd {
                    for m in pm where m[k] == 0 { continue candidates }
                    vb[to] = view.inNeighbors[k]
                    eb[edge] = view.inEdges[k]
                    if sortedTimes { et[edge] = view.inTimes[k] }
                    if passes(i) { descend(i + 1) }
                }
            }
        case let .close(edge, src, dst, undirected):
            let s = vb[src], d = vb[dst]
            closeOne(i, edge: edge, s, d, direction: 0)
            if undirected { closeOne(i, edge: edge, d, s, direction: 1) }
        }
    }

    @inline(__always) func closeOne(_ i: Int, edge: Int, _ s: UInt32, _ d: UInt32, direction: UInt8) {
        if let mi = markIn, let mo = markOut {
            let known: UInt32? = d == root ? mi[Int(s)] : (s == root ? mo[Int(d)] : nil)
            if let known {
                if known == 0 { return }
                if counting && i == steps.count - 1 && checks[i].isEmpty { count += Int(known); return }
            }
        }
        dir[edge] = direction
        if view.outDegree(s) <= view.inDegree(d) {
            for k in view.outOffsets[Int(s)]..<view.outOffsets[Int(s) + 1] where view.outNeighbors[k] == d {
                eb[edge] = view.outEdges[k]
                if hasTimes { et[edge] = view.times[Int(eb[edge])] }
                if passes(i) { descend(i + 1) }
            }
        } else {
            for k in view.inOffsets[Int(d)]..<view.inOffsets[Int(d) + 1] where view.inNeighbors[k] == s {
                eb[edge] = view.inEdges[k]
                if hasTimes { et[edge] = view.times[Int(eb[edge])] }
                if passes(i) { descend(i + 1) }
            }
        }
    }
}
