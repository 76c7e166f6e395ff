import Columnar
import XCTest
@testable import EntityResolution

/// The flat layout of prepared columns (`TextBuffer`): each record's units, exact-match ids and
/// term frequencies against plain Swift computed from the input values, and the scoring kernel
/// on byte texts against the metrics on `[UInt32]` arrays built from the inputs' UTF-8.
final class PreparedColumnLayoutTests: XCTestCase {
    let values: [String?] = ["Müller", "muller", nil, "", "Müller", "Mu\u{0308}ller", "ab", nil, "", "zürich straße 5", "muller"]

    /// Record i's value of the integer column.
    static func count(_ i: Int) -> Int { (i * 7) % 4 * 1000 - 5 }

    func table() throws -> Table {
        let name = try Column(type: .string, values: values.map { $0.map(Value.string) ?? .null })
        let n = values.count
        let ids: [Int64] = (0..<n).map { Int64($0 + 1) }
        let counts: [Int64] = (0..<n).map { Int64(Self.count($0)) }
        let days: [Int32] = (0..<n).map { Int32(19000 + $0 % 3) }
        let idColumn = Column(.int64(ids)), countColumn = Column(.int64(counts)), dayColumn = Column(.date(days))
        return try Table([("id", idColumn), ("name", name), ("count", countColumn), ("day", dayColumn)])
    }

    func testStringUnitsIdsAndTermFrequencies() throws {
        let col = try PreparedColumn(try table(), "name")
        let nonNull = values.compactMap { $0 }
        for (i, v) in values.enumerated() {
            XCTAssertEqual(col.isNull[i], v == nil)
            // Bytes as DuckDB compares them: the UTF-8 of the value, no normalisation.
            XCTAssertEqual(col.textScalars(i), Array((v ?? "").utf8).map(UInt32.init), "record \(i)")
            XCTAssertEqual(col.text(i), v ?? "")
            if let v {
                let expected = Double(nonNull.filter { Array($0.utf8) == Array(v.utf8) }.count) / Double(nonNull.count)
                XCTAssertEqual(col.tf[i]!, expected, accuracy: 1e-15)
            } else {
                XCTAssertNil(col.tf[i])
            }
            for (j, w) in values.enumerated() {
                XCTAssertEqual(col.valueIDs[i] == col.valueIDs[j], Array((v ?? "").utf8) == Array((w ?? "").utf8), "records \(i), \(j)")
            }
        }
    }

    func testNumbersCompareAsTheirText() throws {
        let t = try table()
        let count = try PreparedColumn(t, "count"), day = try PreparedColumn(t, "day")
        for i in 0..<t.rowCount {
            XCTAssertEqual(count.text(i), String(Self.count(i)))
            XCTAssertEqual(count.textScalars(i), Array(String(Self.count(i)).utf8).map(UInt32.init))
            XCTAssertEqual(day.text(i), ["2022-01-08", "2022-01-09", "2022-01-10"][i % 3])
        }
    }

    func testKernelOnBytesMatchesArrayMetrics() throws {
        let t = try table()
        let model = FellegiSunterModel(uniqueIdColumn: "id", lambda: 0.01, comparisons: [
            ComparisonLibrary.jaroWinkler("name", [0.9, 0.7]), ComparisonLibrary.levenshtein("name", [1, 2]),
            ComparisonLibrary.jaro("name", [0.8]), ComparisonLibrary.levenshtein("count", [1]),
        ])
        let scorer = try Scorer(model: model, table: t)
        var pairs = CandidatePairs()
        for i in 0..<t.rowCount { for j in 0..<t.rowCount where i != j { pairs.left.append(Int32(i)); pairs.right.append(Int32(j)); pairs.matchKey.append(0) } }
        let levels = scorer.levels(pairs)
        func units(_ s: String?) -> [UInt32] { Array((s ?? "").utf8).map(UInt32.init) }
        for p in 0..<pairs.count {
            let i = Int(pairs.left[p]), j = Int(pairs.right[p])
            let a = units(values[i]), b = units(values[j]), null = values[i] == nil || values[j] == nil
            // Levels in order: null, exact, then the thresholds, then else.
            func expected(_ thresholds: [Bool]) -> Int {
                if null { return 0 }
                if a == b { return 1 }
                return 2 + (thresholds.firstIndex(of: true) ?? thresholds.count)
            }
            let jw = jaroWinklerSimilarity(a, b), lev = levenshteinDistance(a, b), jaro = jaroSimilarity(a, b)
            XCTAssertEqual(Int(levels[0][p]), expected([jw >= 0.9, jw >= 0.7]), "pair (\(i), \(j)) jaro-winkler")
            XCTAssertEqual(Int(levels[1][p]), expected([lev <= 1, lev <= 2]), "pair (\(i), \(j)) levenshtein")
            XCTAssertEqual(Int(levels[2][p]), expected([jaro >= 0.8]), "pair (\(i), \(j)) jaro")
            let ca = units(String(Self.count(i))), cb = units(String(Self.count(j)))
            let countLevel = ca == cb ? 1 : (levenshteinDistance(ca, cb) <= 1 ? 2 : 3)
            XCTAssertEqual(Int(levels[3][p]), countLevel, "pair (\(i), \(j)) levenshtein on numbers")
        }
    }
}
