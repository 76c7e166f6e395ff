import XCTest
@testable import Columnar

final class ExpressionEvaluatorTests: XCTestCase {
    /// A small table with nulls in every column type.
    private func sample() throws -> Table {
        var amount = ColumnBuilder(type: .double), count = ColumnBuilder(type: .int64), flag = ColumnBuilder(type: .bool), name = ColumnBuilder(type: .string)
        for a in [10.5, nil, -2.0, 0.0] as [Double?] { if let a { amount.append(double: a) } else { amount.appendNull() } }
        for c in [3, 7, nil, -4] as [Int64?] { if let c { count.append(int: c) } else { count.appendNull() } }
        for f in [true, false, nil, true] as [Bool?] { if let f { flag.append(bool: f) } else { flag.appendNull() } }
        for s in ["Alice", " bob ", nil, "Ünïcode"] as [String?] { if let s { name.append(string: s) } else { name.appendNull() } }
        return try Table([("amount", amount.finish()), ("count", count.finish()), ("flag", flag.finish()), ("name", name.finish()),
                          ("ts", .timestamp([0, 86_400_000_000, 2 * 86_400_000_000, 40 * 86_400_000_000]))])
    }

    private func values(_ text: String, _ table: Table? = nil) throws -> [Value] {
        let t = try table ?? sample()
        let e = try ExpressionEvaluator(text, scope: ExpressionScope([("", t.schema)]))
        let col = try e.evaluate(["": ExpressionInput(t)])
        let vectorised = (0..<col.count).map { col.value(at: $0) }
        // The single-row path must agree with the vectorised one.
        let row = try e.rowEvaluator(["": t])
        let single = try (0..<t.rowCount).map { r in try row.value(rows: row.qualifiers.map { _ in r }) }
        if !e.references.isEmpty { XCTAssertEqual(vectorised, single.map { canonical($0, col.type) }, text) }
        return vectorised
    }

    private func canonical(_ v: Value, _ type: DataType) -> Value {
        if case let .int(x) = v, type == .double { return .double(Double(x)) }
        return v
    }

    private func type(_ text: String) throws -> ExpressionType {
        try ExpressionEvaluator(text, scope: ExpressionScope([("", try sample().schema)])).resultType
    }

    func testArithmeticAndPromotion() throws {
        XCTAssertEqual(try values("count + 1"), [.int(4), .int(8), .null, .int(-3)])
        XCTAssertEqual(try values("count / 2"), [.double(1.5), .double(3.5), .null, .double(-2)])
        XCTAssertEqual(try type("count / 2"), .double)
        XCTAssertEqual(try type("count * 2"), .int)
        XCTAssertEqual(try type("count * 2.0"), .double)
        XCTAssertEqual(try values("count % 3"), [.int(0), .int(1), .null, .int(-1)])
        XCTAssertEqual(try values("count % 0"), [.null, .null, .null, .null])
        XCTAssertEqual(try values("amount * count"), [.double(31.5), .null, .null, .double(-0.0)])
        XCTAssertEqual(try values("-amount"), [.double(-10.5), .null, .double(2), .double(-0.0)])
        XCTAssertEqual(try values("1 / 0")[0], .double(.infinity))
        XCTAssertEqual(try values("ts + 1d")[0], .timestamp(86_400_000_000))
        XCTAssertEqual(try values("ts - ts")[3], .int(0))
        XCTAssertEqual(try values("ts - cast(0 as timestamp) <= 2d"), [.bool(true), .bool(true), .bool(true), .bool(false)])
        XCTAssertEqual(try values("name || '!'")[0], .string("Alice!"))
    }

    func testComparisonsAndThreeValuedLogic() throws {
        XCTAssertEqual(try values("amount > 0"), [.bool(true), .null, .bool(false), .bool(false)])
        XCTAssertEqual(try values("count = 3.0"), [.bool(true), .bool(false), .null, .bool(false)])
        XCTAssertEqual(try values("count <> 3"), [.bool(false), .bool(true), .null, .bool(true)])
        // null and false = false; null or true = true; otherwise null.
        XCTAssertEqual(try values("flag and amount > 0"), [.bool(true), .bool(false), .bool(false), .bool(false)])
        XCTAssertEqual(try values("flag or amount > 0"), [.bool(true), .null, .null, .bool(true)])
        XCTAssertEqual(try values("not flag"), [.bool(false), .bool(true), .null, .bool(false)])
        XCTAssertEqual(try values("null and false")[0], .bool(false))
        XCTAssertEqual(try values("null or true")[0], .bool(true))
        XCTAssertEqual(try values("amount is null"), [.bool(false), .bool(true), .bool(false), .bool(false)])
        XCTAssertEqual(try values("name is not null"), [.bool(true), .bool(true), .bool(false), .bool(true)])
        XCTAssertEqual(try values("count in (3, -4)"), [.bool(true), .bool(false), .null, .bool(true)])
        XCTAssertEqual(try values("count in (3, null)"), [.bool(true), .null, .null, .null])
        XCTAssertEqual(try values("count not in (3, 5)"), [.bool(false), .bool(true), .null, .bool(true)])
        XCTAssertEqual(try values("count between -4 and 3"), [.bool(true), .bool(false), .null, .bool(true)])
        XCTAssertEqual(try values("name like 'A%'"), [.bool(true), .bool(false), .null, .bool(false)])
        XCTAssertEqual(try values("name like '_b_%'"), [.bool(false), .bool(true), .null, .bool(false)])
        XCTAssertEqual(try values("name ilike 'a%'")[0], .bool(true))
        XCTAssertEqual(try values("name not like '%o%'"), [.bool(true), .bool(false), .null, .bool(false)])
    }

