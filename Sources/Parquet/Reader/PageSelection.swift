import Columnar

/// Page skipping with the page index (PageIndex.md): which rows of a row group may satisfy
/// the predicates by the per-page min/max, which pages of each column hold them, and how a
/// column decoded from those pages is cut back to exactly the selected rows.
enum PageSelection {
    /// Sorted, disjoint, non-adjacent row ranges.
    typealias Rows = [Range<Int>]

    /// Row ranges of each page (`firstRowIndex` to the next page's), or nil when the offset
    /// index is not usable (first page not at row 0, rows not increasing, offsets outside
    /// the chunk): then the chunk is read whole.
    static func pageRows(_ index: OffsetIndex, groupRows: Int, chunk: Range<Int64>) -> [Range<Int>]? {
        let pages = index.pageLocations
        guard let first = pages.first, first.firstRowIndex == 0 else { return nil }
        var out: [Range<Int>] = []
        for (i, p) in pages.enumerated() {
            let start = Int(p.firstRowIndex)
            let end = i + 1 < pages.count ? Int(pages[i + 1].firstRowIndex) : groupRows
            guard start < end, end <= groupRows, chunk.contains(p.offset),
                  p.offset + Int64(p.compressedPageSize) <= chunk.upperBound else { return nil }
            out.append(start..<end)
        }
        return out
    }

    /// Rows of pages whose statistics may satisfy `predicate`.
    static func matchingRows(_ predicate: ParquetPredicate, leaf: SchemaNode, type: DataType, columnIndex: ColumnIndex, pageRows: [Range<Int>]) -> Rows {
        guard columnIndex.nullPages.count == pageRows.count else { return pageRows.isEmpty ? [] : [pageRows[0].lowerBound..<pageRows[pageRows.count - 1].upperBound] }
        var out: Rows = []
        for (i, rows) in pageRows.enumerated() {
            let stats: ColumnStatistics
            if columnIndex.nullPages[i] {
                stats = ColumnStatistics(min: nil, max: nil, nullCount: Int64(rows.count), valueCount: Int64(rows.count))
            } else {
                stats = ColumnStatistics(min: LogicalMapping.statValue(columnIndex.minValues[i], leaf: leaf, type: type),
                                         max: LogicalMapping.statValue(columnIndex.maxValues[i], leaf: leaf, type: type),
                                         nullCount: columnIndex.nullCounts?[i], valueCount: Int64(rows.count))
            }
            if predicate.mayMatch(stats) { out = union(out, [rows]) }
        }
        return out
    }

    static func union(_ a: Rows, _ b: Rows) -> Rows {
        let all = (a + b).sorted { $0.lowerBound < $1.lowerBound }
        var out: Rows = []
        for r in all where !r.isEmpty {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    static func intersect(_ a: Rows, _ b: Rows) -> Rows {
        var out: Rows = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let lo = max(a[i].lowerBound, b[j].lowerBound), hi = min(a[i].upperBound, b[j].upperBound)
            if lo < hi { out.append(lo..<hi) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return out
    }

    /// Positions, within rows decoded from `decoded` (concatenated), of the rows in `keep`
    /// (a subset of `decoded`).
    static func positions(of keep: Rows, in decoded: Rows) -> [Int] {
        var out: [Int] = []
        var base = 0
        var j = 0
        for d in decoded {
            while j < keep.count && keep[j].upperBound <= d.lowerBound { j += 1 }
            var k = j
            while k < keep.count && keep[k].lowerBound < d.upperBound {
                let lo = max(keep[k].lowerBound, d.lowerBound), hi = min(keep[k].upperBound, d.upperBound)
                if lo < hi { for r in lo..<hi { out.append(base + r - d.lowerBound) } }
                k += 1
            }
            base += d.count
        }
        return out
    }
}

extension LeafChunk {
    /// The chunk cut to the level entries at `keep` (ascending) of a non-repeated leaf.
    func keeping(_ keep: [Int], maxDefinitionLevel maxDef: Int) -> LeafChunk {
        var valueIndex: [Int] = []
        valueIndex.reserveCapacity(keep.count)
        var newDefs: [UInt8] = []
        if maxDef == 0 {
            valueIndex = keep
        } else {
            let m = UInt8(maxDef)
            var before = [Int](repeating: 0, count: levelCount)
            var seen = 0
            for i in 0..<levelCount {
                before[i] = seen
                if definitionLevels[i] == m { seen += 1 }
            }
            newDefs.reserveCapacity(keep.count)
            for k in keep {
                newDefs.append(definitionLevels[k])
                if definitionLevels[k] == m { valueIndex.append(before[k]) }
            }
        }
        return LeafChunk(definitionLevels: newDefs, repetitionLevels: [], values: values.gathered(valueIndex), levelCount: keep.count)
    }
}

extension PhysicalValues {
    /// The values at `indices`, in that order.
    func gathered(_ indices: [Int]) -> PhysicalValues {
        var out = PhysicalValues(type: type, typeLength: typeLength)
        switch type {
        case .boolean: out.bools = indices.map { bools[$0] }
        case .int32: out.i32 = indices.map { i32[$0] }
        case .int64, .int96: out.i64 = indices.map { i64[$0] }
        case .float: out.f32 = indices.map { f32[$0] }
        case .double: out.f64 = indices.map { f64[$0] }
        case .byteArray, .fixedLenByteArray:
            out.offsets.reserveCapacity(indices.count + 1)
            for i in indices {
                out.bytes.append(contentsOf: bytes[offsets[i]..<offsets[i + 1]])
                out.offsets.append(out.bytes.count)
            }
        }
        return out
    }
}
