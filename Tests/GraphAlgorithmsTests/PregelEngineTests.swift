import Columnar
import PropertyGraph
import XCTest
@testable import GraphAlgorithms

final class PregelEngineTests: XCTestCase {
    func graph(_ src: [Int64], _ dst: [Int64], vertices: [Int64]? = nil) throws -> PropertyGraph {
        var b = GraphBuilder()
        return try b.build(edges: Table([("src", .int64(src)), ("dst", .int64(dst))]), vertices: vertices.map { try Table([("id", .int64($0))]) })
    }

    func testEveryVertexUpdatesWithNilWhereNothingArrived() throws {
        let g = try graph([1], [2], vertices: [1, 2, 3])
        var seen: [[Bool]] = []
        let lock = NSLock()
        var options = PregelOptions(maxIterations: 1)
        options.captureHistory = true
        let program = PregelProgram<Int, Int>(initialState: { Int($0) * 10 }, sendToDst: { $0.srcState + 1 }, combiner: .sum, update: { v, s, m in
            lock.withLock { seen.append([v == 0, m == nil]) }
            return m ?? -s
        })
        let r = PregelEngine.run(g, program, options: options)
        XCTAssertEqual(r.states, [0, 1, -20], "vertex 2 got 0+1; vertices without messages still ran update")
        XCTAssertEqual(seen.count, 3)
        XCTAssertEqual(r.history!, [[0, 10, 20], [0, 1, -20]])
        XCTAssertEqual(r.messagesPerRound, [1])
    }

    func testSendToSrcAndMinCombinerPropagateLabels() throws {
        // Min-label propagation both ways converges to weak components.
        let g = try graph([5, 6, 9, 8], [6, 7, 8, 9])
        let program = PregelProgram<UInt32, UInt32>(initialState: { $0 }, sendToDst: { $0.srcState }, sendToSrc: { $0.dstState }, combiner: .min,
                                                    update: { _, s, m in min(s, m ?? s) })
        let r = PregelEngine.run(g, program, options: PregelOptions(maxIterations: 10))
        XCTAssertEqual(r.states, [0, 0, 0, 3, 3])
    }

    func testEarlyStoppingActiveFlagsAndMasterCompute() throws {
        let g = try graph([1, 2, 3], [2, 3, 4])
        // A vertex is active after a round in which it received a message; an edge is skipped
        // only when BOTH ends are inactive (GraphFrames keeps a triplet if either end is active).
        var options = PregelOptions(maxIterations: 6)
        options.earlyStopping = true
        options.skipMessagesFromInactive = true
        var program = PregelProgram<Int, Int>(initialState: { $0 == 0 ? 1 : 0 }, sendToDst: { $0.srcState > 0 ? $0.srcState : nil }, combiner: .max,
                                              update: { _, s, m in max(s, m ?? 0) })
        program.initialActive = { _, s in s > 0 }
        program.updateActive = { _, _, m, _ in m != nil }
        let r = PregelEngine.run(g, program, options: options)
        XCTAssertEqual(r.states, [1, 1, 1, 1])
        // From round 2 on, edge 0→1 still sends because its destination is active; a
        // sender-only check would give [1, 1, 1, 0, 0, 0].
        XCTAssertEqual(r.messagesPerRound, [1, 2, 3, 3, 3, 3])
        XCTAssertEqual(r.rounds, 6)
        var halting = PregelOptions(maxIterations: 50)
        halting.masterCompute = { $0.round == 2 ? .halt : .proceed }
        XCTAssertEqual(PregelEngine.run(g, program, options: halting).rounds, 2)
    }

    func testEarlyStoppingSkipsTheSilentRoundsUpdate() throws {
        // Every update ticks the state, with or without a message. The source sends while its
        // state is below 2, so round 3 would send nothing: GraphFrames stops before updating.
        let g = try graph([1], [2])
        var options = PregelOptions(maxIterations: 10)
        options.earlyStopping = true
        let program = PregelProgram<Int, Int>(initialState: { _ in 0 }, sendToDst: { $0.srcState < 2 ? 1 : nil }, combiner: .sum,
                                              update: { _, s, _ in s + 1 })
        let r = PregelEngine.run(g, program, options: options)
        XCTAssertEqual(r.states, [2, 2], "an update ran in the silent round")
        XCTAssertEqual(r.rounds, 2)
        XCTAssertEqual(r.messagesPerRound, [1, 1])
    }

