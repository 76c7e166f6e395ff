import Columnar
import XCTest
@testable import EntityResolution

/// Golden: the transaction-dedupe scenario (dedupe_only, blocked on amount) must call the two
/// spellings of the same address a probable match.
final class TransactionDedupeGoldenTests: XCTestCase {
    func testCanadaSquareIsProbableMatch() throws {
        let table = try Table([
            ("txn_id", .int64([1, 2, 3, 4])),
            ("txn_amount", .double([500, 500, 500, 500])),
            ("rptd_originator_address", .string(["Canada Square, Canary Wharf, London, United Kingdom", "Canada Square, Canary Wharf, London, UK",
                                                 "12 Rue de Rivoli, Paris, France", "4 Main St, Springfield, United States"])),
            ("rptd_originator_name", .string(["Acme Trading Ltd", "Acme Trading Ltd", "Jean Dupont", "Homer Simpson"])),
        ])
        var addr = ComparisonLibrary.jaroWinkler("rptd_originator_address", [0.9, 0.7])
        addr.levels[1].m = 0.6; addr.levels[1].u = 0.001
        addr.levels[2].m = 0.3; addr.levels[2].u = 0.01
        addr.levels[3].m = 0.08; addr.levels[3].u = 0.1
        addr.levels[4].m = 0.02; addr.levels[4].u = 0.889
        var name = ComparisonLibrary.jaroWinkler("rptd_originator_name", [0.9, 0.7])
        name.levels[1].m = 0.7; name.levels[1].u = 0.001
        name.levels[2].m = 0.2; name.levels[2].u = 0.01
        name.levels[3].m = 0.08; name.levels[3].u = 0.1
        name.levels[4].m = 0.02; name.levels[4].u = 0.889
        let model = FellegiSunterModel(uniqueIdColumn: "txn_id", lambda: 0.01, comparisons: [addr, name], blockingRules: ["l.txn_amount = r.txn_amount"])
        let order = Blocker.order(ids: try table.column("txn_id"), source: [0, 0, 0, 0], linkType: .dedupeOnly)
        let (pairs, counts) = try Blocker(rules: [try BlockingRule("l.txn_amount = r.txn_amount")]).pairs(table, order: order, source: [0, 0, 0, 0], linkType: .dedupeOnly)
        XCTAssertEqual(pairs.count, 6); XCTAssertEqual(counts[0].1, 6)
        let scored = try Scorer(model: model, table: table).score(pairs)
        let p = (0..<pairs.count).first { pairs.left[$0] == 0 && pairs.right[$0] == 1 }!
        XCTAssertGreaterThan(scored.matchProbability[p], 0.9)
        XCTAssertEqual(try Scorer(model: model, table: table).level(0, 0, 1), 2) // JW >= 0.9, not exact
        let clusters = clusterPairs(recordCount: 4, pairs: pairs, probability: scored.matchProbability, threshold: 0.9)
        XCTAssertEqual(clusters, [0, 0, 2, 3])
    }

    func testBlockingOrAndMatchKey() throws {
        let t = try Table([("id", .int64([3, 1, 2])), ("a", .string(["x", "x", "y"])), ("b", .string(["p", "q", "q"]))])
        let order = Blocker.order(ids: try t.column("id"), source: [0, 0, 0], linkType: .dedupeOnly)
        let (pairs, counts) = try Blocker(rules: [try BlockingRule("l.a = r.a"), try BlockingRule("l.b = r.b and lower(l.a) != lower(r.a)")])
            .pairs(t, order: order, source: [0, 0, 0], linkType: .dedupeOnly)
        XCTAssertEqual(counts.map(\.1), [1, 1])
        XCTAssertEqual(pairs.left, [1, 1]); XCTAssertEqual(pairs.right, [0, 2]); XCTAssertEqual(pairs.matchKey, [0, 1])
    }
}
