// MotifPlanner: turns a concrete pattern into a sequence of binding steps, each followed by
// the checks that become decidable there.
//
// - Root: the first named vertex in output order when output is ordered (so that chunks of
//   root vertices come out in sorted order and can stream); otherwise the vertex with the most
//   pattern edges (then the most selective edges), so that the search starts in the middle.
// - Then, greedily: close an edge whose ends are both bound (a lookup, most selective); else
//   extend along the edge with the most local conjuncts, out-CSR from a bound source or
//   in-CSC from a bound destination; else scan all vertices for a disconnected part.
// - Negations, distinctness, time order, window and conjuncts are placed right after the step
//   that binds the last element they read.

/// One binding step.
public enum MotifStep: Equatable, Sendable {
    /// Bind `slot` to every vertex (root, or a part of the pattern not connected to it).
    case scan(slot: Int)
    /// Bind edge `edge` and vertex `to` from bound `from`. `forward`: from is the edge's
    /// source slot (walk out-CSR); otherwise walk in-CSC. Undirected edges walk both.
    case extend(edge: Int, from: Int, to: Int, forward: Bool, undirected: Bool)
    /// Both ends bound: bind `edge` among the edges from `src` to `dst` (lookup on the
    /// smaller side). Undirected edges also accept `dst -> src`.
    case close(edge: Int, src: Int, dst: Int, undirected: Bool)
}

/// A check placed after a step.
public enum MotifCheck: Sendable {
    /// No edge `src -> dst`; a nil end means "any vertex" (a degree test).
    case negation(src: Int?, dst: Int?)
    case distinctVertices(Int, Int)
    case distinctEdges(Int, Int)
    /// time(first) < time(second)
    case timeBefore(Int, Int)
    /// |time(a) - time(b)| <= window
    case withinWindow(Int, Int)
    case conjunct(Int)
    /// Matcher-internal: a conjunct reading one edge (or vertex) only, precomputed per edge
    /// (vertex) into mask `mask`; the check is one load.
    case edgeMask(mask: Int, edge: Int)
    case vertexMask(mask: Int, slot: Int)
}

/// A plan: steps with their checks, for one concrete pattern.
public struct MotifPlan: @unchecked Sendable {
    public var pattern: MotifConcretePattern
    public var steps: [MotifStep]
    /// `checks[i]` run after step i.
    public var checks: [[MotifCheck]]
    /// Conjunct tests resolved for this pattern, indexed by `MotifCheck.conjunct`.
    public var tests: [(MotifBinding) -> Bool]
    /// True if the root is the first output element, so chunks of root ids are in order.
    public var rootLeadsOutput: Bool

