import XCTest
@testable import EntityResolution

/// Literature values: Winkler (1990) / Wikipedia examples for Jaro and Jaro-Winkler.
final class StringMetricsTests: XCTestCase {
    func testJaroWinklerLiterature() {
        XCTAssertEqual(jaroWinklerSimilarity("MARTHA", "MARHTA"), 0.961, accuracy: 0.0005)
        XCTAssertEqual(jaroWinklerSimilarity("DIXON", "DICKSONX"), 0.813, accuracy: 0.0005)
        XCTAssertEqual(jaroWinklerSimilarity("DWAYNE", "DUANE"), 0.84, accuracy: 0.0005)
        XCTAssertEqual(jaroSimilarity("MARTHA", "MARHTA"), 0.944, accuracy: 0.0005)
        XCTAssertEqual(jaroSimilarity("DIXON", "DICKSONX"), 0.767, accuracy: 0.0005)
        XCTAssertEqual(jaroSimilarity("DWAYNE", "DUANE"), 0.822, accuracy: 0.0005)
        XCTAssertEqual(jaroSimilarity("", ""), 1)
        XCTAssertEqual(jaroSimilarity("abc", ""), 0)
    }

    func testEditDistances() {
        XCTAssertEqual(levenshteinDistance("kitten", "sitting"), 3)
        XCTAssertEqual(levenshteinDistance("flaw", "lawn"), 2)
        XCTAssertEqual(damerauLevenshteinDistance("ca", "abc"), 3) // OSA, not unrestricted (2)
        XCTAssertEqual(damerauLevenshteinDistance("abcd", "acbd"), 1)
        XCTAssertEqual(levenshteinDistance("abcd", "acbd"), 2)
    }

    func testNFC() {
        XCTAssertEqual(levenshteinDistance("caf\u{e9}", "cafe\u{301}"), 0)
        XCTAssertEqual(jaroWinklerSimilarity("Jos\u{e9}", "Jose\u{301}"), 1)
    }

    func testJaccardAndNumbers() {
        XCTAssertEqual(jaccardSimilarity("night", "nacht", q: 2), 1.0 / 7.0, accuracy: 1e-12)
        XCTAssertEqual(jaccardSimilarity("abc", "abd"), 0.5, accuracy: 1e-12)
        XCTAssertEqual(tokenJaccardSimilarity("acme holdings ltd", "acme ltd"), 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(percentageDifference(100, 80), 0.2, accuracy: 1e-12)
        XCTAssertEqual(absoluteDifference(3, 5.5), 2.5)
    }

    func testMatchProbabilityStable() {
        XCTAssertEqual(matchProbability(0), 0.5)
        XCTAssertEqual(matchProbability(2000), 1)
        XCTAssertEqual(matchProbability(-2000), 0)
        XCTAssertEqual(levelWeight(m: 0, u: 0.5), log2(1e-300 / 0.5))
    }

    func testSplinkSQLRoundTrip() {
        for c in [LevelCondition.exact, .levenshtein(2), .jaroWinkler(0.9), .jaro(0.7), .jaccard(0.8, q: 1), .absoluteDifference(100), .damerauLevenshtein(1)] {
            let parsed = LevelCondition.parse(sql: c.sql("name"))
            XCTAssertEqual(parsed?.0, c); XCTAssertEqual(parsed?.column, "name")
        }
        XCTAssertEqual(LevelCondition.parse(sql: "\"name_l\" IS NULL OR \"name_r\" IS NULL")?.0, .null)
    }
}
