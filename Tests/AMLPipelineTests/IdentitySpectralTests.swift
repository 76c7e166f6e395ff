import Columnar
import XCTest
@testable import AMLPipeline

final class IdentitySpectralTests: XCTestCase {
    /// Two triangles joined through a bridge: 1, 2, 3 share address A; 3 and 4 share phone P;
    /// 4, 5, 6 share email E; 7 hangs off 6 by SSN S.
    func entities() throws -> Table {
        func s(_ v: [String?]) throws -> Column { try Column(type: .string, values: v.map { $0.map(Value.string) ?? .null }) }
        return try Table([
            ("entity_id", .int64(Array(1...7))),
            ("address", try s(["A", "A", "A", "a4", "a5", "a6", "a7"])),
            ("email_addr", try s(["e1", "e2", "e3", "E", "E", "E", "e7"])),
            ("phone_number", try s(["p1", "p2", "P", "P", "p5", "p6", "p7"])),
            ("ssn", try s([nil, nil, nil, nil, nil, "S", "S"])),
        ])
    }

    func rows(_ t: Table) -> [Int64: (community: Int64, bridge: Double)] {
        let ids = try! t.column("entity_id"), c = try! t.column("community"), b = try! t.column("bridge_score")
        var out: [Int64: (Int64, Double)] = [:]
        for r in 0..<t.rowCount { out[Int64(ids.value(at: r).intValue!)] = (Int64(c.value(at: r).intValue!), b.value(at: r).doubleValue!) }
        return out
    }

    func testBridgeScoresAreArticulationCuts() throws {
        let r = rows(try SyntheticIdentity.detect(entities: entities(), spectral: SpectralOptions(minimumSize: 3)))
        // Removing 3 leaves {1,2} and {4,5,6,7}: 2 of the 6 others are cut off.
        XCTAssertEqual(r[3]!.bridge, 2.0 / 6, accuracy: 1e-15)
        // Removing 4 leaves {1,2,3} and {5,6,7}: 3 of 6.
        XCTAssertEqual(r[4]!.bridge, 3.0 / 6, accuracy: 1e-15)
        // Removing 6 leaves {1..5} and {7}: 1 of 6.
        XCTAssertEqual(r[6]!.bridge, 1.0 / 6, accuracy: 1e-15)
        for id: Int64 in [1, 2, 5, 7] { XCTAssertEqual(r[id]!.bridge, 0) }
    }

    func testFiedlerSplitSeparatesTheTriangles() throws {
        let r = rows(try SyntheticIdentity.detect(entities: entities(), spectral: SpectralOptions(minimumSize: 3)))
        XCTAssertEqual(Set([1, 2, 3].map { r[$0]!.community }), [1])
        XCTAssertEqual(Set([4, 5, 6, 7].map { r[$0]!.community }), [4])
        // Below the size threshold the component stays one community.
        let small = rows(try SyntheticIdentity.detect(entities: entities(), spectral: SpectralOptions(minimumSize: 8)))
        XCTAssertEqual(Set(small.values.map(\.community)), [1])
    }
}