    /// The plan as text, one step per line (for `--explain` and tests).
    public var explanation: String {
        func v(_ s: Int) -> String { pattern.vertexNames[s] ?? "_anon\(s)" }
        func e(_ i: Int) -> String { pattern.edges[i].name ?? "_edge\(i)" }
        var lines: [String] = []
        for (i, step) in steps.enumerated() {
            var line: String
            switch step {
            case let .scan(s): line = "scan \(v(s))"
            case let .extend(edge, from, to, forward, undirected):
                line = "extend \(v(from)) -[\(e(edge))]-> \(v(to)) via " + (undirected ? "out+in" : forward ? "out-CSR" : "in-CSC")
            case let .close(edge, src, dst, _): line = "close \(v(src)) -[\(e(edge))]-> \(v(dst))"
            }
            let cs = checks[i].map { c -> String in
                switch c {
                case let .negation(s, d): return "not \(s.map(v) ?? "*")->\(d.map(v) ?? "*")"
                case let .distinctVertices(a, b): return "\(v(a))!=\(v(b))"
                case let .distinctEdges(a, b): return "\(e(a))!=\(e(b))"
                case let .timeBefore(a, b): return "t(\(e(a)))<t(\(e(b)))"
                case let .withinWindow(a, b): return "|t(\(e(a)))-t(\(e(b)))|<=w"
                case let .conjunct(k): return "where#\(k)"
                case let .edgeMask(m, _), let .vertexMask(m, _): return "mask#\(m)"
                }
            }
            if !cs.isEmpty { line += "  [" + cs.joined(separator: ", ") + "]" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// Builds plans. O(steps²) per plan; plans are tiny.
public enum MotifPlanner {
    public static func plan(_ p: MotifConcretePattern, query: MotifQuery, options: MotifOptions) throws -> MotifPlan {
        // Resolve conjunct names to slots of this pattern.
        var conjunctSlots: [[MotifSlot]] = []
        var tests: [(MotifBinding) -> Bool] = []
        for c in options.conjuncts {
            var slots: [MotifSlot] = []
            for name in c.names {
                if let s = p.vertexSlot(named: name) { slots.append(.vertex(s)) } else if let e = p.edgeIndex(named: name) { slots.append(.edge(e)) } else {
                    throw MotifError(offset: 0, message: "filter '\(c.description)' refers to '\(name)', which is not a named vertex or edge of the pattern (names: \(query.elements.map(\.name).joined(separator: ", ")))", pattern: query.text)
                }
            }
            conjunctSlots.append(slots)
            tests.append(c.make(slots))
        }

        let nv = p.vertexNames.count, ne = p.edges.count
        var vBound = [Bool](repeating: false, count: nv)
        var eBound = [Bool](repeating: false, count: ne)
        var steps: [MotifStep] = []

        // Local selectivity of an edge term: conjuncts that need only it and its ends.
        func localScore(_ i: Int) -> Int {
            let edge = p.edges[i]
            return conjunctSlots.filter { slots in
                slots.allSatisfy { s in
                    switch s {
                    case let .edge(j): return j == i
                    case let .vertex(v): return v == edge.src || v == edge.dst
                    }
                } && slots.contains(.edge(i))
            }.count
        }
        func vertexScore(_ v: Int) -> Int {
            conjunctSlots.filter { $0 == [.vertex(v)] || ($0.allSatisfy { $0 == .vertex(v) } && !$0.isEmpty) }.count
        }

        var root: Int
        let firstOutput = query.elements.first
        let firstVertexSlot = firstOutput.flatMap { $0.kind == .vertex ? p.vertexSlot(named: $0.name) : nil }
        if options.ordered || query.hasNegation, let f = firstVertexSlot {
            root = f
        } else if ne > 0 {
            // Start where the pattern is most connected (the middle of a path): both sides are
            // then walked from one adjacency segment and random jumps happen only further out.
            // Ties go to the vertex with more local conjuncts on its edges, then pattern order.
            func patternDegree(_ v: Int) -> Int { p.edges.filter { $0.src == v || $0.dst == v }.count }
            func edgeScore(_ v: Int) -> Int { (0..<ne).filter { p.edges[$0].src == v || p.edges[$0].dst == v }.map(localScore).reduce(0, +) + vertexScore(v) }
            root = (0..<nv).max { a, b in (patternDegree(a), edgeScore(a), -a) < (patternDegree(b), edgeScore(b), -b) }!
        } else {
            root = firstVertexSlot ?? 0
        }
        if nv == 0 { root = 0 }
        let rootLeadsOutput = firstVertexSlot == root

        if nv > 0 {
            steps.append(.scan(slot: root)); vBound[root] = true
        }
        while eBound.contains(false) || vBound.contains(false) {
            var chosen: MotifStep?
            // Close first: both ends bound.
            for i in 0..<ne where !eBound[i] && vBound[p.edges[i].src] && vBound[p.edges[i].dst] {
                chosen = .close(edge: i, src: p.edges[i].src, dst: p.edges[i].dst, undirected: p.edges[i].undirected != nil)
                break
            }
            if chosen == nil {
                var best: (score: Int, index: Int)?
                for i in 0..<ne where !eBound[i] && (vBound[p.edges[i].src] || vBound[p.edges[i].dst]) {
                    let s = localScore(i)
                    if best == nil || s > best!.score { best = (s, i) }
                }
                if let b = best {
                    let e = p.edges[b.index]
                    let forward = vBound[e.src]
                    chosen = .extend(edge: b.index, from: forward ? e.src : e.dst, to: forward ? e.dst : e.src, forward: forward, undirected: e.undirected != nil)
                }
            }
            if chosen == nil {
                // A part of the pattern not connected to what is bound: start it from a scan.
                let next = (0..<nv).first { v in !vBound[v] && p.edges.contains { e in e.src == v || e.dst == v } } ?? (0..<nv).first { !vBound[$0] }!
                chosen = .scan(slot: next)
            }
            switch chosen! {
            case let .scan(s): vBound[s] = true
            case let .extend(edge, _, to, _, _): eBound[edge] = true; vBound[to] = true
            case let .close(edge, _, _, _): eBound[edge] = true
            }
            steps.append(chosen!)
        }

        // Place every check after the first step at which all its inputs are bound.
        var boundAt = (vertex: [Int](repeating: 0, count: nv), edge: [Int](repeating: 0, count: ne))
        for (i, step) in steps.enumerated() {
            switch step {
            case let .scan(s): boundAt.vertex[s] = i
            case let .extend(edge, _, to, _, _): boundAt.edge[edge] = i; boundAt.vertex[to] = i
            case let .close(edge, _, _, _): boundAt.edge[edge] = i
            }
        }
        var checks = [[MotifCheck]](repeating: [], count: steps.count)
        func at(_ slots: [MotifSlot]) -> Int {
            slots.map { s -> Int in
                switch s {
                case let .vertex(v): return boundAt.vertex[v]
                case let .edge(e): return boundAt.edge[e]
                }
            }.max() ?? 0
        }
        for n in p.negations {
            checks[at([n.src, n.dst].compactMap { $0.map(MotifSlot.vertex) })].append(.negation(src: n.src, dst: n.dst))
        }
        if options.distinctVertices {
            let named = (0..<nv).filter { p.vertexNames[$0] != nil }
            for (x, a) in named.enumerated() { for b in named[(x + 1)...] { checks[at([.vertex(a), .vertex(b)])].append(.distinctVertices(a, b)) } }
        }
        if options.distinctEdges {
            for a in 0..<ne { for b in (a + 1)..<max(a + 1, ne) { checks[at([.edge(a), .edge(b)])].append(.distinctEdges(a, b)) } }
        }
        if options.timeOrder || options.window != nil {
            guard options.edgeTimes != nil else {
                throw MotifError(offset: 0, message: "time order and --within need an edge time column", pattern: query.text)
            }
        }
        if options.timeOrder {
            for a in 0..<ne { for b in (a + 1)..<max(a + 1, ne) where p.edges[a].dst == p.edges[b].src && p.edges[a].undirected == nil && p.edges[b].undirected == nil {
                checks[at([.edge(a), .edge(b)])].append(.timeBefore(a, b))
            } }
        }
        if options.window != nil {
            for a in 0..<ne { for b in (a + 1)..<max(a + 1, ne) { checks[at([.edge(a), .edge(b)])].append(.withinWindow(a, b)) } }
        }
        for (k, slots) in conjunctSlots.enumerated() { checks[at(slots)].append(.conjunct(k)) }
        // Cheap checks first: negations and comparisons before user conjuncts.
        return MotifPlan(pattern: p, steps: steps, checks: checks, tests: tests, rootLeadsOutput: rootLeadsOutput)
    }
}
