/// Thrift compact (de)serialisation of the footer and page headers, field ids as in
/// apache/parquet-format's parquet.thrift.

extension ThriftReader {
    private func enumValue<T: RawRepresentable>(_ type: ThriftType, _ what: String) throws -> T where T.RawValue == Int32 {
        try expect(type, .i32)
        let raw = try readI32()
        guard let v = T(rawValue: raw) else { throw DecodeError("unknown \(what) \(raw)") }
        return v
    }

    func readTimeUnit() throws -> TimeUnit {
        var unit = TimeUnit.micros
        try readStruct { id, t in
            switch id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            try skip(t)
        }
        return unit
    }

    func readLogicalType() throws -> LogicalType? {
        var result: LogicalType?
        try readStruct { id, t in
            guard t == .structure else { try skip(t); return }
            switch id {
            case 1: result = .string; try skip(t)
            case 2: result = .map; try skip(t)
            case 3: result = .list; try skip(t)
            case 4: result = .enumeration; try skip(t)
            case 5:
                var scale: Int32 = 0, precision: Int32 = 0
                try readStruct { fid, ft in
                    switch fid {
                    case 1: try expect(ft, .i32); scale = try readI32()
                    case 2: try expect(ft, .i32); precision = try readI32()
                    default: try skip(ft)
                    }
                }
                result = .decimal(scale: scale, precision: precision)
            case 6: result = .date; try skip(t)
            case 7, 8:
                var utc = false, unit = TimeUnit.micros
                try readStruct { fid, ft in
                    switch fid {
                    case 1: utc = try readBool(ft)
                    case 2: try expect(ft, .structure); unit = try readTimeUnit()
                    default: try skip(ft)
                    }
                }
                result = id == 7 ? .time(adjustedToUTC: utc, unit: unit) : .timestamp(adjustedToUTC: utc, unit: unit)
            case 10:
                var width: Int8 = 64, signed = true
                try readStruct { fid, ft in
                    switch fid {
                    case 1: try expect(ft, .byte); width = Int8(bitPattern: try readByte())
                    case 2: signed = try readBool(ft)
                    default: try skip(ft)
                    }
                }
                result = .integer(bitWidth: width, signed: signed)
            case 11: result = .unknown; try skip(t)
            case 12: result = .json; try skip(t)
            case 13: result = .bson; try skip(t)
            case 14: result = .uuid; try skip(t)
            case 15: result = .float16; try skip(t)
            default: try skip(t)
            }
        }
        return result
    }

    func readSchemaElement() throws -> SchemaElement {
        var e = SchemaElement(name: "")
        var sawName = false
        try readStruct { id, t in
            switch id {
            case 1: e.type = try enumValue(t, "physical type")
            case 2: try expect(t, .i32); e.typeLength = try readI32()
            case 3: e.repetition = try enumValue(t, "repetition type")
            case 4: try expect(t, .binary); e.name = try readString(); sawName = true
            case 5: try expect(t, .i32); e.numChildren = try readCount()
            case 6: try expect(t, .i32); e.convertedType = try readI32()
            case 7: try expect(t, .i32); e.scale = try readI32()
            case 8: try expect(t, .i32); e.precision = try readI32()
            case 9: try expect(t, .i32); e.fieldID = try readI32()
            case 10: try expect(t, .structure); e.logicalType = try readLogicalType()
            default: try skip(t)
            }
        }
        guard sawName else { throw DecodeError("schema element without a name") }
        return e
    }

    func readStatistics() throws -> Statistics {
        var s = Statistics()
        try readStruct { id, t in
            switch id {
            case 1: try expect(t, .binary); s.legacyMax = try readBinary()
            case 2: try expect(t, .binary); s.legacyMin = try readBinary()
            case 3: try expect(t, .i64); s.nullCount = try readI64()
            case 4: try expect(t, .i64); s.distinctCount = try readI64()
            case 5: try expect(t, .binary); s.maxValue = try readBinary()
            case 6: try expect(t, .binary); s.minValue = try readBinary()
            default: try skip(t)
            }
        }
        return s
    }

