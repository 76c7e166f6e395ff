import Columnar
import PropertyGraph
import XCTest
@testable import GraphAlgorithms

final class ExpressionPregelTests: XCTestCase {
    /// MISSION.md's seed example: vertices 1–10, base risk 10 on vertex 3.
    private func seedGraph(intRisk: Bool = false) throws -> PropertyGraph {
        let risk: Column = intRisk ? .int64((1...10).map { $0 == 3 ? 10 : 0 }) : .double((1...10).map { $0 == 3 ? 10 : 0 })
        let vertices = try Table([("id", .int64(Array(1...10))), ("risk", risk)])
        let edges = try Table([("src", .int64([3, 3, 3, 4, 5, 6])), ("dst", .int64([4, 5, 6, 7, 7, 9])), ("amount", .double([1, 2, 3, 4, 5, 6]))])
        var b = GraphBuilder()
        return try b.build(edges: edges, vertices: vertices)
    }

    private let accelerator = ExpressionPregelProgram(column: "risk_score", initial: "risk", update: "coalesce(msg + risk, risk_score)",
                                                      sendToDst: "src.risk_score / 2", aggregation: .sum, maxIterations: 3)

    func testAcceleratorRuleMatchesTheSeedTable() throws {
        for intRisk in [false, true] {
            let r = try ExpressionPregel.run(graph: try seedGraph(intRisk: intRisk), program: accelerator)
            let expected: [[Double]] = [
                [0, 0, 10, 0, 0, 0, 0, 0, 0, 0],
                [0, 0, 10, 5, 5, 5, 0, 0, 0, 0],
                [0, 0, 10, 5, 5, 5, 5, 0, 2.5, 0],
                [0, 0, 10, 5, 5, 5, 5, 0, 2.5, 0],
            ]
            XCTAssertEqual(r.history, expected.map { Column.double($0) })
            XCTAssertEqual(r.state, .double(expected[3]))
            XCTAssertEqual(r.rounds, 3)
            XCTAssertEqual(r.messagesPerRound, [6, 6, 6])
        }
    }

    func testAgreesWithTheClosureEngine() throws {
        let g = try seedGraph()
        let base = (0..<10).map { $0 == 2 ? 10.0 : 0 }
        let amounts = [1.0, 2, 3, 4, 5, 6]
        var program = accelerator
        program.sendToDst = "src.risk_score * edge.amount / 4"
        program.sendToSrc = "dst.risk_score / 8"
        program.maxIterations = 6
        let declarative = try ExpressionPregel.run(graph: g, program: program)
        var options = PregelOptions(maxIterations: 6)
        options.captureHistory = true
        let closures = PregelEngine.run(g, PregelProgram<Double, Double>(
            initialState: { base[Int($0)] },
            sendToDst: { $0.srcState * amounts[Int($0.edge)] / 4 },
            sendToSrc: { $0.dstState / 8 },
            combiner: .sum,
            update: { v, s, m in m.map { $0 + base[Int(v)] } ?? s }), options: options)
        XCTAssertEqual(declarative.history, (closures.history ?? []).map { Column.double($0) })
    }

    func testNullMessagesAreNotSentAndEarlyStoppingStops() throws {
        var program = ExpressionPregelProgram(column: "hops", initial: "case when risk > 0 then 0 end", update: "coalesce(hops, msg)",
                                             sendToDst: "case when src.hops is not null and dst.hops is null then src.hops + 1 end",
                                             aggregation: .min, maxIterations: 20)
        program.earlyStopping = true
        let r = try ExpressionPregel.run(graph: try seedGraph(), program: program)
        XCTAssertEqual(r.state.data, .int64([0, 0, 0, 1, 1, 1, 2, 0, 2, 0]))
        XCTAssertEqual((0..<10).map { r.state.isNull($0) }, [true, true, false, false, false, false, false, true, false, true])
        // The third round would send nothing: it is neither run nor counted (GraphFrames).
        XCTAssertEqual(r.messagesPerRound, [3, 3])
        XCTAssertEqual(r.rounds, 2)
    }

    func testEarlyStoppingSkipsTheSilentRoundsUpdate() throws {
        // The update ticks every vertex every round, so an update in the silent round shows.
        var program = ExpressionPregelProgram(column: "t", initial: "0", update: "t + 1",
                                             sendToDst: "case when src.t < 2 then 1 end", aggregation: .sum, maxIterations: 10)
        program.earlyStopping = true
        let r = try ExpressionPregel.run(graph: try seedGraph(), program: program)
        XCTAssertEqual(r.state.data, .int64([Int64](repeating: 2, count: 10)))
        XCTAssertEqual(r.rounds, 2)
        XCTAssertEqual(r.history.count, 3)
    }

    func testCountAggregation() throws {
        let program = ExpressionPregelProgram(column: "deg", initial: "0", update: "coalesce(msg, 0)", sendToDst: "1", sendToSrc: "1",
                                              aggregation: .count, maxIterations: 1)
        XCTAssertEqual(try ExpressionPregel.run(graph: try seedGraph(), program: program).state, .int64([0, 0, 3, 2, 2, 2, 2, 0, 1, 0]))
    }

    func testErrorsNameTheExpression() throws {
        var program = accelerator
        program.sendToDst = "src.nosuch / 2"
        XCTAssertThrowsError(try ExpressionPregel.run(graph: try seedGraph(), program: program)) { error in
            XCTAssertTrue("\(error)".contains("no column 'nosuch' in 'src'"), "\(error)")
        }
        program.sendToDst = "src.risk_score > 1"
        XCTAssertThrowsError(try ExpressionPregel.run(graph: try seedGraph(), program: program))
        program.sendToDst = nil
        XCTAssertThrowsError(try ExpressionPregel.run(graph: try seedGraph(), program: program))
        program = accelerator
        program.update = "'text'"
        XCTAssertThrowsError(try ExpressionPregel.run(graph: try seedGraph(), program: program))
    }
}
