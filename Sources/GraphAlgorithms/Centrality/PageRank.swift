// PageRank with GraphFrames' parameters and GraphX's arithmetic.
//
// Semantics (GraphFrames `pageRank()` -> GraphX `PageRank`, Spark >= 2.4):
// - ranks start at 1 on every vertex (personalised: 1/|S| on each seed, 0 elsewhere);
// - each iteration: rank(v) = reset(v) + (1 - resetProbability) * Σ_{u->v} rank(u) / outDeg(u),
//   where reset(v) = resetProbability (personalised: resetProbability / |S| on seeds, 0
//   elsewhere); outDeg counts parallel edges and self-loops, as GraphX's does;
// - dangling vertices (no out-edges) pass nothing on: their mass leaves the system
//   during the iterations, as in GraphX;
// - after the last iteration the ranks are rescaled so they sum to V (personalised: to 1),
//   GraphX's SPARK-18847 correction.
//
// Why this equals networkx: both fixed points are multiples of (I - d M)^-1 p (M the
// column-substochastic transition matrix, p uniform or the seed vector), because networkx's
// uniform (or personalised) dangling redistribution only changes the scalar in front of p.
// So at convergence `rank / V` equals `networkx.pagerank(G, alpha=1-resetProbability)`, and
// personalised ranks equal `networkx.pagerank(G, personalization={s: 1 for s in S})`. Only the
// iterates on the way differ.
//
// Stopping: after `maxIterations`, or once the largest per-vertex change (in GraphX's scale
// before rescaling) falls below `tolerance`. GraphX's `runUntilConvergence` stops vertices
// one by one at the same threshold; here all vertices keep iterating until all are below it,
// which can only give a closer answer.
//
// Execution is pull-based over the CSC: one pass computes each vertex's contribution
// rank/outDeg, a second sums each vertex's in-edges in ascending edge order. Every vertex
// is written by one thread, so results are bit-identical whatever the thread count.
// O(iterations · (V + E)) time, 3 doubles per vertex.
import Columnar
import Dispatch
import PropertyGraph

/// PageRank options (GraphFrames' names).
public struct PageRankOptions: Sendable {
    /// Probability of jumping to a random vertex (personalised: to a seed). GraphFrames' default.
    public var resetProbability = 0.15
    /// Iteration cap (GraphFrames' `maxIter`).
    public var maxIterations = 20
    /// Stop when no vertex's rank changes by more than this (GraphFrames' `tol`); nil = run
    /// exactly `maxIterations`.
    public var tolerance: Double?
    /// Personalised PageRank: jumps go to these vertices (internal ids), uniformly.
    public var seeds: [UInt32]?

    public init(resetProbability: Double = 0.15, maxIterations: Int = 20, tolerance: Double? = nil, seeds: [UInt32]? = nil) {
        self.resetProbability = resetProbability
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seeds = seeds
    }
}

/// Ranks per vertex (indexed by internal id) and how the run ended.
public struct PageRankResult: Sendable {
    public let graph: PropertyGraph
    /// Normalised ranks: sum V (global) or 1 (personalised), GraphX's convention.
    public let ranks: [Double]
    public let iterations: Int
    /// Largest per-vertex change in the last iteration (GraphX scale).
    public let lastDelta: Double
    public let personalized: Bool

    /// `id, pagerank`, ordered by id (GraphFrames' vertex column name).
    public func table() throws -> Table { try Table([("id", graph.ids.column), ("pagerank", .double(ranks))]) }
}

/// Invalid PageRank parameters.
public enum PageRankError: Error, CustomStringConvertible, Equatable {
    case invalidResetProbability(Double)
    case emptySeedSet
    case seedOutOfRange(UInt32)

    public var description: String {
        switch self {
        case let .invalidResetProbability(p): return "resetProbability must be in (0, 1), got \(p)"
        case .emptySeedSet: return "personalised PageRank needs at least one seed vertex"
        case let .seedOutOfRange(v): return "seed vertex \(v) is not in the graph"
        }
    }
}