    func readColumnMetaData() throws -> ColumnMetaData {
        var type: PhysicalType?
        var encodings: [Int32] = [], path: [String] = []
        var codec: Int32 = 0
        var numValues: Int64 = -1, uncompressed: Int64 = 0, compressed: Int64 = -1, dataPageOffset: Int64 = -1
        var indexOffset: Int64?, dictOffset: Int64?
        var stats: Statistics?
        try readStruct { id, t in
            switch id {
            case 1: type = try enumValue(t, "physical type")
            case 2: encodings = try readI32List(t)
            case 3: path = try readStringList(t)
            case 4: try expect(t, .i32); codec = try readI32()
            case 5: try expect(t, .i64); numValues = try readI64()
            case 6: try expect(t, .i64); uncompressed = try readI64()
            case 7: try expect(t, .i64); compressed = try readI64()
            case 9: try expect(t, .i64); dataPageOffset = try readI64()
            case 10: try expect(t, .i64); indexOffset = try readI64()
            case 11: try expect(t, .i64); dictOffset = try readI64()
            case 12: try expect(t, .structure); stats = try readStatistics()
            default: try skip(t)
            }
        }
        guard let type else { throw DecodeError("column metadata without a type") }
        guard numValues >= 0, compressed >= 0, dataPageOffset >= 0 else {
            throw DecodeError("column metadata for \(path.joined(separator: ".")) lacks or has negative num_values/total_compressed_size/data_page_offset")
        }
        return ColumnMetaData(type: type, encodings: encodings, pathInSchema: path, codecRaw: codec, numValues: numValues,
                              totalUncompressedSize: uncompressed, totalCompressedSize: compressed,
                              dataPageOffset: dataPageOffset, indexPageOffset: indexOffset,
                              dictionaryPageOffset: dictOffset, statistics: stats)
    }

    func readColumnChunk() throws -> ColumnChunkMetaData {
        var c = ColumnChunkMetaData(filePath: nil, fileOffset: 0, metaData: nil)
        try readStruct { id, t in
            switch id {
            case 1: try expect(t, .binary); c.filePath = try readString()
            case 2: try expect(t, .i64); c.fileOffset = try readI64()
            case 3: try expect(t, .structure); c.metaData = try readColumnMetaData()
            case 4: try expect(t, .i64); c.pageIndex.offsetIndexOffset = try readI64()
            case 5: try expect(t, .i32); c.pageIndex.offsetIndexLength = try readI32()
            case 6: try expect(t, .i64); c.pageIndex.columnIndexOffset = try readI64()
            case 7: try expect(t, .i32); c.pageIndex.columnIndexLength = try readI32()
            case 8, 9: throw UnsupportedError("encrypted column chunks")
            default: try skip(t)
            }
        }
        return c
    }

    func readRowGroup() throws -> RowGroupMetaData {
        var g = RowGroupMetaData(columns: [], totalByteSize: 0, numRows: -1)
        try readStruct { id, t in
            switch id {
            case 1: try readStructList(t) { g.columns.append(try readColumnChunk()) }
            case 2: try expect(t, .i64); g.totalByteSize = try readI64()
            case 3: try expect(t, .i64); g.numRows = try readI64()
            case 5: try expect(t, .i64); g.fileOffset = try readI64()
            case 6: try expect(t, .i64); g.totalCompressedSize = try readI64()
            case 7: try expect(t, .i16); g.ordinal = Int16(truncatingIfNeeded: try readI64())
            default: try skip(t)
            }
        }
        guard g.numRows >= 0 else { throw DecodeError("row group without a valid num_rows") }
        return g
    }

    func readFileMetaData() throws -> FileMetaData {
        var m = FileMetaData(version: 1, schema: [], numRows: -1, rowGroups: [], keyValueMetadata: [:], createdBy: nil)
        try readStruct { id, t in
            switch id {
            case 1: try expect(t, .i32); m.version = try readI32()
            case 2: try readStructList(t) { m.schema.append(try readSchemaElement()) }
            case 3: try expect(t, .i64); m.numRows = try readI64()
            case 4: try readStructList(t) { m.rowGroups.append(try readRowGroup()) }
            case 5:
                try readStructList(t) {
                    var key = "", value: String?
                    try readStruct { fid, ft in
                        switch fid {
                        case 1: try expect(ft, .binary); key = try readString()
                        case 2: try expect(ft, .binary); value = try readString()
                        default: try skip(ft)
                        }
                    }
                    m.keyValueMetadata[key] = value ?? ""
                }
            case 6: try expect(t, .binary); m.createdBy = try readString()
            case 8: throw UnsupportedError("encrypted footers")
            default: try skip(t)
            }
        }
        guard m.numRows >= 0 else { throw DecodeError("footer without a valid num_rows") }
        guard !m.schema.isEmpty else { throw DecodeError("footer without a schema") }
        return m
    }

