/// The structures of parquet.thrift that this implementation reads and writes, with the
/// names and numbering of apache/parquet-format. Fields the reader does not use are skipped.

/// Physical storage type of a leaf column (`Type` in parquet.thrift).
public enum PhysicalType: Int32, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
}

/// `FieldRepetitionType`: required, optional (nullable) or repeated (a list level).
public enum Repetition: Int32, Sendable {
    case required = 0, optional = 1, repeated = 2
}

/// Value and level encodings (`Encoding`).
public enum Encoding: Int32, Sendable, CustomStringConvertible {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    public var description: String {
        switch self {
        case .plain: return "PLAIN"
        case .plainDictionary: return "PLAIN_DICTIONARY"
        case .rle: return "RLE"
        case .bitPacked: return "BIT_PACKED"
        case .deltaBinaryPacked: return "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: return "DELTA_BYTE_ARRAY"
        case .rleDictionary: return "RLE_DICTIONARY"
        case .byteStreamSplit: return "BYTE_STREAM_SPLIT"
        }
    }
}

/// Time unit of TIME/TIMESTAMP logical types.
public enum TimeUnit: Sendable, Equatable {
    case millis, micros, nanos
}

/// `LogicalType` (the modern annotation); `ConvertedType` values are mapped onto it on read.
public enum LogicalType: Sendable, Equatable {
    case string, map, list, enumeration, json, bson, uuid, float16, unknown
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(adjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(adjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, signed: Bool)
}

/// Legacy `ConvertedType` codes used by this implementation.
enum ConvertedType {
    static let utf8: Int32 = 0, map: Int32 = 1, mapKeyValue: Int32 = 2, list: Int32 = 3, enumeration: Int32 = 4
    static let decimal: Int32 = 5, date: Int32 = 6, timeMillis: Int32 = 7, timeMicros: Int32 = 8
    static let timestampMillis: Int32 = 9, timestampMicros: Int32 = 10
    static let uint8: Int32 = 11, uint16: Int32 = 12, uint32: Int32 = 13, uint64: Int32 = 14
    static let int8: Int32 = 15, int16: Int32 = 16, int32: Int32 = 17, int64: Int32 = 18, json: Int32 = 19, bson: Int32 = 20
}

/// One node of the flattened schema tree (depth-first, groups carry `numChildren`).
public struct SchemaElement: Sendable, Equatable {
    public var type: PhysicalType?
    public var typeLength: Int32?
    public var repetition: Repetition?
    public var name: String
    public var numChildren: Int?
    public var convertedType: Int32?
    public var scale: Int32?
    public var precision: Int32?
    public var fieldID: Int32?
    public var logicalType: LogicalType?

    public init(name: String, type: PhysicalType? = nil, repetition: Repetition? = nil, numChildren: Int? = nil) {
        self.name = name
        self.type = type
        self.repetition = repetition
        self.numChildren = numChildren
    }
}

/// Column-chunk statistics as stored (plain-encoded bytes of the physical type).
public struct Statistics: Sendable, Equatable {
    /// Deprecated signed-order min/max (fields 1, 2); read only when `minValue`/`maxValue` are absent.
    public var legacyMax: [UInt8]?
    public var legacyMin: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?

    public init() {}
}

/// `ColumnMetaData`: where a column chunk's pages are and what they hold.
public struct ColumnMetaData: Sendable, Equatable {
    public var type: PhysicalType
    public var encodings: [Int32]
    public var pathInSchema: [String]
    public var codecRaw: Int32
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?

    public var codec: CompressionCodec? { CompressionCodec(rawValue: codecRaw) }
}

/// `ColumnChunk`: one column of one row group.
public struct ColumnChunkMetaData: Sendable, Equatable {
    public var filePath: String?
    public var fileOffset: Int64
    public var metaData: ColumnMetaData?
    /// Where this chunk's offset and column indexes are, when written.
    public var pageIndex = PageIndexLocation()
}

/// `RowGroup`.
public struct RowGroupMetaData: Sendable, Equatable {
    public var columns: [ColumnChunkMetaData]
    public var totalByteSize: Int64
    public var numRows: Int64
    public var fileOffset: Int64?
    public var totalCompressedSize: Int64?
    public var ordinal: Int16?
}

/// `FileMetaData`: the footer.
public struct FileMetaData: Sendable, Equatable {
    public var version: Int32
    public var schema: [SchemaElement]
    public var numRows: Int64
    public var rowGroups: [RowGroupMetaData]
    public var keyValueMetadata: [String: String]
    public var createdBy: String?
}

/// `PageHeader` with the variants this reader decodes.
struct PageHeader {
    enum Kind: Int32 { case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3 }
    var kindRaw: Int32 = -1
    var uncompressedSize = 0
    var compressedSize = 0
    /// CRC-32 (gzip polynomial) of the page bytes after the header, when the writer stored one.
    var crc: UInt32?
    // DATA_PAGE / DATA_PAGE_V2 / DICTIONARY_PAGE
    var numValues = 0
    var encodingRaw: Int32 = 0
    var defLevelEncodingRaw: Int32 = Encoding.rle.rawValue
    var repLevelEncodingRaw: Int32 = Encoding.rle.rawValue
    // V2 only
    var numNulls = 0
    var numRows = 0
    var defLevelsByteLength = 0
    var repLevelsByteLength = 0
    var isCompressed = true
    var sawSubHeader = false
    /// Thrift field ids of the page-type headers present (5 data, 7 dictionary, 8 data V2).
    var subHeaderFields: [Int16] = []

    /// True when exactly the sub-header the page type needs is present: a dictionary page
    /// relabelled as a data page (or the reverse) carries the wrong one and is corrupt.
    var subHeaderMatchesKind: Bool {
        switch kind {
        case .dataPage: return subHeaderFields == [5]
        case .dictionaryPage: return subHeaderFields == [7]
        case .dataPageV2: return subHeaderFields == [8]
        default: return true
        }
    }

    var kind: Kind? { Kind(rawValue: kindRaw) }
}
