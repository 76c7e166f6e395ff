import Columnar
import XCTest
@testable import EntityResolution

/// Custom (SQL) levels against the fast kinds they restate, the SQL translation, strptime by
/// its definition, and the type unification of two inputs.
final class CustomLevelTests: XCTestCase {
    func texts(_ count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        let alphabet = Array("abcdeAB 1")
        return (0..<count).map { _ in String((0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
    }

    /// A level written as SQL the recogniser does not take (unquoted, other spacing, a
    /// condition it has no kind for) goes the custom path; restating the fast kinds that way
    /// must choose the same level for every pair, in the kernel and in `Scorer.level`.
    func testCustomLevelsChooseAsTheFastKindsTheyRestate() throws {
        let n = 80
        let t = try Table([("id", .int64((0..<n).map(Int64.init))),
                           ("name", try Column(type: .string, values: texts(n, seed: 4).enumerated().map { $0 % 9 == 0 ? .null : .string($1) })),
                           ("amount", .double((0..<n).map { Double($0 % 7) * 1.5 }))])
        func level(_ sql: String) -> ComparisonLevel { ComparisonLibrary.sql(sql, label: sql) }
        let fast = Comparison(column: "name", levels: [ComparisonLevel(.null), ComparisonLevel(.exact), ComparisonLevel(.levenshtein(1)),
                                                       ComparisonLevel(.jaroWinkler(0.8)), ComparisonLevel(.jaccard(0.5, q: 1)), ComparisonLevel(.otherwise)])
        let custom = Comparison(column: "name", levels: [level("name_l is null or name_r is null"), level("name_l=name_r"),
                                                         level("levenshtein(name_l,name_r)<=1"), level("jaro_winkler_similarity(name_l, name_r) >= 0.8"),
                                                         level("jaccard(name_l, name_r)>=0.5"), ComparisonLevel(.otherwise)])
        let amountFast = Comparison(column: "amount", levels: [ComparisonLevel(.null), ComparisonLevel(.absoluteDifference(2)), ComparisonLevel(.otherwise)])
        let amountCustom = Comparison(column: "amount", levels: [level("amount_l IS NULL OR amount_r IS NULL"), level("abs(amount_l - amount_r) <= 2"),
                                                                 ComparisonLevel(.otherwise)])
        for c in custom.levels.dropLast() { XCTAssertEqual(c.condition, .custom, "expected the custom path for \(c.label)") }
        let model = FellegiSunterModel(uniqueIdColumn: "id", comparisons: [fast, custom, amountFast, amountCustom])
        let scorer = try Scorer(model: model, table: t)
        var pairs = CandidatePairs()
        for i in 0..<n { for j in (i + 1)..<n { pairs.left.append(Int32(i)); pairs.right.append(Int32(j)); pairs.matchKey.append(0) } }
        let scored = scorer.score(pairs)
        XCTAssertNil(scorer.evaluationError)
        XCTAssertEqual(scored.levels[0], scored.levels[1])
        XCTAssertEqual(scored.levels[2], scored.levels[3])
        XCTAssertEqual(Set(scored.levels[1]).count, 6, "the texts should reach every level")
        for p in stride(from: 0, to: pairs.count, by: 7) {
            XCTAssertEqual(scorer.level(1, Int(pairs.left[p]), Int(pairs.right[p])), Int(scored.levels[1][p]))
        }
    }

    func testSplinkSQLTranslation() throws {
        XCTAssertEqual(SplinkSQL.translate(#"cast(acos("x_l") * 2 as float) <= 1 and 'as float' = "y""r""#),
                       #"float32(acos(`x_l`) * 2) <= 1 and 'as float' = `y"r`"#)
        XCTAssertEqual(SplinkSQL.translate("CAST(a_l AS DOUBLE)"), "CAST(a_l AS DOUBLE)")
        let e = try SplinkSQL.parse(#""a_l" = "a_r" and b_l > 1 and zz_l is null"#, columns: ["a", "b"])
        XCTAssertEqual(e.columnReferences.map { "\($0.qualifier ?? "-").\($0.name)" }, ["l.a", "r.a", "l.b", "-.zz_l"])
    }

    /// strptime by its definition: days from the civil date, impossible dates refused.
    func testStrptime() {
        let day: Int64 = 86_400_000_000
        XCTAssertEqual(try StrptimeFormat.parse("1990-2-3", format: "%Y-%m-%d").get(), Int64(CivilTime.days(year: 1990, month: 2, day: 3)) * day)
        XCTAssertEqual(try StrptimeFormat.parse(" 03/02/1990 10:20:30.5", format: "%d/%m/%Y %H:%M:%S.%f").get(),
                       Int64(CivilTime.days(year: 1990, month: 2, day: 3)) * day + ((10 * 60 + 20) * 60 + 30) * 1_000_000 + 500_000)
        for bad in ["1990-02-30", "1990-13-01", "1990-02-03x", "", "19900203"] {
            guard case .failure(.noMatch) = StrptimeFormat.parse(bad, format: "%Y-%m-%d") else { return XCTFail("\(bad) should not parse") }
        }
        guard case .failure(.unsupported) = StrptimeFormat.parse("1990", format: "%G") else { return XCTFail("%G is not supported") }
    }

    /// DuckDB's UNION types: int64 with string is string (digits kept), int with double is
    /// double, date with timestamp is timestamp; an override that cannot read a value names
    /// the input, row, column and value.
    func testTwoInputsUnifyTheirTypes() throws {
        let a = try Table([("id", .string(["a1", "a2"])), ("no", .int64([12, 7])), ("x", .int64([1, 2])), ("d", try Column(type: .date, values: [.date(0), .null]))])
        let b = try Table([("d", try Column(type: .timestamp, values: [.timestamp(86_400_000_000)])), ("id", .string(["b1"])), ("no", .string(["12a"])),
                           ("x", .double([2.5]))])
        let model = FellegiSunterModel(uniqueIdColumn: "id", comparisons: [ComparisonLibrary.exact("no")])
        let t = try ResolutionInputs.concatenate([a, b], model: model, names: ["a.csv", "b.csv"])
        XCTAssertEqual(t.columnNames, ["id", "no", "x", "d"])
        func values(_ c: String) throws -> [Value] { let col = try t.column(c); return (0..<col.count).map { col.value(at: $0) } }
        XCTAssertEqual(try values("no"), [.string("12"), .string("7"), .string("12a")])
        XCTAssertEqual(try values("x"), [.double(1), .double(2), .double(2.5)])
        XCTAssertEqual(try t.column("d").type, .timestamp)
        XCTAssertEqual(try t.column("d").value(at: 2), .timestamp(86_400_000_000))
        var forced = model
        forced.columnTypes = ["no": .int64]
        XCTAssertThrowsError(try ResolutionInputs.concatenate([a, b], model: forced, names: ["a.csv", "b.csv"])) {
            let m = "\($0)"
            XCTAssertTrue(m.contains("b.csv") && m.contains("row 1") && m.contains("'no'") && m.contains("12a") && m.contains("int64"), m)
        }
    }

    /// Splink's EM sessions leave out every comparison reading a column of the blocking
    /// rule, also one that reads it beside others (ForenameSurname on fn and sn).
    func testEMLeavesOutComparisonsReadingABlockedColumn() throws {
        let fn = ["ann", "ann", "bob", "bob", "cat", "cat", "dan", "ann"], sn = ["lee", "lee", "ray", "rey", "kim", "kim", "fox", "ray"]
        let t = try Table([("id", .int64((0..<8).map(Int64.init))), ("fn", .string(fn)), ("sn", .string(sn)),
                           ("city", .string(["x", "x", "y", "y", "z", "z", "w", "x"]))])
        let names = Comparison(column: "fn_sn", levels: [
            ComparisonLibrary.sql(#"("fn_l" IS NULL OR "fn_r" IS NULL) AND ("sn_l" IS NULL OR "sn_r" IS NULL)"#, label: "null", isNull: true),
            ComparisonLibrary.sql(#"("fn_l" = "fn_r") AND ("sn_l" = "sn_r")"#, label: "both"),
            ComparisonLibrary.sql(#""sn_l" = "sn_r""#, label: "surname"), ComparisonLevel(.otherwise)])
        XCTAssertEqual(names.inputColumns(Set(t.columnNames)), ["fn", "sn"])
        var resolver = try EntityResolver(model: FellegiSunterModel(uniqueIdColumn: "id", comparisons: [names, ComparisonLibrary.exact("city")]), table: t)
        try resolver.train(TrainingPlan(maxPairs: 100, emBlockingRules: ["l.fn = r.fn"]))
        XCTAssertEqual(resolver.model.comparisons[0].levels.map(\.m), names.levels.map(\.m), "blocked on fn: names must keep their m")
        XCTAssertNotNil(resolver.model.comparisons[1].levels[1].m, "city is estimated")
    }
}
