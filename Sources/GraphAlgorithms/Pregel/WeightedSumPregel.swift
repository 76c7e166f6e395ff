// The fused superstep for the most common Pregel program in AML work: every edge u -> v sends
// `state(u) · weight(edge)` to v and the messages are summed (risk propagation, PageRank-like
// scores). It is the same program the generic engine runs with `sendToDst` and `.sum`, with
// the per-edge closure call replaced by a multiply-add over flat arrays.
import Dispatch
import PropertyGraph

extension PregelEngine {
    /// Runs the program "send `state(src) · edgeWeight[edge]` to dst, combine by sum, then
    /// `update(vertex, state, message)`" on every vertex for `options.maxIterations` rounds.
    ///
    /// Semantics are GraphFrames' and the generic `run`'s: every vertex is active and every
    /// edge sends each round; a vertex without in-edges gets a nil message; messages are
    /// summed in ascending in-edge order (the CSC order), so the scores are bit-identical to
    /// `run` with the equivalent closures, whatever the thread count. Supports
    /// `captureHistory`, `earlyStopping` (a graph without edges) and `masterCompute`;
    /// activity options do not apply (every vertex stays active).
    ///
    /// `edgeWeight` is indexed by edge row. O(E) once to lay the weights out in CSC order,
    /// then O(V + E) per round, parallel over vertex chunks; O(V + E) extra memory.
    public static func runWeightedSum(_ graph: PropertyGraph, initial: [Double], edgeWeight: [Double],
                                      update: (UInt32, Double, Double?) -> Double,
                                      options: PregelOptions = .init()) -> PregelResult<Double> {
        let n = graph.vertexCount
        precondition(initial.count == n && edgeWeight.count == graph.edgeCount)
        let csc = graph.inAdjacency
        let offsets = csc.offsets, sources = csc.neighbors
        // Weights in CSC order, so the edge loop reads two arrays sequentially and one at random.
        var weights = [Double](repeating: 0, count: sources.count)
        for k in 0..<sources.count { weights[k] = edgeWeight[Int(csc.edgeIDs[k])] }
        var states = initial
        var history: [[Double]]? = options.captureHistory ? [states] : nil
        var messagesPerRound: [Int] = []
        let chunkCount = max(1, min(256, n / 4096))
        var rounds = 0
        // Every edge sends every round, so early stopping can only fire on a graph without
        // edges, and then (as in GraphFrames) before the first update.
        while rounds < options.maxIterations, !(options.earlyStopping && sources.isEmpty) {
            rounds += 1
            var next = [Double](repeating: 0, count: n)
            let current = states
            next.withUnsafeMutableBufferPointer { nextBuffer in
                let out = nextBuffer.baseAddress!
                current.withUnsafeBufferPointer { s in
                    offsets.withUnsafeBufferPointer { o in
                        sources.withUnsafeBufferPointer { src in
                            weights.withUnsafeBufferPointer { w in
                                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                                    let lo = n * chunk / chunkCount, hi = n * (chunk + 1) / chunkCount
                                    for v in lo..<hi {
                                        let start = o[v], end = o[v + 1]
                                        if start == end {
                                            out[v] = update(UInt32(v), s[v], nil)
                                            continue
                                        }
                                        // The first message starts the sum, as the generic combiner does.
                                        var sum = s[Int(src[start])] * w[start]
                                        var k = start + 1
                                        while k < end { sum += s[Int(src[k])] * w[k]; k += 1 }
                                        out[v] = update(UInt32(v), s[v], sum)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            states = next
            messagesPerRound.append(sources.count)
            history?.append(states)
            if let master = options.masterCompute,
               master(PregelRoundSummary(round: rounds, messagesSent: sources.count, activeVertices: n)) == .halt { break }
        }
        return PregelResult(states: states, rounds: rounds, messagesPerRound: messagesPerRound, history: history,
                            active: [Bool](repeating: true, count: n))
    }
}
