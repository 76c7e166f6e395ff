import Columnar
import Foundation
@testable import GraphAlgorithms
import PropertyGraph
import XCTest

final class MotifParserTests: XCTestCase {
    func testParsesAllForms() throws {
        let terms = try MotifParser.parse(" (a)-[e]->(b) ; (b)<-[]-( c );(a)-[u]-(c); (a)<-[bi]->(d); !(d)-[]->(a); (x); (a)-[v*2]->(y); (a)-[w*1..3]->(z)")
        XCTAssertEqual(terms.count, 8)
        guard case let .edge(s, e, d, arrow) = terms[1] else { return XCTFail() }
        XCTAssertEqual(s.name, "b"); XCTAssertNil(e.name); XCTAssertEqual(d.name, "c"); XCTAssertEqual(arrow, .backward)
        guard case let .edge(_, w, _, _) = terms[7] else { return XCTFail() }
        XCTAssertEqual(w.hops, MotifHops(min: 1, max: 3, isRange: true))
        guard case .negation = terms[4] else { return XCTFail() }
    }

    func testChainInOneTermSplitsIntoTerms() throws {
        let q = try MotifValidator.query("(a)-[e]->(b)-[f]->(c)")
        XCTAssertEqual(q.elements.map(\.name), ["a", "e", "b", "f", "c"])
    }

    func testRewrites() throws {
        let q = try MotifValidator.query("(a)<-[e]->(b); (c)<-[f]-(a)")
        XCTAssertEqual(q.terms, [
            .edge(src: "a", name: "e1", dst: "b", undirected: false, hops: nil, isRange: false),
            .edge(src: "b", name: "e2", dst: "a", undirected: false, hops: nil, isRange: false),
            .edge(src: "a", name: "f", dst: "c", undirected: false, hops: nil, isRange: false),
        ])
        XCTAssertEqual(try MotifValidator.query("(a)-[e*1..2]->(b)").hopColumns, ["_hop"])
        XCTAssertEqual(try MotifValidator.query("(a)-[e]-(b)").directionColumns, ["_direction"])
        XCTAssertEqual(try MotifValidator.query("(a)-[e*3]->(b)").elements.map(\.name), ["a", "_e1", "_ab1", "_e2", "_ab2", "_e3", "b"])
    }

    /// Every rejected pattern names the offending term's column.
    func testRejectedPatternsPointAtTheTerm() {
        let cases: [(String, Int, String)] = [
            ("(a)-[e]->(b); ()", 14, "lone anonymous vertex"),
            ("(a)-[e]->(b); ()-[]->()", 14, "completely anonymous edge"),
            ("(a)-[]->(b); !(a)-[x]->(b)", 18, "named edge 'x' inside a negation"),
            ("(a)-[e]->(b); (e)-[]->(c)", 14, "both a vertex and an edge"),
            ("(a)-[e]->(b); (b)-[e]->(c)", 14, "used more than once"),
            ("(a)-[e*1..]->(b)", 4, "open hop range"),
            ("(a)-[e*..3]->(b)", 4, "open hop range"),
            ("(a)-[e*]->(b)", 4, "open hop range"),
            ("(a)-[e*0]->(b)", 4, "at least 1"),
            ("(a)-[e*0..2]->(b)", 4, "at least 1"),
            ("(a)-[e*3..1]->(b)", 4, "empty hop range"),
            ("(a)-[e]->(b); !(a)-[]-(b)", 14, "undirected edge '-[]-' cannot be negated"),
            ("(a)-[e]->(b); !(a)<-[]->(b)", 14, "bidirectional"),
            ("(a)-[e]->(b); !(a)-[*2]->(b)", 19, "variable-length edge cannot be negated"),
            ("(a)-[e]->(b); !()-[]->()", 14, "completely anonymous negated edge"),
            ("(a)-[e]->(b); !(a)", 14, "negation must be an edge"),
            ("(a)-[e*2]-(b)", 4, "must be directed"),
            ("(a)-[e]->(b);", 13, "expected a term"),
            ("(a)-[e]->(b", 11, "expected ')'"),
            ("(a)-[e->(b)", 6, "expected ']'"),
            ("(a)-[e]>(b)", 7, "expected '->' or '-'"),
            ("", 0, "empty pattern"),
            ("(a-b)", 2, "expected ')'"),
        ]
        for (text, offset, fragment) in cases {
            do {
                _ = try MotifValidator.query(text)
                XCTFail("accepted \(text)")
            } catch let e as MotifError {
                XCTAssertEqual(e.offset, offset, "\(text): \(e)")
                XCTAssertTrue(e.description.contains(fragment), "\(text): \(e)")
                if !text.isEmpty { XCTAssertTrue(e.description.contains("column \(offset + 1)"), "\(text): \(e)") }
            } catch {
                XCTFail("\(text): unexpected \(error)")
            }
        }
    }
}

