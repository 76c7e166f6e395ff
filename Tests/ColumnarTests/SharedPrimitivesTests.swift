import Foundation
import XCTest
@testable import Columnar

/// The primitives every layer shares, each checked against an independent computation.
final class SharedPrimitivesTests: XCTestCase {
    /// Foundation's JSON parser reads back exactly the string we escaped, control characters
    /// and non-ASCII included.
    func testJSONTextRoundTripsThroughFoundation() throws {
        let samples = ["plain", "quote \" and \\ backslash", "line\nbreak\r\ttab", "\u{01}\u{1F}ctl", "ünïcødé ✓", ""]
        for s in samples {
            let doc = "[" + JSONText.quoted(s) + "]"
            let back = try JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String]
            XCTAssertEqual(back, [s])
        }
    }

    /// SplitMix64 against the reference sequence computed by hand from the published
    /// constants (Steele, Lea and Flood) in plain UInt64 arithmetic.
    func testSplitMix64MatchesTheReferenceRecurrence() {
        var rng = SplitMix64(seed: 42)
        var state: UInt64 = 42
        for _ in 0..<100 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            XCTAssertEqual(rng.next(), z ^ (z >> 31))
        }
    }

    /// Chunked parallel sums equal the serial sum whatever the chunk count.
    func testParallelChunksCoverEveryIndexOnce() {
        let n = 100_003
        for chunks in [1, 3, 64] {
            var hits = [Int](repeating: 0, count: n)
            hits.withUnsafeMutableBufferPointer { b in
                let out = b
                parallelChunks(count: n, chunks: chunks, minimumChunk: 1) { _, range in for i in range { out[i] += 1 } }
            }
            XCTAssertEqual(hits, [Int](repeating: 1, count: n))
        }
    }

    /// Every row the whole filter keeps satisfies each extracted comparison, and the
    /// comparisons found are the `column op literal` terms of the top-level `and`.
    func testRowFilterComparisonsAreImpliedByTheFilter() throws {
        var ids: [Int64] = [], names: [String] = [], amounts: [Double] = []
        for i in 0..<500 { ids.append(Int64(i)); names.append(["a", "b", "c"][i % 3]); amounts.append(Double((i * 37) % 1000)) }
        let table = try Table([("id", .int64(ids)), ("name", .string(names)), ("amount", .double(amounts))])
        let filter = try RowFilter("id >= 100 and 900 > amount and name = 'b' and (amount < 5 or id != 7)")
        let comparisons = filter.comparisons(in: table.schema)
        XCTAssertEqual(comparisons, [ColumnComparison("id", .ge, .int(100)), ColumnComparison("amount", .lt, .int(900)),
                                     ColumnComparison("name", .eq, .string("b"))])
        let kept = try filter.apply(table)
        // The same rows computed directly in Swift.
        let expected = (0..<500).filter { i in i >= 100 && amounts[i] < 900 && names[i] == "b" && (amounts[i] < 5 || i != 7) }
        XCTAssertEqual(kept.rowCount, expected.count)
        for c in comparisons {
            let column = try kept.column(c.column)
            for r in 0..<kept.rowCount { XCTAssertTrue(c.matches(column.value(at: r))) }
        }
    }

    /// Skipping by bounds never drops a range that holds a matching value (checked by
    /// enumerating every value of small integer ranges).
    func testMayMatchIsConservative() {
        for op in ColumnComparison.Op.allCases {
            for lo in 0..<6 {
                for hi in lo..<6 {
                    for x in -1..<7 {
                        let c = ColumnComparison("k", op, .int(Int64(x)))
                        let anyMatch = (lo...hi).contains { c.matches(.int(Int64($0))) }
                        let may = c.mayMatch(min: .int(Int64(lo)), max: .int(Int64(hi)), allNull: false)
                        if anyMatch { XCTAssertTrue(may, "\(op) \(x) on [\(lo), \(hi)]") }
                        if !may { XCTAssertFalse(anyMatch) }
                    }
                }
            }
        }
    }

    /// A syntax error names the line and column where Foundation's parser stopped.
    func testJSONFileNamesLineAndColumn() throws {
        let text = "{\n  \"a\": 1,\n  \"b\": tru\n}"
        XCTAssertThrowsError(try JSONFile.object(data: Data(text.utf8), file: "s.json")) { error in
            let e = error as! SettingsFileError
            XCTAssertEqual(e.file, "s.json")
            XCTAssertEqual(e.line, 3)
            XCTAssertFalse(e.description.contains("NSCocoaErrorDomain"))
        }
        XCTAssertThrowsError(try JSONFile.object(path: "/nonexistent/settings.json")) { error in
            XCTAssertTrue("\(error)".contains("no such file"))
        }
    }

    /// Numbers are the doubles their text names (Swift's correctly rounded `Double(String)`),
    /// including ones Foundation's JSONSerialization reads an ulp or two off on Linux; integers
    /// and booleans keep their kinds.
    func testJSONFileReadsNumbersExactly() throws {
        let texts = ["0.8500000000000001", "0.7000000000000001", "0.30000000000000004", "0.1", "1e-300", "2.2250738585072014e-308",
                     "0.9999999999999999", "123456.78901234567"]
        let doc = "{\"xs\": [\(texts.joined(separator: ", "))], \"n\": 42, \"big\": 12345678901234567890, \"t\": true, \"z\": null}"
        let object = try JSONFile.object(data: Data(doc.utf8), file: "m.json")
        let xs = try XCTUnwrap(object["xs"] as? [NSNumber]).map(\.doubleValue)
        for (text, x) in zip(texts, xs) {
            XCTAssertEqual(x.bitPattern, Double(text)!.bitPattern, text)
        }
        XCTAssertEqual(object["n"] as? Int, 42)
        XCTAssertEqual((object["big"] as? NSNumber)?.doubleValue, Double("12345678901234567890"))
        XCTAssertEqual(object["t"] as? Bool, true)
        XCTAssertTrue(object["z"] is NSNull)
    }

    func testKeySuggestionFindsTheNearestKey() {
        XCTAssertEqual(KeySuggestion.nearest("trainng", in: ["training", "minhash", "comparisons"]), "training")
        XCTAssertEqual(KeySuggestion.nearest("blocking_rule_to_generate_predictions", in: ["blocking_rules_to_generate_predictions", "link_type"]),
                       "blocking_rules_to_generate_predictions")
        XCTAssertNil(KeySuggestion.nearest("zzzz", in: ["training"]))
    }

    /// `StringArray.compare` (eight bytes at a time, then the tail) against Swift's
    /// lexicographic order of the UTF-8 bytes, on strings sharing long prefixes, of every
    /// length around the eight-byte step, with bytes above 0x7F.
    func testStringArrayCompareIsByteOrder() {
        let alphabet: [String] = ["a", "b", "A", " ", "é", "\u{7F}", "z", "0"]
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let prefix = "shared prefix of some length "
        let strings = (0..<400).map { _ in
            (next(2) == 0 ? String(prefix.prefix(next(prefix.count + 1))) : "") + (0..<next(20)).map { _ in alphabet[next(alphabet.count)] }.joined()
        }
        let array = StringArray(strings)
        for i in 0..<strings.count {
            for j in 0..<strings.count where (i + j) % 3 == 0 {
                let a = Array(strings[i].utf8), b = Array(strings[j].utf8)
                let expected = a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
                XCTAssertEqual(array.compare(i, j), expected, "\(strings[i]) vs \(strings[j])")
            }
        }
        // The min/max scans: the first smallest and the first largest by Swift's byte order.
        func firstExtreme(_ slots: [Int], _ better: ([UInt8], [UInt8]) -> Bool) -> Int? {
            var best: Int?
            for i in slots where best == nil || better(Array(strings[i].utf8), Array(strings[best!].utf8)) { best = i }
            return best
        }
        let all = Array(0..<strings.count), odd = all.filter { $0 % 2 == 1 }
        let lo = firstExtreme(all) { $0.lexicographicallyPrecedes($1) }, hi = firstExtreme(all) { $1.lexicographicallyPrecedes($0) }
        XCTAssertEqual(array.minMaxSlots(all).map { [$0.min, $0.max] }, [lo!, hi!])
        XCTAssertEqual(array.minMaxSlots(in: 0..<strings.count).map { [$0.min, $0.max] }, [lo!, hi!])
        let oddLo = firstExtreme(odd) { $0.lexicographicallyPrecedes($1) }, oddHi = firstExtreme(odd) { $1.lexicographicallyPrecedes($0) }
        XCTAssertEqual(array.minMaxSlots(in: 0..<strings.count, isNull: { $0 % 2 == 0 }).map { [$0.min, $0.max] }, [oddLo!, oddHi!])
        XCTAssertNil(array.minMaxSlots([]))
        XCTAssertNil(array.minMaxSlots(in: 0..<strings.count, isNull: { _ in true }))
    }
}
