/// The page index of apache/parquet-format (PageIndex.md): per column chunk, where each data
/// page starts and which rows it holds (`OffsetIndex`), and each page's min/max and null
/// count (`ColumnIndex`). Readers use it to skip pages a predicate rules out.

/// One data page of a column chunk (`PageLocation`).
public struct PageLocation: Sendable, Equatable {
    /// File offset of the page header.
    public var offset: Int64
    /// Header plus compressed body, in bytes.
    public var compressedPageSize: Int32
    /// Index, within the row group, of the page's first row.
    public var firstRowIndex: Int64
}

/// `OffsetIndex`: the data pages of one column chunk, in order.
public struct OffsetIndex: Sendable, Equatable {
    public var pageLocations: [PageLocation]
}

/// `ColumnIndex`: per-page statistics (plain-encoded bytes of the physical type, as in
/// `Statistics`). `nullPages[i]` marks a page of only nulls, whose min/max are empty.
public struct ColumnIndex: Sendable, Equatable {
    public var nullPages: [Bool]
    public var minValues: [[UInt8]]
    public var maxValues: [[UInt8]]
    /// 0 unordered, 1 ascending, 2 descending (`BoundaryOrder`).
    public var boundaryOrder: Int32
    public var nullCounts: [Int64]?
}

/// Where a column chunk's indexes are (`ColumnChunk` fields 4...7).
public struct PageIndexLocation: Sendable, Equatable {
    public var offsetIndexOffset: Int64?
    public var offsetIndexLength: Int32?
    public var columnIndexOffset: Int64?
    public var columnIndexLength: Int32?
}

extension ThriftReader {
    func readOffsetIndex() throws -> OffsetIndex {
        var pages: [PageLocation] = []
        var sawPages = false
        try readStruct { id, t in
            switch id {
            case 1:
                sawPages = true
                try readStructList(t) {
                    var p = PageLocation(offset: -1, compressedPageSize: -1, firstRowIndex: -1)
                    try readStruct { fid, ft in
                        switch fid {
                        case 1: try expect(ft, .i64); p.offset = try readI64()
                        case 2: try expect(ft, .i32); p.compressedPageSize = try readI32()
                        case 3: try expect(ft, .i64); p.firstRowIndex = try readI64()
                        default: try skip(ft)
                        }
                    }
                    guard p.offset >= 0, p.compressedPageSize > 0, p.firstRowIndex >= 0 else { throw DecodeError("page location without a valid offset, size or first row") }
                    pages.append(p)
                }
            default: try skip(t)
            }
        }
        guard sawPages else { throw DecodeError("offset index without page locations") }
        return OffsetIndex(pageLocations: pages)
    }

    private func readBinaryList(_ type: ThriftType) throws -> [[UInt8]] {
        guard type == .list else { throw DecodeError("expected a thrift list, found \(type)") }
        let (elem, count) = try readListHeader()
        guard elem == .binary else { throw DecodeError("expected a list of binary") }
        return try (0..<count).map { _ in try readBinary() }
    }

    func readColumnIndex() throws -> ColumnIndex {
        var c = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: 0, nullCounts: nil)
        try readStruct { id, t in
            switch id {
            case 1:
                guard t == .list else { throw DecodeError("expected a thrift list, found \(t)") }
                let (elem, count) = try readListHeader()
                guard elem == .boolTrue || elem == .boolFalse else { throw DecodeError("expected a list of bool") }
                // Compact protocol: one byte per list element, 1 for true.
                c.nullPages = try (0..<count).map { _ in try readByte() == 1 }
            case 2: c.minValues = try readBinaryList(t)
            case 3: c.maxValues = try readBinaryList(t)
            case 4: try expect(t, .i32); c.boundaryOrder = try readI32()
            case 5:
                guard t == .list else { throw DecodeError("expected a thrift list, found \(t)") }
                let (elem, count) = try readListHeader()
                guard elem == .i64 else { throw DecodeError("expected a list of i64") }
                c.nullCounts = try (0..<count).map { _ in try readI64() }
            default: try skip(t)
            }
        }
        let n = c.nullPages.count
        guard c.minValues.count == n, c.maxValues.count == n, c.nullCounts.map({ $0.count == n }) ?? true else {
            throw DecodeError("column index lists have different lengths")
        }
        return c
    }
}

extension ThriftWriter {
    mutating func offsetIndex(_ o: OffsetIndex) {
        structBody { w in
            w.listHeader(1, .structure, count: o.pageLocations.count)
            for p in o.pageLocations {
                w.structBody { w in
                    w.i64(1, p.offset)
                    w.i32(2, p.compressedPageSize)
                    w.i64(3, p.firstRowIndex)
                }
            }
        }
    }

    mutating func columnIndex(_ c: ColumnIndex) {
        structBody { w in
            w.listHeader(1, .boolTrue, count: c.nullPages.count)
            for b in c.nullPages { w.bytes.append(b ? 1 : 2) }
            w.listHeader(2, .binary, count: c.minValues.count)
            for v in c.minValues { w.rawBinary(v) }
            w.listHeader(3, .binary, count: c.maxValues.count)
            for v in c.maxValues { w.rawBinary(v) }
            w.i32(4, c.boundaryOrder)
            if let counts = c.nullCounts {
                w.listHeader(5, .i64, count: counts.count)
                for n in counts { w.zigzag(n) }
            }
        }
    }
}
