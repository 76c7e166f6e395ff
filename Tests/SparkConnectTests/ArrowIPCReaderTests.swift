import Columnar
@testable import SparkConnect
import XCTest

/// An Arrow IPC stream written by pyarrow 26 (`pa.ipc.new_stream`) for the table
/// i32 int32 [1, null, -3]; i64 int64 [2^40, 5, null]; f64 float64 [0.5, null, -2.25];
/// s utf8 ["a", null, "héllo"]; b bool [true, false, null];
/// ts timestamp[us, UTC] [0, 1_700_000_000_000_000, null]; d date32 [0, 19000, null].
final class ArrowIPCReaderTests: XCTestCase {
    static let pyarrowStream: [String] = [
        "ffffffffa00100001000000000000a000c000600050008000a000000000104000c000000080008000000040008000000",
        "040000000700000038010000f8000000c400000098000000700000003000000004000000f4feffff0000010810000000",
        "14000000040000000000000001000000640000004effffff000000001cffffff0000010a100000001c00000004000000",
        "00000000020000007473000008000c0006000800080000000000020004000000030000005554430058ffffff00000106",
        "100000001400000004000000000000000100000062000000dcffffff7cffffff00000105100000001800000004000000",
        "0000000001000000730000000400040004000000a4ffffff00000103100000001c000000040000000000000003000000",
        "6636340000000600080006000600000000000200d4ffffff000001021000000014000000040000000000000003000000",
        "69363400c4ffffff0000000140000000100014000800060007000c00000010001000000000000102100000001c000000",
        "0400000000000000030000006933320008000c000800070008000000000000012000000000000000ffffffffb8010000",
        "14000000000000000c0016000600050008000c000c0000000003040018000000c00000000000000000000a0018000c00",
        "040008000a0000000c010000100000000300000000000000000000000f00000000000000000000000100000000000000",
        "08000000000000000c000000000000001800000000000000010000000000000020000000000000001800000000000000",
        "380000000000000001000000000000004000000000000000180000000000000058000000000000000100000000000000",
        "600000000000000010000000000000007000000000000000070000000000000078000000000000000100000000000000",
        "800000000000000001000000000000008800000000000000010000000000000090000000000000001800000000000000",
        "a8000000000000000100000000000000b0000000000000000c0000000000000000000000070000000300000000000000",
        "010000000000000003000000000000000100000000000000030000000000000001000000000000000300000000000000",
        "010000000000000003000000000000000100000000000000030000000000000001000000000000000300000000000000",
        "010000000000000005000000000000000100000000000000fdffffff0000000003000000000000000000000000010000",
        "050000000000000000000000000000000500000000000000000000000000e03f000000000000000000000000000002c0",
        "0500000000000000000000000100000001000000070000006168c3a96c6c6f0003000000000000000100000000000000",
        "0300000000000000000000000000000000401e18240a06000000000000000000030000000000000000000000384a0000",
        "0000000000000000ffffffff00000000",
    ]

    static var bytes: [UInt8] {
        let hex = Array(pyarrowStream.joined().utf8)
        return stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    func testDecodesPyarrowStreamWithNulls() throws {
        let t = try ArrowIPCReader.decode(Self.bytes)
        XCTAssertEqual(t.columnNames, ["i32", "i64", "f64", "s", "b", "ts", "d"])
        XCTAssertEqual(t.schema.fields.map(\.type), [.int32, .int64, .double, .string, .bool, .timestamp, .date])
        XCTAssertEqual(try t.column("i32").value(at: 0), .int(1))
        XCTAssertTrue(try t.column("i32").isNull(1))
        XCTAssertEqual(try t.column("i32").value(at: 2), .int(-3))
        XCTAssertEqual(try t.column("i64").value(at: 0), .int(1 << 40))
        XCTAssertTrue(try t.column("i64").isNull(2))
        XCTAssertEqual(try t.column("f64").value(at: 2), .double(-2.25))
        XCTAssertEqual(try t.column("s").value(at: 2), .string("héllo"))
        XCTAssertTrue(try t.column("s").isNull(1))
        XCTAssertEqual(try t.column("b").value(at: 0), .bool(true))
        XCTAssertEqual(try t.column("b").value(at: 1), .bool(false))
        XCTAssertTrue(try t.column("b").isNull(2))
        XCTAssertEqual(try t.column("ts").value(at: 1), .timestamp(1_700_000_000_000_000))
        XCTAssertEqual(try t.column("d").value(at: 1), .date(19000))
        XCTAssertTrue(try t.column("d").isNull(2))
    }

    func testEveryTruncationIsAnErrorNotACrash() {
        let full = Self.bytes
        for cut in stride(from: 1, to: full.count - 8, by: 7) {
            // A prefix either decodes to fewer rows (cut at a message boundary) or throws.
            if let t = try? ArrowIPCReader.decode(Array(full.prefix(cut))) { XCTAssertLessThanOrEqual(t.rowCount, 3) }
        }
    }

    func testCorruptedBytesNeverCrash() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var b = Self.bytes
            for _ in 0..<4 { b[Int.random(in: 8..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? ArrowIPCReader.decode(b)
        }
    }
}