    func testCaseAndIfAreLazy() throws {
        XCTAssertEqual(try values("case when count > 5 then 'big' when count > 0 then 'small' else 'other' end"),
                       [.string("small"), .string("big"), .string("other"), .string("other")])
        XCTAssertEqual(try values("case when flag then 1 end"), [.int(1), .null, .null, .int(1)])
        XCTAssertEqual(try values("if(amount > 0, amount, 0)"), [.double(10.5), .double(0), .double(0), .double(0)])
        // The untaken branch would fail (sqrt of a negative number) but is never evaluated.
        XCTAssertEqual(try values("case when amount >= 0 then sqrt(amount) else 0 end")[2], .double(0))
    }

    func testFunctions() throws {
        XCTAssertEqual(try values("coalesce(amount, count, 0)"), [.double(10.5), .double(7), .double(-2), .double(0)])
        XCTAssertEqual(try values("abs(count)"), [.int(3), .int(7), .null, .int(4)])
        XCTAssertEqual(try values("greatest(amount, count)"), [.double(10.5), .double(7), .double(-2), .double(0)])
        XCTAssertEqual(try values("least(amount, count)"), [.double(3), .double(7), .double(-2), .double(-4)])
        XCTAssertEqual(try values("lower(name)")[3], .string("ünïcode"))
        XCTAssertEqual(try values("upper(name)")[0], .string("ALICE"))
        XCTAssertEqual(try values("trim(name)")[1], .string("bob"))
        XCTAssertEqual(try values("length(name)"), [.int(5), .int(5), .null, .int(7)])
        XCTAssertEqual(try values("substr(name, 2, 3)")[0], .string("lic"))
        XCTAssertEqual(try values("substr(name, 0, 2)")[0], .string("A"))
        XCTAssertEqual(try values("substr(name, -2, 2)")[0], .string("ce"))
        XCTAssertEqual(try values("substr(name, 3)")[0], .string("ice"))
        XCTAssertEqual(try values("round(2.5)")[0], .double(3))
        XCTAssertEqual(try values("round(-2.5)")[0], .double(-3))
        XCTAssertEqual(try values("round(1.2345, 2)")[0], .double(1.23))
        XCTAssertEqual(try values("round(count)")[0], .int(3))
        XCTAssertEqual(try values("floor(-1.5)")[0], .double(-2))
        XCTAssertEqual(try values("ceil(1.2)")[0], .double(2))
        XCTAssertEqual(try values("sqrt(16)")[0], .double(4))
        XCTAssertEqual(try values("ln(1)")[0], .double(0))
        XCTAssertEqual(try values("exp(0)")[0], .double(1))
        XCTAssertEqual(try values("pow(2, 10)")[0], .double(1024))
        XCTAssertEqual(try values("iff(flag, 'y', 'n')"), [.string("y"), .string("n"), .string("n"), .string("y")])
        XCTAssertEqual(try values("cast(amount as int)"), [.int(10), .null, .int(-2), .int(0)])
        XCTAssertEqual(try values("cast(2.5 as int)")[0], .int(2))
        XCTAssertEqual(try values("cast(count as string)")[0], .string("3"))
        XCTAssertEqual(try values("cast('12' as int) + 1")[0], .int(13))
        XCTAssertEqual(try values("cast('2024-01-02' as date)")[0], .date(19724))
        XCTAssertEqual(try values("cast(flag as int)"), [.int(1), .int(0), .null, .int(1)])
    }

