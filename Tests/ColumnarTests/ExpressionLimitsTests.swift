import XCTest
@testable import Columnar

/// Expressions of any length either evaluate or are refused with a clean error; none may
/// overflow the stack (every pass after the parser recurses over the tree).
final class ExpressionLimitsTests: XCTestCase {
    private func table() throws -> Table {
        try Table([("x", .int64([1, 2, 3, -1])), ("y", .double([0.5, 1.5, 2.5, 3.5]))])
    }

    private func chain(_ term: String, _ op: String, _ n: Int) -> String {
        Array(repeating: term, count: n).joined(separator: " \(op) ")
    }

    func testHundredThousandConjunctsEvaluate() throws {
        let t = try table()
        for (op, expected) in [("and", [true, true, true, false]), ("or", [true, true, true, false])] {
            let text = chain("x > 0", op, 100_000)
            let e = try ExpressionEvaluator(text, scope: ExpressionScope([("", t.schema)]))
            XCTAssertEqual(try e.mask(["": ExpressionInput(t)]), expected, op)
            // The single-row path recurses over the same tree.
            let row = try e.rowEvaluator(["": t])
            XCTAssertEqual(try row.value(rows: [3]), .bool(false), op)
            // Balanced, so its height is logarithmic, and it still splits into its conjuncts.
            if op == "and" { XCTAssertEqual(e.expression.conjuncts.count, 100_000) }
        }
    }

    func testHundredThousandTermArithmeticIsRefusedCleanly() throws {
        for op in ["+", "*", "-", "||", "/"] {
            let term = op == "||" ? "'a'" : "x"
            XCTAssertThrowsError(try Expression.parse(chain(term, op, 100_000)), op) { error in
                guard let e = error as? ExpressionError else { return XCTFail("\(op): \(error)") }
                XCTAssertTrue("\(e)".contains("too long"), "\(e)")
            }
        }
        XCTAssertThrowsError(try Expression.parse(chain("x", "<", 100_000)))
        XCTAssertThrowsError(try Expression.parse(String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000)))
        XCTAssertThrowsError(try Expression.parse(String(repeating: "-", count: 100_000) + "x"))
        XCTAssertThrowsError(try Expression.parse(String(repeating: "not ", count: 100_000) + "true"))
    }

    func testChainsWithinTheLimitKeepSQLLeftAssociativity() throws {
        let t = try table()
        // 150 terms: under the limit; left-deep, so 1 - 1 - 1 ... = 1 - 149.
        let e = try ExpressionEvaluator(chain("1", "-", 150), scope: ExpressionScope([("", t.schema)]))
        XCTAssertEqual(try e.evaluate([:], rowCount: 1).value(at: 0), .int(-148))
        // Nesting and chains share one budget: 150 parentheses around a 100-term sum is too tall.
        let tall = String(repeating: "(", count: 150) + chain("x", "+", 100) + String(repeating: ")", count: 150)
        XCTAssertThrowsError(try Expression.parse(tall))
    }
}
