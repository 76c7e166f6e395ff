import Columnar
@testable import Parquet
import XCTest

/// Nested Columnar columns (lists, structs, maps, nested in each other) written to Parquet
/// and read back as nested columns: the values built here by hand are what comes back,
/// nulls and empty lists kept apart at every level, across row groups.
final class NestedColumnTests: XCTestCase {
    let point = DataType.structure([Field("x", .int64), Field("label", .string)])

    func schema() -> Schema {
        Schema([
            Field("id", .int64, nullable: false),
            Field("ints", .list(Field("element", .int64))),
            Field("grid", .list(Field("element", .list(Field("element", .int32, nullable: false))))),
            Field("p", point),
            Field("attrs", .map(key: Field("key", .string, nullable: false), value: Field("value", .double))),
            Field("path", .list(Field("element", point))),
        ])
    }

    /// Row `i`: every shape, with nulls, empty lists and null elements at rows chosen by `i`.
    func row(_ i: Int) -> [Value] {
        let ints: Value = i % 5 == 0 ? .null : .list((0..<(i % 4)).map { k in k == 1 ? .null : .int(Int64(i * 10 + k)) })
        let grid: Value = i % 7 == 3 ? .null : .list((0..<(i % 3)).map { k in .list((0..<k).map { .int(Int64($0 + i)) }) })
        let p: Value = i % 6 == 1 ? .null : .structure(names: ["x", "label"], values: [i % 4 == 2 ? .null : .int(Int64(-i)), .string("p\(i)")])
        let attrs: Value = i % 8 == 5 ? .null : .map(keys: (0..<(i % 3)).map { .string("k\($0)") },
                                                       values: (0..<(i % 3)).map { $0 == 1 ? .null : .double(Double(i) / 4) })
        let path: Value = i % 9 == 2 ? .null : .list((0..<(i % 3)).map { k in
            k == 1 ? .null : .structure(names: ["x", "label"], values: [.int(Int64(k)), k == 0 ? .null : .string("s\(k)")])
        })
        return [.int(Int64(i)), ints, grid, p, attrs, path]
    }

    func table(_ n: Int) throws -> Table {
        let rows = (0..<n).map(row)
        let s = schema()
        return try Table(schema: s, columns: s.fields.indices.map { c in try Column(type: s.fields[c].type, values: rows.map { $0[c] }) })
    }

    func testNestedColumnsRoundTripThroughParquet() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try table(300)
        var options = ParquetWriteOptions()
        options.rowGroupSize = 128
        let path = "\(dir)/nested.parquet"
        let info = try ParquetWriter.write(t, to: path, options: options)
        XCTAssertEqual(info.rowGroups, 3)
        let back = try ParquetReader(path: path).readTable(nestedColumns: true)
        XCTAssertEqual(back.schema.fields.map(\.type), schema().fields.map(\.type))
        for r in 0..<300 { XCTAssertEqual(back.row(r), row(r), "row \(r)") }
        // Projection of one nested column and the flat one.
        let some = try ParquetReader(path: path).readTable(columns: ["path", "id"], nestedColumns: true)
        XCTAssertEqual(some.columnNames, ["path", "id"])
        XCTAssertEqual(some.row(11), [row(11)[5], .int(11)])
    }

    func testGatherAndConcatenateKeepNestedRows() throws {
        let t = try table(40)
        let picked = [39, 0, 5, 5, 17, 3]
        let g = t.gather(picked)
        for (k, r) in picked.enumerated() { XCTAssertEqual(g.row(k), row(r)) }
        let both = try Table.concatenate([t.slice(0..<20), t.slice(20..<40)])
        for r in 0..<40 { XCTAssertEqual(both.row(r), row(r)) }
    }

    func testNestedCellsPrintAsJSON() throws {
        XCTAssertEqual(row(5)[5].description, #"[{"x":0,"label":null},null]"#)
        XCTAssertEqual(row(10)[4].description, #"{"k0":2.5}"#)
        XCTAssertEqual(row(2)[3].description, #"{"x":null,"label":"p2"}"#)
    }

    func testStructFieldsAreMatchedByName() throws {
        let v = Value.structure(names: ["label", "extra"], values: [.string("a"), .int(1)])
        XCTAssertEqual(v.reshaped(to: point), .structure(names: ["x", "label"], values: [.null, .string("a")]))
    }
}