    func testTypeErrorsAreLocated() throws {
        let scope = ExpressionScope([("", try sample().schema)])
        func failure(_ text: String) -> ExpressionError? {
            do { _ = try ExpressionEvaluator(text, scope: scope); return nil } catch let e as ExpressionError { return e } catch { return nil }
        }
        let unknown = try XCTUnwrap(failure("amount + amout"))
        XCTAssertEqual(unknown.kind, .unknownColumn)
        XCTAssertEqual(unknown.column, 10)
        XCTAssertTrue(unknown.message.contains("columns are: amount"), unknown.message)
        let fn = try XCTUnwrap(failure("frobnicate(amount)"))
        XCTAssertEqual(fn.kind, .unknownFunction)
        XCTAssertTrue(fn.message.contains("coalesce"))
        XCTAssertEqual(try XCTUnwrap(failure("abs(1, 2)")).kind, .unknownFunction)
        let mismatch = try XCTUnwrap(failure("count = 'x'"))
        XCTAssertEqual(mismatch.kind, .typeMismatch)
        XCTAssertEqual(mismatch.column, 9)
        XCTAssertEqual(try XCTUnwrap(failure("flag + 1")).kind, .typeMismatch)
        XCTAssertEqual(try XCTUnwrap(failure("name like 3")).column, 11)
        XCTAssertEqual(try XCTUnwrap(failure("x.amount")).kind, .unknownColumn)
        XCTAssertThrowsError(try ExpressionEvaluator("amount", scope: scope).requireBool())
    }

    func testEvaluationErrorsAreLocated() throws {
        let t = try sample()
        let e = try ExpressionEvaluator("1 + sqrt(amount)", scope: ExpressionScope([("", t.schema)]))
        XCTAssertThrowsError(try e.evaluate(["": ExpressionInput(t)])) { error in
            let err = error as? ExpressionError
            XCTAssertEqual(err?.kind, .evaluation)
            XCTAssertEqual(err?.column, 5)
        }
        let overflow = try ExpressionEvaluator("count * 9223372036854775807", scope: ExpressionScope([("", t.schema)]))
        XCTAssertThrowsError(try overflow.evaluate(["": ExpressionInput(t)]))
    }

    func testQualifiedBindingsThroughRowIndices() throws {
        let vertices = try Table([("id", .int64([10, 20, 30])), ("risk", .double([1, 2, 4]))])
        let edges = try Table([("amount", .double([100, 200, 300, 400]))])
        let src: [UInt32] = [0, 1, 2, 2], dst: [Int32] = [1, 2, 0, 1]
        let scope = ExpressionScope([("src", vertices.schema), ("dst", vertices.schema), ("e", edges.schema)], plain: [])
        let e = try ExpressionEvaluator("src.risk * e.amount + dst.id", scope: scope)
        XCTAssertEqual(e.qualifiers, ["src", "dst", "e"])
        let col = try e.evaluate(["src": ExpressionInput(vertices, rows: .uint32(src)),
                                  "dst": ExpressionInput(vertices, rows: .int32(dst)),
                                  "e": ExpressionInput(edges)])
        XCTAssertEqual(col, .double([120, 430, 1210, 1620]))
        // Plain names are not searched when `plain` is empty.
        XCTAssertThrowsError(try ExpressionEvaluator("risk", scope: scope))
        // Bad row indices are caught before evaluation.
        XCTAssertThrowsError(try e.evaluate(["src": ExpressionInput(vertices, rows: .int([0, 1, 2, 3])),
                                             "dst": ExpressionInput(vertices, rows: .int32(dst)), "e": ExpressionInput(edges)]))
        // Predicates: mask and selection.
        let p = try ExpressionEvaluator("src.risk >= 2 and e.amount < 400", scope: scope)
        let inputs = ["src": ExpressionInput(vertices, rows: .uint32(src)), "e": ExpressionInput(edges)]
        XCTAssertEqual(try p.mask(inputs), [false, true, true, false])
        XCTAssertEqual(try p.selection(inputs), [1, 2])
        // Single-row path, one conjunct at a time.
        for conjunct in p.expression.conjuncts {
            let c = try ExpressionEvaluator(conjunct, source: "src.risk >= 2 and e.amount < 400", scope: scope)
            XCTAssertEqual(c.qualifiers.count, 1)
        }
        let row = try p.rowEvaluator(["src": vertices, "e": edges])
        XCTAssertEqual(row.qualifiers, ["src", "e"])
        XCTAssertTrue(try row.test(rows: [2, 2]))
        XCTAssertFalse(try row.test(rows: [0, 0]))
        XCTAssertEqual(try row.value(["src": 2, "e": 3]), .bool(false))
    }

    func testAmbiguousPlainNames() throws {
        let a = Schema([Field("x", .int64)]), b = Schema([Field("x", .int64), Field("y", .int64)])
        let scope = ExpressionScope([("l", a), ("r", b)])
        XCTAssertThrowsError(try ExpressionEvaluator("x > 1", scope: scope)) { error in
            XCTAssertTrue("\(error)".contains("ambiguous"))
        }
        XCTAssertNoThrow(try ExpressionEvaluator("y > 1 and l.x = r.x", scope: scope))
    }
}
