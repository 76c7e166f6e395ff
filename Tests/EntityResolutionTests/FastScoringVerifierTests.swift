import Columnar
import XCTest
@testable import EntityResolution

/// The fast blocking and scoring kernels against slow, obvious references: full-matrix
/// metrics, a per-pair level search on `PreparedColumn.holds`, weights from the model's own
/// `weight`/`tfAdjustment`, and blocking by evaluating each whole rule on every pair.
final class FastScoringVerifierTests: XCTestCase {
    /// Random short texts over a small alphabet (so that near-equal pairs are common), with
    /// some upper case, some non-ASCII scalars and a few long ones.
    func texts(_ count: Int, seed: UInt64, ascii: Bool = false) -> [String] {
        var rng = SplitMix64(seed: seed)
        let alphabet = Array(ascii ? "abcdeABC 12x" : "abcdeABC 12é")
        return (0..<count).map { k in
            let length = k % 17 == 0 ? 60 + Int(rng.next() % 20) : Int(rng.next() % 12)
            return String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(k % 5 == 0 ? alphabet.count : 8))] })
        }
    }

    func testBoundedLevenshteinMatchesFullDistance() {
        let t = texts(300, seed: 7).map(Scalars.of)
        let rows = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * 100 + 4)
        defer { rows.deallocate() }
        for a in t.prefix(120) {
            for b in t.prefix(120) {
                let full = levenshteinDistance(a, b)
                for bound in [0, 1, 3, 6] {
                    let fast = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                        boundedLevenshteinDistance(pa, pb, bound: bound, rows: rows) } }
                    XCTAssertEqual(fast, min(full, bound + 1), "\(a) / \(b), bound \(bound): expected min(full distance \(full), bound + 1)")
                }
            }
        }
    }

    func testBitParallelJaroIsBitIdentical() {
        let t = texts(300, seed: 11).map(Scalars.of)
        let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: 128)
        masks.initialize(repeating: 0, count: 128)
        defer { masks.deallocate() }
        var fastPaths = 0
        for a in t.prefix(150) {
            for b in t.prefix(150) {
                let fast = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in jaroSimilarityASCII64(pa, pb, table: masks) } }
                guard let fast else { continue }
                fastPaths += 1
                XCTAssertEqual(fast.bitPattern, jaroSimilarity(a, b).bitPattern, "\(a) / \(b): expected the general Jaro, bit for bit")
            }
        }
        XCTAssertGreaterThan(fastPaths, 1000)
        XCTAssertTrue((0..<128).allSatisfy { masks[$0] == 0 }, "the mask table must be left zeroed")
    }

    func model() -> FellegiSunterModel {
        var name = ComparisonLibrary.jaroWinkler("name", [0.9, 0.7], tf: true)
        var address = ComparisonLibrary.levenshtein("address", [1, 3], tf: true)
        let amount = Comparison(column: "amount", levels: [ComparisonLevel(.null), ComparisonLevel(.exact), ComparisonLevel(.absoluteDifference(5)),
                                                           ComparisonLevel(.otherwise)])
        for l in name.levels.indices { name.levels[l].m = 0.1 + Double(l) * 0.2; name.levels[l].u = 0.3 / Double(l + 1) }
        for l in address.levels.indices { address.levels[l].m = 0.05 + Double(l) * 0.1; address.levels[l].u = 0.2 / Double(l + 2) }
        return FellegiSunterModel(uniqueIdColumn: "id", lambda: 0.001,
                                  comparisons: [name, address, ComparisonLibrary.jaro("name", [0.8]), ComparisonLibrary.damerauLevenshtein("address", [2]),
                                                ComparisonLibrary.jaccard("name", [0.5]), amount])
    }

    func table(_ n: Int, ascii: Bool = false) throws -> Table {
        let names = texts(n, seed: 3, ascii: ascii), addresses = texts(n, seed: 5, ascii: ascii)
        var rng = SplitMix64(seed: 9)
        let amount = try Column(type: .double, values: (0..<n).map { k in k % 13 == 0 ? .null : .double(Double(rng.next() % 20)) })
        let name = try Column(type: .string, values: names.enumerated().map { k, s in k % 11 == 0 ? .null : .string(s) })
        return try Table([("id", .int64((0..<n).map { Int64(n - $0) })), ("name", name), ("address", .string(addresses)), ("amount", amount)])
    }

    func testScoringKernelMatchesPerPairReference() throws {
        let n = 150
        let t = try table(n), model = model()
        let scorer = try Scorer(model: model, table: t)
        var pairs = CandidatePairs()
        for i in 0..<n { for j in 0..<n where (i * 31 + j * 17) % 3 == 0 { pairs.left.append(Int32(i)); pairs.right.append(Int32(j)); pairs.matchKey.append(0) } }
        let scored = scorer.score(pairs)
        XCTAssertEqual(scorer.levels(pairs), scored.levels)
        for p in 0..<pairs.count {
            let i = Int(pairs.left[p]), j = Int(pairs.right[p])
            var w = model.priorWeight
            for c in model.comparisons.indices {
                let level = scorer.level(c, i, j)
                XCTAssertEqual(Int(scored.levels[c][p]), level, "pair (\(i), \(j)), comparison \(c): expected the first level whose condition holds")
                w += model.weight(c, level)
                if let tf = scorer.tfColumns[c] { w += model.tfAdjustment(c, level, tfL: tf.tf[i], tfR: tf.tf[j]) }
            }
            XCTAssertEqual(scored.matchWeight[p].bitPattern, w.bitPattern, "pair (\(i), \(j)): expected the reference weight bit for bit")
            XCTAssertEqual(scored.matchProbability[p].bitPattern, matchProbability(w).bitPattern)
        }
    }

    /// Every ordered pair the link type allows, with the first rule whose whole expression
    /// holds: Splink's OR-ed blocking, evaluated the slow way.
    func referencePairs(_ t: Table, rules: [String], order: [Int]) throws -> [(Int32, Int32, UInt8)] {
        let n = t.rowCount
        var li: [Int32] = [], ri: [Int32] = []
        for i in 0..<n { for j in 0..<n where order[i] < order[j] { li.append(Int32(i)); ri.append(Int32(j)) } }
        let scope = ExpressionScope([("l", t.schema), ("r", t.schema)], plain: [])
        let masks = try rules.map { text -> [Bool] in
            let rule = try BlockingRule(text)
            return try ExpressionEvaluator(rule.expression, source: text, scope: scope)
                .mask(["l": ExpressionInput(t, rows: .int32(li)), "r": ExpressionInput(t, rows: .int32(ri))])
        }
        var out: [(Int32, Int32, UInt8)] = []
        for k in rules.indices {
            for p in li.indices where masks[k][p] && !(0..<k).contains(where: { masks[$0][p] }) { out.append((li[p], ri[p], UInt8(k))) }
        }
        return out
    }

    func testBlockerMatchesWholeRuleEvaluation() throws {
        // ASCII keys take the byte-level key path; the other table falls back to the evaluator.
        for ascii in [true, false] { try checkBlocker(try table(120, ascii: ascii)) }
    }

    func checkBlocker(_ t: Table) throws {
        let n = t.rowCount
        let rules = [
            "substr(lower(l.name),1,2) = substr(lower(r.name),1,2) and substr(l.address,-3) = substr(r.address,-3)",
            "lower(l.address) = lower(r.address)",
            "l.amount = r.amount and substr(upper(l.name), 2, 1) = substr(upper(r.name), 2, 1) and l.id < r.id + 40",
            "substr(l.address,1,1) = substr(r.address,1,1) and abs(l.amount - r.amount) <= 1",
            "l.name = r.name",
        ]
        let order = Blocker.order(ids: try t.column("id"), source: [UInt8](repeating: 0, count: n), linkType: .dedupeOnly)
        let (pairs, counts) = try Blocker(rules: try rules.map(BlockingRule.init))
            .pairs(t, order: order, source: [UInt8](repeating: 0, count: n), linkType: .dedupeOnly)
        let expected = try referencePairs(t, rules: rules, order: order)
        XCTAssertGreaterThan(expected.count, 100)
        // Within a rule the blocker orders by left then right row; compare as sets per rule,
        // and the order separately.
        XCTAssertEqual(pairs.count, expected.count, "expected one pair per allowed record pair that some rule produces")
        let got = Set((0..<pairs.count).map { "\(pairs.left[$0]),\(pairs.right[$0]),\(pairs.matchKey[$0])" })
        XCTAssertEqual(got, Set(expected.map { "\($0.0),\($0.1),\($0.2)" }))
        XCTAssertEqual(counts.map(\.1), rules.indices.map { k in expected.filter { $0.2 == UInt8(k) }.count })
        for p in 1..<pairs.count where pairs.matchKey[p] == pairs.matchKey[p - 1] {
            XCTAssertTrue((pairs.left[p - 1], pairs.right[p - 1]) < (pairs.left[p], pairs.right[p]), "pairs of one rule come in (left row, right row) order")
        }
    }
}