    func testStopWhenNoActiveIsCheckedAfterTheUpdate() throws {
        // All vertices start inactive: GraphFrames still runs round 1, then checks.
        let g = try graph([1], [2])
        var options = PregelOptions(maxIterations: 10)
        options.stopWhenNoActiveVertices = true
        var program = PregelProgram<Int, Int>(initialState: { _ in 0 }, sendToDst: { _ in 1 }, combiner: .sum, update: { _, s, m in s + (m ?? 0) })
        program.initialActive = { _, _ in false }
        program.updateActive = { _, _, _, _ in false }
        let r = PregelEngine.run(g, program, options: options)
        XCTAssertEqual(r.rounds, 1)
        XCTAssertEqual(r.states, [0, 1])
    }

    func testFloatSumsEqualASequentialReferenceBitForBit() throws {
        // Many in-edges per vertex with values whose sum depends on order: the parallel engine
        // must combine in ascending edge order, exactly as this one-thread loop does.
        var src: [Int64] = [], dst: [Int64] = []
        for i in 0..<200_000 { src.append(Int64(i % 50_000)); dst.append(Int64((i * 7919) % 1000)) }
        let g = try graph(src, dst)
        let send: (PregelEdgeContext<Double>) -> Double? = { $0.srcState * 1.000001 + 1e-9 * Double($0.edge) }
        let program = PregelProgram<Double, Double>(initialState: { 1.0 / Double($0 + 3) }, sendToDst: send,
                                                    combiner: .sum, update: { _, s, m in (m ?? 0) + s * 0.5 })
        let fast = PregelEngine.run(g, program, options: PregelOptions(maxIterations: 3)).states
        var state = (0..<g.vertexCount).map { 1.0 / Double($0 + 3) }
        for _ in 0..<3 {
            var message = [Double?](repeating: nil, count: g.vertexCount)
            for e in 0..<g.edgeCount {
                let (u, v) = (Int(g.src[e]), Int(g.dst[e]))
                let m = send(PregelEdgeContext(src: UInt32(u), dst: UInt32(v), edge: UInt32(e), srcState: state[u], dstState: state[v]))!
                message[v] = message[v].map { $0 + m } ?? m
            }
            state = (0..<g.vertexCount).map { (message[$0] ?? 0) + state[$0] * 0.5 }
        }
        XCTAssertEqual(fast.map(\.bitPattern), state.map(\.bitPattern))
    }

    func testFusedWeightedSumEqualsTheGenericProgramBitForBit() throws {
        // Parallel edges, self-loops, vertices without in-edges; weights per edge row.
        let g = TestGraphs.random(seed: 7, vertices: 30_000, edges: 120_000)
        let weight = (0..<g.edgeCount).map { 0.3 + Double(($0 * 2654435761) % 1000) / 1777 }
        let base = (0..<g.vertexCount).map { $0 % 7 == 0 ? Double($0 % 13) : 0 }
        let update: (UInt32, Double, Double?) -> Double = { v, s, m in m.map { min(10, $0 + base[Int(v)]) } ?? s }
        var options = PregelOptions(maxIterations: 4)
        options.captureHistory = true
        let generic = PregelEngine.run(g, PregelProgram<Double, Double>(
            initialState: { base[Int($0)] }, sendToDst: { $0.srcState * weight[Int($0.edge)] }, combiner: .sum, update: update), options: options)
        let fused = PregelEngine.runWeightedSum(g, initial: base, edgeWeight: weight, update: update, options: options)
        XCTAssertEqual(fused.rounds, generic.rounds)
        XCTAssertEqual(fused.messagesPerRound, generic.messagesPerRound)
        XCTAssertEqual(fused.history!.count, 5)
        for (a, b) in zip(fused.history!, generic.history!) { XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern)) }
        XCTAssertTrue(fused.states.contains { $0 > 0 && $0 < 10 })
    }
}