final class MotifMatcherTests: XCTestCase {
    /// 0->1 twice (parallel), 1->2, 2->0, 2->2 (self-loop), 1->0.
    func graph() throws -> PropertyGraph {
        var b = GraphBuilder()
        return try b.build(edges: Table([
            ("src", .int64([0, 0, 1, 2, 2, 1])),
            ("dst", .int64([1, 1, 2, 0, 2, 0])),
            ("amount", .double([5, 50, 7, 9000, 3, 12000])),
            ("ts", .int64([1, 2, 3, 4, 5, 6])),
        ]))
    }

    func rows(_ pattern: String, _ options: MotifOptions = MotifOptions(), _ g: PropertyGraph? = nil) throws -> [[UInt32]] {
        let m = try MotifMatcher(graph: g ?? graph(), query: MotifValidator.query(pattern), options: options)
        var out: [[UInt32]] = []
        try m.run { b in for r in 0..<b.count { out.append(Array(b.ids[(r * b.stride)..<((r + 1) * b.stride)])) } }
        return out
    }

    func testParallelEdgesGiveOneRowEach() throws {
        XCTAssertEqual(try rows("(a)-[e]->(b); (b)-[f]->(c)").filter { $0[0] == 0 }.count, 4)
        // Anonymous parallel edges still multiply rows (GraphFrames joins every edge).
        XCTAssertEqual(try rows("(a)-[]->(b)").filter { $0 == [0, 1] }.count, 2)
    }

    func testSelfLoopMatches() throws {
        XCTAssertEqual(try rows("(a)-[e]->(a)"), [[2, 4]])
        XCTAssertEqual(try rows("(a)-[e]-(a)").count, 2, "an undirected self-loop matches both ways")
    }

    func testNegationKeepsDistinctRowsWithoutTheEdge() throws {
        // 0->1 (x2) has 1->0; 1->2 has no 2->1; 2->0 has 0->2? no; 2->2 has itself.
        XCTAssertEqual(try rows("(a)-[]->(b); !(b)-[]->(a)"), [[1, 2], [2, 0]])
    }

    func testSortedOutputAndLimit() throws {
        let all = try rows("(a)-[e]->(b); (b)-[f]->(c)")
        XCTAssertEqual(all, all.sorted { $0.lexicographicallyPrecedes($1) })
        var o = MotifOptions(); o.limit = 3
        XCTAssertEqual(try rows("(a)-[e]->(b); (b)-[f]->(c)", o), Array(all.prefix(3)))
        var u = MotifOptions(); u.ordered = false
        XCTAssertEqual(try rows("(a)-[e]->(b); (b)-[f]->(c)", u).sorted { $0.lexicographicallyPrecedes($1) }, all)
    }

