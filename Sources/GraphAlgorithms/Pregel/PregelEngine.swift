// Pregel: bulk-synchronous vertex programs (Malewicz et al., SIGMOD 2010), with GraphFrames'
// semantics (every vertex updates every round; nil message where none arrived). As in
// GraphFrames' `Pregel.run`: with early stopping, a round in which no message is sent stops
// the run before any vertex updates, and is not counted; skipping inactive vertices drops an
// edge only when both of its ends are inactive; "stop when no vertex is active" is checked
// after each round's update.
//
// Execution is pull-based: in each superstep a vertex gathers the messages of its in-edges
// (sendToDst) and then of its out-edges (sendToSrc) in ascending edge order, combining as it
// goes. Each vertex is written by exactly one thread, so there are no atomics, no message
// objects and no message buffers: memory is O(V) per round on top of the CSR and CSC, and
// floating-point sums are bit-identical whatever the thread count.
import Dispatch
import PropertyGraph

/// Runs vertex programs over a property graph.
public enum PregelEngine {
    /// Runs `program` on `graph`. O(rounds · (V + E)) time, parallel over vertex chunks.
    /// Inlinable so callers get a copy specialised to their State and Message types: the
    /// unspecialised generic path boxes every Optional message and ran about 9x slower.
    @inlinable
    public static func run<State, Message>(_ graph: PropertyGraph, _ program: PregelProgram<State, Message>, options: PregelOptions = .init()) -> PregelResult<State> {
        let n = graph.vertexCount
        let inAdj = program.sendToDst != nil ? graph.inAdjacency : nil
        let outAdj = program.sendToSrc != nil ? graph.outAdjacency : nil
        // Flat copies of the adjacency arrays, read through raw pointers in the superstep:
        // reaching them through the optional structs costs a retain and a bounds check per edge.
        let inOffsets = inAdj?.offsets ?? [0], inNeighbors = inAdj?.neighbors ?? [], inEdges = inAdj?.edgeIDs ?? []
        let outOffsets = outAdj?.offsets ?? [0], outNeighbors = outAdj?.neighbors ?? [], outEdges = outAdj?.edgeIDs ?? []
        let sendToDst = program.sendToDst, sendToSrc = program.sendToSrc
        let skipInactive = options.skipMessagesFromInactive
        let combiner = program.combiner
        var states = (0..<n).map { program.initialState(UInt32($0)) }
        var active = program.initialActive.map { f in (0..<n).map { f(UInt32($0), states[$0]) } } ?? [Bool](repeating: true, count: n)
        var history: [[State]]? = options.captureHistory ? [states] : nil
        var messagesPerRound: [Int] = []
        let chunkCount = max(1, min(256, n / 4096))
        var rounds = 0

        while rounds < options.maxIterations {
            rounds += 1
            var next = states
            var nextActive = active
            var sentPerChunk = [Int](repeating: 0, count: chunkCount)
            let current = states
            let currentActive = active
            next.withUnsafeMutableBufferPointer { nextBuffer in
                nextActive.withUnsafeMutableBufferPointer { activeBuffer in
                    sentPerChunk.withUnsafeMutableBufferPointer { sentBuffer in
                        let nextBase = nextBuffer.baseAddress!, activeBase = activeBuffer.baseAddress!, sentBase = sentBuffer.baseAddress!
                        current.withUnsafeBufferPointer { s in
                            currentActive.withUnsafeBufferPointer { act in
                              inOffsets.withUnsafeBufferPointer { io in inNeighbors.withUnsafeBufferPointer { inb in inEdges.withUnsafeBufferPointer { ie in
                              outOffsets.withUnsafeBufferPointer { oo in outNeighbors.withUnsafeBufferPointer { onb in outEdges.withUnsafeBufferPointer { oe in
                                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                                    var sent = 0
                                    let lo = n * chunk / chunkCount, hi = n * (chunk + 1) / chunkCount
                                    for v in lo..<hi {
                                        let vid = UInt32(v)
                                        var message: Message?
                                        if let send = sendToDst {
                                            for k in io[v]..<io[v + 1] {
                                                let u = inb[k]
                                                if skipInactive, !act[Int(u)], !act[v] { continue }
                                                if let m = send(PregelEdgeContext(src: u, dst: vid, edge: ie[k], srcState: s[Int(u)], dstState: s[v])) {
                                                    sent += 1
                                                    if let current = message { message = combiner.combine(current, m) } else { message = m }
                                                }
                                            }
                                        }
                                        if let send = sendToSrc {
                                            for k in oo[v]..<oo[v + 1] {
                                                let w = onb[k]
                                                if skipInactive, !act[v], !act[Int(w)] { continue }
                                                if let m = send(PregelEdgeContext(src: vid, dst: w, edge: oe[k], srcState: s[v], dstState: s[Int(w)])) {
                                                    sent += 1
                                                    if let current = message { message = combiner.combine(current, m) } else { message = m }
                                                }
                                            }
                                        }
                                        let updated = program.update(vid, s[v], message)
                                        nextBase[v] = updated
                                        if let rule = program.updateActive { activeBase[v] = rule(vid, updated, message, act[v]) }
                                    }
                                    sentBase[chunk] = sent
                                }
                              } } }
                              } } }
                            }
                        }
                    }
                }
            }
            let sent = sentPerChunk.reduce(0, +)
            if options.earlyStopping, sent == 0 {
                // The silent round is abandoned before its update, as GraphFrames does.
                rounds -= 1
                break
            }
            states = next
            active = nextActive
            messagesPerRound.append(sent)
            history?.append(states)
            if let master = options.masterCompute {
                let summary = PregelRoundSummary(round: rounds, messagesSent: sent, activeVertices: active.reduce(0) { $0 + ($1 ? 1 : 0) })
                if master(summary) == .halt { break }
            }
            if options.stopWhenNoActiveVertices, !active.contains(true) { break }
        }
        return PregelResult(states: states, rounds: rounds, messagesPerRound: messagesPerRound, history: history, active: active)
    }
}