    func readPageHeader() throws -> PageHeader {
        var h = PageHeader()
        var sawSizes = (false, false)
        try readStruct { id, t in
            switch id {
            case 1: try expect(t, .i32); h.kindRaw = try readI32()
            case 2: try expect(t, .i32); h.uncompressedSize = try readCount(); sawSizes.0 = true
            case 3: try expect(t, .i32); h.compressedSize = try readCount(); sawSizes.1 = true
            case 4: try expect(t, .i32); h.crc = UInt32(bitPattern: try readI32())
            case 5, 7:
                try expect(t, .structure)
                h.sawSubHeader = true
                h.subHeaderFields.append(id)
                try readStruct { fid, ft in
                    switch fid {
                    case 1: try expect(ft, .i32); h.numValues = try readCount()
                    case 2: try expect(ft, .i32); h.encodingRaw = try readI32()
                    case 3 where id == 5: try expect(ft, .i32); h.defLevelEncodingRaw = try readI32()
                    case 4 where id == 5: try expect(ft, .i32); h.repLevelEncodingRaw = try readI32()
                    default: try skip(ft)
                    }
                }
            case 8:
                try expect(t, .structure)
                h.sawSubHeader = true
                h.subHeaderFields.append(id)
                try readStruct { fid, ft in
                    switch fid {
                    case 1: try expect(ft, .i32); h.numValues = try readCount()
                    case 2: try expect(ft, .i32); h.numNulls = try readCount()
                    case 3: try expect(ft, .i32); h.numRows = try readCount()
                    case 4: try expect(ft, .i32); h.encodingRaw = try readI32()
                    case 5: try expect(ft, .i32); h.defLevelsByteLength = try readCount()
                    case 6: try expect(ft, .i32); h.repLevelsByteLength = try readCount()
                    case 7: h.isCompressed = try readBool(ft)
                    default: try skip(ft)
                    }
                }
            default: try skip(t)
            }
        }
        guard sawSizes.0, sawSizes.1 else { throw DecodeError("page header without sizes") }
        return h
    }
}

extension ThriftWriter {
    mutating func logicalType(_ id: Int16, _ type: LogicalType) {
        structField(id) { w in
            func empty(_ fid: Int16) { w.structField(fid) { _ in } }
            switch type {
            case .string: empty(1)
            case .map: empty(2)
            case .list: empty(3)
            case .enumeration: empty(4)
            case let .decimal(scale, precision): w.structField(5) { w in w.i32(1, scale); w.i32(2, precision) }
            case .date: empty(6)
            case let .time(utc, u): w.structField(7) { w in w.bool(1, utc); w.structField(2) { w in
                switch u { case .millis: w.structField(1) { _ in }; case .micros: w.structField(2) { _ in }; case .nanos: w.structField(3) { _ in } }
            } }
            case let .timestamp(utc, u): w.structField(8) { w in w.bool(1, utc); w.structField(2) { w in
                switch u { case .millis: w.structField(1) { _ in }; case .micros: w.structField(2) { _ in }; case .nanos: w.structField(3) { _ in } }
            } }
            case let .integer(width, signed): w.structField(10) { w in w.byte(1, UInt8(bitPattern: width)); w.bool(2, signed) }
            case .unknown: empty(11)
            case .json: empty(12)
            case .bson: empty(13)
            case .uuid: empty(14)
            case .float16: empty(15)
            }
        }
    }

    mutating func statistics(_ id: Int16, _ s: Statistics) {
        structField(id) { w in
            if let n = s.nullCount { w.i64(3, n) }
            if let v = s.maxValue { w.binary(5, v) }
            if let v = s.minValue { w.binary(6, v) }
        }
    }

