import Columnar
import XCTest
@testable import AMLPipeline

final class SyntheticIdentityTests: XCTestCase {
    /// Entities 1–3 share an SSN; 4 and 5 share address and phone; 6 and 7 share only an
    /// address; 8 shares its email with 1 (joining the SSN ring through a chain); 9 is alone;
    /// 10 and 11 share all three contact attributes.
    func entities() throws -> Table {
        func s(_ v: [String?]) throws -> Column { try Column(type: .string, values: v.map { $0.map(Value.string) ?? .null }) }
        return try Table([
            ("entity_id", .int64(Array(1...11))),
            ("name", try s((1...11).map { "P\($0)" })),
            ("address", try s(["a1", "a2", "a3", "A", "A", "H", " H ", "a8", "a9", "Z", "Z"])),
            ("email_addr", try s(["x@e.com", "e2", "e3", "e4", "e5", "e6", "e7", "X@E.COM", "e9", "z@z", "z@z"])),
            ("phone_number", try s(["p1", "p2", "p3", "P", "P", "p6", "p7", "p8", nil, "zp", "zp"])),
            ("ssn", try s(["S", "S", "S", nil, "s5", "s6", "s7", "s8", "s9", "s10", "s11"])),
        ])
    }

    func testScoresSharedTypesAndTiers() throws {
        let t = try SyntheticIdentity.detect(entities: entities())
        var byID: [Int64: [String: Value]] = [:]
        for r in 0..<t.rowCount {
            var row: [String: Value] = [:]
            for (i, name) in t.columnNames.enumerated() { row[name] = t.value(row: r, column: i) }
            byID[row["entity_id"]!.intValue!] = row
        }
        XCTAssertNil(byID[9], "an entity sharing nothing is not reported")
        XCTAssertEqual(Set(byID.keys), [1, 2, 3, 4, 5, 6, 7, 8, 10, 11])
        // SSN ring 1-2-3 plus 8 via the email shared with 1: 4 entities + SSN + email = 6 vertices.
        for id: Int64 in [1, 2, 3, 8] {
            XCTAssertEqual(byID[id]!["component"], .int(1))
            XCTAssertEqual(byID[id]!["synth_score"], .int(5))
            XCTAssertEqual(byID[id]!["persons_in_component"], .int(4))
        }
        XCTAssertEqual(byID[1]!["shared_types"], .string("email|ssn"))
        XCTAssertEqual(byID[1]!["tier"], .string("high"))
        XCTAssertEqual(byID[8]!["shared_types"], .string("email"))
        XCTAssertEqual(byID[8]!["tier"], .string("low"))
        XCTAssertEqual(byID[4]!["shared_types"], .string("address|phone"))
        XCTAssertEqual(byID[4]!["tier"], .string("medium"))
        XCTAssertEqual(byID[4]!["synth_score"], .int(3))
        XCTAssertEqual(byID[6]!["shared_types"], .string("address"), "addresses compare after trimming")
        XCTAssertEqual(byID[6]!["tier"], .string("low"))
        XCTAssertEqual(byID[10]!["tier"], .string("high"), "address+email+phone together is high")
        XCTAssertEqual(byID[10]!["shared_ssn"], .bool(false))
        // Ordered by tier, then component, then id.
        let tiers = (0..<t.rowCount).map { t.value(row: $0, column: t.schema.index(of: "tier")!) }
        XCTAssertEqual(tiers.firstIndex(of: .string("medium"))!, tiers.lastIndex(of: .string("high"))! + 1)
    }

    func testTierRules() {
        XCTAssertEqual(SyntheticIdentityTier.classify([.ssn]), .high)
        XCTAssertEqual(SyntheticIdentityTier.classify([.address, .email, .phone]), .high)
        XCTAssertEqual(SyntheticIdentityTier.classify([.address, .phone]), .medium)
        XCTAssertEqual(SyntheticIdentityTier.classify([.email, .phone]), .medium)
        XCTAssertEqual(SyntheticIdentityTier.classify([.address]), .low)
        XCTAssertNil(SyntheticIdentityTier.classify([]))
    }

    func testMissingIDColumnIsAClearError() throws {
        let t = try Table([("id", .int64([1]))])
        XCTAssertThrowsError(try SyntheticIdentity.detect(entities: t)) { XCTAssertTrue("\($0)".contains("no column 'entity_id'"), "\($0)") }
    }
}
