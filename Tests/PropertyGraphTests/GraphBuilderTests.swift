import Columnar
import XCTest
@testable import PropertyGraph

final class GraphBuilderTests: XCTestCase {
    func testIntegerIDsAreDenseInAscendingOrderAndKeepMultiEdges() throws {
        let edges = try Table([("src", .int64([30, 10, 10, 20, 20])), ("dst", .int64([10, 20, 20, 20, 30])), ("amount", .double([1, 2, 3, 4, 5]))])
        var b = GraphBuilder()
        let g = try b.build(edges: edges)
        XCTAssertEqual(g.ids, .int([10, 20, 30]))
        XCTAssertEqual(g.src, [2, 0, 0, 1, 1])
        XCTAssertEqual(g.dst, [0, 1, 1, 1, 2])
        let out = g.outAdjacency
        // Vertex 10 (internal 0) has the two parallel edges 1 and 2, in edge order.
        XCTAssertEqual(Array(out.edgeIDs[out.range(0)]), [1, 2])
        XCTAssertEqual(Array(out.neighbors[out.range(0)]), [1, 1])
        // The self-loop 20->20 appears once in each direction.
        XCTAssertEqual(Array(out.neighbors[out.range(1)]), [1, 2])
        let inn = g.inAdjacency
        XCTAssertEqual(Array(inn.edgeIDs[inn.range(1)]), [1, 2, 3])
        XCTAssertEqual(g.edgeProperties.rowCount, 5)
        XCTAssertEqual(out.edgeCount, 5)
        XCTAssertEqual(inn.edgeCount, 5)
    }

    func testSparseIntegerIDsUseTheSortedPath() throws {
        let big: Int64 = 1 << 60
        let edges = try Table([("src", .int64([big, -big, 7])), ("dst", .int64([7, big, -big]))])
        var b = GraphBuilder()
        let g = try b.build(edges: edges)
        XCTAssertEqual(g.ids, .int([-big, 7, big]))
        XCTAssertEqual(g.src, [2, 0, 1])
        XCTAssertEqual(g.dst, [1, 2, 0])
    }

    func testStringIDsFollowByteOrder() throws {
        let edges = try Table([("a", .string(["b", "a", "é", "B"])), ("b", .string(["a", "c", "b", "b"]))])
        var b = GraphBuilder()
        b.srcColumn = "a"
        b.dstColumn = "b"
        let g = try b.build(edges: edges)
        XCTAssertEqual(g.ids, .string(StringArray(["B", "a", "b", "c", "é"])))
        XCTAssertEqual(g.src, [2, 1, 4, 0])
        XCTAssertEqual(g.dst, [1, 3, 2, 2])
        XCTAssertEqual(g.ids.internalID(of: .string("c")), 3)
        XCTAssertNil(g.ids.internalID(of: .string("zz")))
    }

    func testVertexTablePropertiesFollowInternalOrder() throws {
        let vertices = try Table([("id", .int64([3, 1, 2])), ("name", .string(["c", "a", "b"]))])
        let edges = try Table([("src", .int64([1])), ("dst", .int64([3]))])
        var b = GraphBuilder()
        let g = try b.build(edges: edges, vertices: vertices)
        XCTAssertEqual(g.vertexProperties.rows, [[.int(1), .string("a")], [.int(2), .string("b")], [.int(3), .string("c")]])
        XCTAssertEqual(g.src, [0])
        XCTAssertEqual(g.dst, [2])
    }

    func testDanglingEdgesFailWithCountAndExamplesOrAreDropped() throws {
        let vertices = try Table([("id", .int64([1, 2]))])
        let edges = try Table([("src", .int64([1, 2, 9, 1])), ("dst", .int64([2, 8, 1, 2])), ("w", .int64([10, 20, 30, 40]))])
        var b = GraphBuilder()
        XCTAssertThrowsError(try b.build(edges: edges, vertices: vertices)) { error in
            XCTAssertTrue("\(error)".contains("2 edge(s)"), "\(error)")
            XCTAssertTrue("\(error)".contains("row 2: 2 -> 8"), "\(error)")
            XCTAssertTrue("\(error)".contains("--drop-dangling"), "\(error)")
        }
        b.dropDanglingEdges = true
        let g = try b.build(edges: edges, vertices: vertices)
        XCTAssertEqual(b.droppedEdges, 2)
        XCTAssertEqual(g.edgeProperties.rows.map { $0[2] }, [.int(10), .int(40)])
    }

    func testBadIDColumnsGiveClearErrors() throws {
        var b = GraphBuilder()
        let edges = try Table([("src", .double([1])), ("dst", .double([2]))])
        XCTAssertThrowsError(try b.build(edges: edges)) { XCTAssertTrue("\($0)".contains("integers or strings"), "\($0)") }
        let missing = try Table([("from", .int64([1])), ("to", .int64([2]))])
        XCTAssertThrowsError(try b.build(edges: missing)) { XCTAssertTrue("\($0)".contains("no column 'src' (columns are: from, to)"), "\($0)") }
        let nulls = try Table([("src", Column(type: .int64, values: [.int(1), .null])), ("dst", .int64([2, 3]))])
        XCTAssertThrowsError(try b.build(edges: nulls)) { XCTAssertTrue("\($0)".contains("null at row 2"), "\($0)") }
        let dupes = try Table([("id", .int64([1, 1]))])
        XCTAssertThrowsError(try b.build(edges: try Table([("src", .int64([1])), ("dst", .int64([1]))]), vertices: dupes)) { XCTAssertTrue("\($0)".contains("more than once"), "\($0)") }
    }
}