    func testOutputDoesNotDependOnThreadCount() throws {
        // A denser random multigraph, so that there are many chunks.
        var src: [Int64] = [], dst: [Int64] = []
        var x: UInt64 = 12345
        func next() -> Int64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return Int64((x >> 33) % 300) }
        for _ in 0..<3000 { src.append(next()); dst.append(next()) }
        var b = GraphBuilder()
        let g = try b.build(edges: Table([("src", .int64(src)), ("dst", .int64(dst))]))
        for ordered in [true, false] {
            var one = MotifOptions(); one.threads = 1; one.ordered = ordered
            var four = MotifOptions(); four.threads = 4; four.ordered = ordered
            let p = "(a)-[e]->(b); (b)-[f]->(c); !(c)-[]->(a)"
            XCTAssertEqual(try rows(p, one, g), try rows(p, four, g))
            XCTAssertEqual(try rows("(a)-[e]->(b); (b)-[f]->(c)", one, g), try rows("(a)-[e]->(b); (b)-[f]->(c)", four, g))
        }
    }

    func testCountWithoutMaterialisingEqualsRows() throws {
        let g = try graph()
        for p in ["(a)-[e]->(b); (b)-[f]->(c)", "(a)-[]->(b); (b)-[]->(c)", "(a)-[e]-(b)", "(a)-[]->(b); !(b)-[]->(a)", "(a)-[e*1..3]->(b)"] {
            let m = try MotifMatcher(graph: g, query: MotifValidator.query(p))
            XCTAssertEqual(m.count(), try rows(p, MotifOptions(), g).count, p)
        }
        // Two-hop count equals the sum over middle vertices of indeg * outdeg.
        let sum = (0..<g.vertexCount).reduce(0) { $0 + g.inAdjacency.degree(UInt32($1)) * g.outAdjacency.degree(UInt32($1)) }
        XCTAssertEqual(try MotifMatcher(graph: g, query: MotifValidator.query("(a)-[]->(b); (b)-[]->(c)")).count(), sum)
    }

    /// A conjunct that reads only e1 runs once per candidate e1, not once per finished row.
    func testConjunctRunsAtBindingTime() throws {
        let g = try graph()
        let calls = Counter()
        var o = MotifOptions()
        o.threads = 1
        o.conjuncts = [MotifConjunct(names: ["e1"], description: "e1 small") { slots in
            guard case let .edge(i) = slots[0] else { fatalError() }
            return { b in calls.bump(); return b.edges[i] == 0 }
        }]
        let m = try MotifMatcher(graph: g, query: MotifValidator.query("(a)-[e1]->(b); (b)-[e2]->(c); (c)-[e3]->(d)"), options: o)
        XCTAssertEqual(m.plans[0].checks[1].count, 1, m.plans[0].explanation)
        let n = m.count()
        XCTAssertEqual(n, 2 * 2) // edge 0 (0->1), then 1->2 or 1->0, then one or two out-edges
        XCTAssertEqual(calls.value, g.edgeCount, "checked once per edge bound at step 1")
    }

    func testDistinctVerticesEdgesAndTime() throws {
        var o = MotifOptions()
        o.distinctVertices = true
        XCTAssertTrue(try rows("(a)-[e]->(b); (b)-[f]->(c)", o).allSatisfy { $0[0] != $0[2] && $0[2] != $0[4] && $0[0] != $0[4] })
        var d = MotifOptions()
        d.distinctEdges = true
        XCTAssertEqual(try rows("(a)-[e]->(b); (a)-[f]->(b)", d).count, 2)
        var t = MotifOptions()
        t.edgeTimes = [1, 2, 3, 4, 5, 6]
        t.timeOrder = true
        let timed = try rows("(a)-[e]->(b); (b)-[f]->(c)", t)
        XCTAssertTrue(timed.allSatisfy { t.edgeTimes![Int($0[1])] < t.edgeTimes![Int($0[3])] })
        t.window = 1
        XCTAssertTrue(try rows("(a)-[e]->(b); (b)-[f]->(c)", t).allSatisfy { $0[3] - $0[1] <= 1 })
    }

    func testFilterErrorsNameTheProblem() throws {
        let g = try graph()
        let q = try MotifValidator.query("(a)-[e]->(b)")
        XCTAssertThrowsError(try MotifFilter.conjuncts("e.nope < 3", graph: g, query: q, endpointColumns: ["src", "dst"])) { e in
            XCTAssertTrue("\(e)".contains("no column 'nope' in 'e'"), "\(e)")
        }
        XCTAssertThrowsError(try MotifFilter.conjuncts("z.amount < 3", graph: g, query: q, endpointColumns: ["src", "dst"])) { e in
            XCTAssertTrue("\(e)".contains("unknown qualifier 'z'"), "\(e)")
        }
    }

    func testDurations() throws {
        XCTAssertEqual(try MotifTime.duration("30d"), 30 * 86_400_000_000)
        XCTAssertEqual(try MotifTime.duration("90m"), 90 * 60_000_000)
        XCTAssertThrowsError(try MotifTime.duration("3 parsecs"))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func bump() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
