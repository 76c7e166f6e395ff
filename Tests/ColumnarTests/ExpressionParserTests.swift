import XCTest
@testable import Columnar

final class ExpressionParserTests: XCTestCase {
    func testLiteralsAndDurations() throws {
        XCTAssertEqual(try Expression.parse("42"), .literal(.int(42), at: 0))
        XCTAssertEqual(try Expression.parse("1.5"), .literal(.double(1.5), at: 0))
        XCTAssertEqual(try Expression.parse("1e3"), .literal(.double(1000), at: 0))
        XCTAssertEqual(try Expression.parse("'it''s'"), .literal(.string("it's"), at: 0))
        XCTAssertEqual(try Expression.parse("TRUE"), .literal(.bool(true), at: 0))
        XCTAssertEqual(try Expression.parse("null"), .literal(.null, at: 0))
        XCTAssertEqual(try Expression.parse("30d"), .literal(.int(30 * 86_400_000_000), at: 0))
        XCTAssertEqual(try Expression.parse("12h"), .literal(.int(12 * 3_600_000_000), at: 0))
        XCTAssertEqual(try Expression.parse("15m"), .literal(.int(15 * 60_000_000), at: 0))
        XCTAssertEqual(try Expression.parse("10s"), .literal(.int(10_000_000), at: 0))
        XCTAssertEqual(try Expression.parse("-3"), .literal(.int(-3), at: 0))
    }

    func testColumnReferences() throws {
        XCTAssertEqual(try Expression.parse("e1.txn_amount"), .column(qualifier: "e1", name: "txn_amount", at: 0))
        XCTAssertEqual(try Expression.parse("msg"), .column(qualifier: nil, name: "msg", at: 0))
        XCTAssertEqual(try Expression.parse("`odd name`"), .column(qualifier: nil, name: "odd name", at: 0))
        XCTAssertEqual(try Expression.parse("l.`end`"), .column(qualifier: "l", name: "end", at: 0))
        XCTAssertEqual(try Expression.parse("`a``b`"), .column(qualifier: nil, name: "a`b", at: 0))
    }

    func testPrecedenceFollowsSQL() throws {
        // * binds tighter than +, + tighter than comparison, comparison tighter than not, not than and, and than or.
        let e = try Expression.parse("a + b * c > 1 or not d = 2 and e")
        guard case let .binary(.or, left, right, _) = e else { return XCTFail("\(e)") }
        guard case let .binary(.greater, sum, _, _) = left, case let .binary(.add, _, product, _) = sum,
              case .binary(.multiply, _, _, _) = product else { return XCTFail("\(left)") }
        guard case let .binary(.and, notPart, _, _) = right, case let .unary(.not, cmp, _) = notPart,
              case .binary(.equal, _, _, _) = cmp else { return XCTFail("\(right)") }
        // Left associativity of - and /.
        guard case let .binary(.subtract, inner, _, _) = try Expression.parse("a - b - c"),
              case .binary(.subtract, _, _, _) = inner else { return XCTFail() }
        // Unary minus binds tighter than *.
        guard case let .binary(.multiply, neg, _, _) = try Expression.parse("-a * b"), case .unary(.negate, _, _) = neg else { return XCTFail() }
    }

    func testPredicates() throws {
        guard case let .isNull(_, negated, _) = try Expression.parse("x is not null"), negated else { return XCTFail() }
        guard case let .inList(_, list, negated2, _) = try Expression.parse("x not in (1, 2, 3)"), negated2, list.count == 3 else { return XCTFail() }
        guard case .between(_, _, _, false, _) = try Expression.parse("x between 1 and 2 and y") else {
            // `between ... and` takes the first `and`; the second is logical.
            guard case let .binary(.and, b, _, _) = try Expression.parse("x between 1 and 2 and y"), case .between = b else { return XCTFail() }
            return
        }
        guard case .like(_, _, true, false, _) = try Expression.parse("name not like 'a%'") else { return XCTFail() }
        guard case let .caseWhen(arms, otherwise, _) = try Expression.parse("case when a then 1 when b then 2 else 3 end"),
              arms.count == 2, otherwise != nil else { return XCTFail() }
        guard case .cast(_, .int, _) = try Expression.parse("cast(x as bigint)") else { return XCTFail() }
        guard case let .call(name, args, _) = try Expression.parse("COALESCE(a, b, 0)"), name == "coalesce", args.count == 3 else { return XCTFail() }
    }

    func testConjunctsAndQualifiers() throws {
        let e = try Expression.parse("e1.dst = e2.src and e2.ts - e1.ts <= 30d and (a or b.x) and e2.amount > 10")
        let parts = e.conjuncts
        XCTAssertEqual(parts.count, 4)
        XCTAssertEqual(parts[0].qualifiers, ["e1", "e2"])
        XCTAssertEqual(parts[2].qualifiers, ["b"])
        XCTAssertTrue(parts[2].referencesPlainColumns)
        XCTAssertEqual(parts[3].qualifiers, ["e2"])
        XCTAssertEqual(Expression.conjunction(parts)?.conjuncts.count, 4)
    }

    func testProjectionList() throws {
        let items = try ExpressionParser.parseProjection("id, amount * 2 as doubled, upper(name)")
        XCTAssertEqual(items.map(\.name), ["id", "doubled", "upper(name)"])
    }

    private func syntaxError(_ text: String) -> ExpressionError? {
        do { _ = try Expression.parse(text); return nil } catch let e as ExpressionError { return e } catch { return nil }
    }

    func testSyntaxErrorsNameColumnAndExpectation() throws {
        let e1 = try XCTUnwrap(syntaxError("coalesce(a, b"))
        XCTAssertEqual(e1.kind, .syntax)
        XCTAssertEqual(e1.column, 14)
        XCTAssertTrue(e1.message.contains("expected ')'"), e1.message)
        XCTAssertEqual(e1.caretExcerpt, "  coalesce(a, b\n               ^")

        let e2 = try XCTUnwrap(syntaxError("a + * b"))
        XCTAssertEqual(e2.column, 5)
        XCTAssertTrue(e2.message.contains("expected a value"), e2.message)

        let e3 = try XCTUnwrap(syntaxError("name = 'open"))
        XCTAssertEqual(e3.column, 8)
        XCTAssertTrue(e3.message.contains("closing quote"))

        let e4 = try XCTUnwrap(syntaxError("x is nul"))
        XCTAssertEqual(e4.column, 6)
        XCTAssertTrue(e4.message.contains("expected 'null'"))

        let e5 = try XCTUnwrap(syntaxError("case when a then 1"))
        XCTAssertTrue(e5.message.contains("expected 'end'"))

        let e6 = try XCTUnwrap(syntaxError("30x"))
        XCTAssertTrue(e6.message.contains("duration unit"))

        let e7 = try XCTUnwrap(syntaxError("a b"))
        XCTAssertEqual(e7.column, 3)
        XCTAssertTrue(e7.description.hasPrefix("expression column 3: expected an operator"), e7.description)

        XCTAssertNotNil(syntaxError(""))
        XCTAssertNotNil(syntaxError("a # b"))
        XCTAssertNotNil(syntaxError(String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)))
    }
}