/// PageRank and personalised PageRank (GraphFrames/GraphX semantics; see the file header).
public enum PageRank {
    /// Runs PageRank. O(iterations · (V + E)), parallel over vertex chunks, deterministic.
    public static func run(_ graph: PropertyGraph, options: PageRankOptions = .init()) throws -> PageRankResult {
        let p = options.resetProbability
        guard p > 0, p < 1 else { throw PageRankError.invalidResetProbability(p) }
        let n = graph.vertexCount
        let damping = 1 - p
        var reset = [Double](repeating: p, count: n)
        var rank = [Double](repeating: 1, count: n)
        if let seeds = options.seeds {
            let distinct = Array(Set(seeds)).sorted()
            guard !distinct.isEmpty else { throw PageRankError.emptySeedSet }
            if let bad = distinct.first(where: { Int($0) >= n }) { throw PageRankError.seedOutOfRange(bad) }
            reset = [Double](repeating: 0, count: n)
            rank = [Double](repeating: 0, count: n)
            for s in distinct {
                reset[Int(s)] = p / Double(distinct.count)
                rank[Int(s)] = 1 / Double(distinct.count)
            }
        }
        guard n > 0 else { return PageRankResult(graph: graph, ranks: [], iterations: 0, lastDelta: 0, personalized: options.seeds != nil) }
        let inAdj = graph.inAdjacency
        let outAdj = graph.outAdjacency
        var inverseOutDegree = [Double](repeating: 0, count: n)
        for v in 0..<n {
            let d = outAdj.offsets[v + 1] - outAdj.offsets[v]
            inverseOutDegree[v] = d > 0 ? 1 / Double(d) : 0
        }
        var contribution = [Double](repeating: 0, count: n)
        var next = [Double](repeating: 0, count: n)
        let chunks = max(1, min(256, n / 2048))
        var chunkDelta = [Double](repeating: 0, count: chunks)
        var iterations = 0
        var lastDelta = Double.infinity
        while iterations < options.maxIterations {
            iterations += 1
            rank.withUnsafeBufferPointer { r in
                inverseOutDegree.withUnsafeBufferPointer { inv in
                    contribution.withUnsafeMutableBufferPointer { c in
                        let cb = c.baseAddress!
                        parallelChunks(count: n, chunks: chunks, minimumChunk: 1) { _, range in
                            for v in range { cb[v] = r[v] * inv[v] }
                        }
                    }
                }
            }
            contribution.withUnsafeBufferPointer { c in
                rank.withUnsafeBufferPointer { r in
                    reset.withUnsafeBufferPointer { rs in
                        inAdj.offsets.withUnsafeBufferPointer { off in
                            inAdj.neighbors.withUnsafeBufferPointer { nb in
                                next.withUnsafeMutableBufferPointer { nx in
                                    chunkDelta.withUnsafeMutableBufferPointer { cd in
                                        let nxb = nx.baseAddress!, cdb = cd.baseAddress!
                                        DispatchQueue.concurrentPerform(iterations: chunks) { k in
                                            let lo = n * k / chunks, hi = n * (k + 1) / chunks
                                            var delta = 0.0
                                            for v in lo..<hi {
                                                var sum = 0.0
                                                for e in off[v]..<off[v + 1] { sum += c[Int(nb[e])] }
                                                let value = rs[v] + damping * sum
                                                nxb[v] = value
                                                delta = max(delta, abs(value - r[v]))
                                            }
                                            cdb[k] = delta
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            swap(&rank, &next)
            lastDelta = chunkDelta.max() ?? 0
            if let tol = options.tolerance, lastDelta < tol { break }
        }
        // GraphX's final correction (SPARK-18847): global ranks sum to V, personalised to 1.
        var total = 0.0
        for x in rank { total += x }
        let target = options.seeds == nil ? Double(n) : 1
        if total > 0 {
            let scale = target / total
            for v in 0..<n { rank[v] *= scale }
        }
        return PageRankResult(graph: graph, ranks: rank, iterations: iterations, lastDelta: lastDelta, personalized: options.seeds != nil)
    }
}
