import Columnar
import Foundation

/// A fresh temporary directory per test, removed at the end.
func temporaryDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "parquet-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A deterministic table with every Columnar type, nulls in every nullable column, repeated
/// values (dictionary-friendly) and a unique-string column.
func sampleTable(rows: Int, seed: UInt64 = 1) throws -> Table {
    var rng = SplitMix(seed)
    func nullable(_ i: Int) -> Bool { i % 7 == 3 }
    var cols: [(String, Column)] = []
    var b = ColumnBuilder(type: .int32)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(int: Int64(Int32(truncatingIfNeeded: rng.next() % 2000)) - 1000) } }
    cols.append(("i32", b.finish()))
    b = ColumnBuilder(type: .int64)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(int: Int64(bitPattern: rng.next())) } }
    cols.append(("i64", b.finish()))
    b = ColumnBuilder(type: .float)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(double: Double(i % 50) / 4) } }
    cols.append(("f32", b.finish()))
    b = ColumnBuilder(type: .double)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(double: Double(Int64(rng.next() % 100_000)) / 7) } }
    cols.append(("f64", b.finish()))
    b = ColumnBuilder(type: .bool)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(bool: i % 3 == 0) } }
    cols.append(("flag", b.finish()))
    b = ColumnBuilder(type: .string)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(string: "name-\(i % 97)-é") } }
    cols.append(("name", b.finish()))
    b = ColumnBuilder(type: .binary)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { [UInt8(i % 256), 0, 7].withUnsafeBufferPointer { b.append(bytes: $0) } } }
    cols.append(("blob", b.finish()))
    b = ColumnBuilder(type: .date)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(int: Int64(18000 + i % 900)) } }
    cols.append(("day", b.finish()))
    b = ColumnBuilder(type: .timestamp)
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(int: 1_684_000_000_000_000 + Int64(i) * 61_000_001) } }
    cols.append(("ts", b.finish()))
    b = ColumnBuilder(type: .decimal(precision: 7, scale: 2))
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(int: Int64(i * 13 - 9000)) } }
    cols.append(("dec_small", b.finish()))
    b = ColumnBuilder(type: .decimal(precision: 18, scale: 3))
    for i in 0..<rows { if nullable(i) { b.appendNull() } else { b.append(int: Int64(i) * 1_000_000_007 - 500_000_000_000) } }
    cols.append(("dec_big", b.finish()))
    cols.append(("dense", .string((0..<rows).map { "u\($0)" })))
    return try Table(cols)
}

struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Compares tables cell by cell with readable failures.
func firstDifference(_ a: Table, _ b: Table) -> String? {
    if a.columnNames != b.columnNames { return "names \(a.columnNames) vs \(b.columnNames)" }
    if a.rowCount != b.rowCount { return "rows \(a.rowCount) vs \(b.rowCount)" }
    for (i, name) in a.columnNames.enumerated() {
        if a.columns[i].type != b.columns[i].type { return "\(name): type \(a.columns[i].type) vs \(b.columns[i].type)" }
        for r in 0..<a.rowCount where a.value(row: r, column: i) != b.value(row: r, column: i) {
            return "\(name) row \(r): \(a.value(row: r, column: i)) vs \(b.value(row: r, column: i))"
        }
    }
    return nil
}