    mutating func fileMetaData(_ m: FileMetaData) {
        structBody { w in
            w.i32(1, m.version)
            w.listHeader(2, .structure, count: m.schema.count)
            for e in m.schema {
                w.structBody { w in
                    if let t = e.type { w.i32(1, t.rawValue) }
                    if let l = e.typeLength { w.i32(2, l) }
                    if let r = e.repetition { w.i32(3, r.rawValue) }
                    w.string(4, e.name)
                    if let n = e.numChildren { w.i32(5, Int32(n)) }
                    if let c = e.convertedType { w.i32(6, c) }
                    if let s = e.scale { w.i32(7, s) }
                    if let p = e.precision { w.i32(8, p) }
                    if let f = e.fieldID { w.i32(9, f) }
                    if let l = e.logicalType { w.logicalType(10, l) }
                }
            }
            w.i64(3, m.numRows)
            w.listHeader(4, .structure, count: m.rowGroups.count)
            for (ordinal, g) in m.rowGroups.enumerated() {
                w.structBody { w in
                    w.listHeader(1, .structure, count: g.columns.count)
                    for c in g.columns {
                        w.structBody { w in
                            w.i64(2, c.fileOffset)
                            if let md = c.metaData {
                                w.structField(3) { w in
                                    w.i32(1, md.type.rawValue)
                                    w.listHeader(2, .i32, count: md.encodings.count)
                                    for e in md.encodings { w.zigzag(Int64(e)) }
                                    w.listHeader(3, .binary, count: md.pathInSchema.count)
                                    for p in md.pathInSchema { w.rawBinary(Array(p.utf8)) }
                                    w.i32(4, md.codecRaw)
                                    w.i64(5, md.numValues)
                                    w.i64(6, md.totalUncompressedSize)
                                    w.i64(7, md.totalCompressedSize)
                                    w.i64(9, md.dataPageOffset)
                                    if let d = md.dictionaryPageOffset { w.i64(11, d) }
                                    if let s = md.statistics { w.statistics(12, s) }
                                }
                            }
                            if let o = c.pageIndex.offsetIndexOffset, let l = c.pageIndex.offsetIndexLength { w.i64(4, o); w.i32(5, l) }
                            if let o = c.pageIndex.columnIndexOffset, let l = c.pageIndex.columnIndexLength { w.i64(6, o); w.i32(7, l) }
                        }
                    }
                    w.i64(2, g.totalByteSize)
                    w.i64(3, g.numRows)
                    if let f = g.fileOffset { w.i64(5, f) }
                    if let t = g.totalCompressedSize { w.i64(6, t) }
                    w.fieldHeader(7, .i16)
                    w.zigzag(Int64(ordinal))
                }
            }
            if !m.keyValueMetadata.isEmpty {
                w.listHeader(5, .structure, count: m.keyValueMetadata.count)
                for (k, v) in m.keyValueMetadata.sorted(by: { $0.key < $1.key }) {
                    w.structBody { w in w.string(1, k); w.string(2, v) }
                }
            }
            if let c = m.createdBy { w.string(6, c) }
            // column_orders: TYPE_ORDER for every leaf, so readers trust min_value/max_value.
            let leaves = m.schema.filter { ($0.numChildren ?? 0) == 0 && $0.type != nil }.count
            w.listHeader(7, .structure, count: leaves)
            for _ in 0..<leaves { w.structBody { w in w.structField(1) { _ in } } }
        }
    }

    /// Serialises a data page (V1) or dictionary page header.
    mutating func pageHeader(kind: PageHeader.Kind, uncompressed: Int, compressed: Int, numValues: Int,
                             encoding: Encoding, crc: UInt32, statistics: Statistics? = nil) {
        structBody { w in
            w.i32(1, kind.rawValue)
            w.i32(2, Int32(uncompressed))
            w.i32(3, Int32(compressed))
            w.i32(4, Int32(bitPattern: crc))
            if kind == .dictionaryPage {
                w.structField(7) { w in
                    w.i32(1, Int32(numValues))
                    w.i32(2, encoding.rawValue)
                }
            } else {
                w.structField(5) { w in
                    w.i32(1, Int32(numValues))
                    w.i32(2, encoding.rawValue)
                    w.i32(3, Encoding.rle.rawValue)
                    w.i32(4, Encoding.rle.rawValue)
                    if let statistics { w.statistics(5, statistics) }
                }
            }
        }
    }
}
