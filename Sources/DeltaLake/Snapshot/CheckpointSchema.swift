import Columnar
import Parquet

/// The Parquet schema of a classic checkpoint (PROTOCOL.md "Checkpoint Schema"): one
/// top-level struct column per action type; each row holds exactly one non-null action.
enum CheckpointSchema {
    static let stringMap = NestedType.map(key: .string, value: NestedField("value", .string, nullable: true))

    static let protocolType = NestedType.structure([
        NestedField("minReaderVersion", .int32, nullable: false),
        NestedField("minWriterVersion", .int32, nullable: false),
        NestedField("readerFeatures", .list(NestedField("element", .string, nullable: false)), nullable: true),
        NestedField("writerFeatures", .list(NestedField("element", .string, nullable: false)), nullable: true),
    ])
    static let metadataType = NestedType.structure([
        NestedField("id", .string, nullable: false),
        NestedField("name", .string),
        NestedField("description", .string),
        NestedField("format", .structure([NestedField("provider", .string, nullable: false), NestedField("options", stringMap)]), nullable: false),
        NestedField("schemaString", .string, nullable: false),
        NestedField("partitionColumns", .list(NestedField("element", .string, nullable: false)), nullable: false),
        NestedField("configuration", stringMap),
        NestedField("createdTime", .int64),
    ])
    static let txnType = NestedType.structure([
        NestedField("appId", .string, nullable: false),
        NestedField("version", .int64, nullable: false),
        NestedField("lastUpdated", .int64),
    ])
    static let addType = NestedType.structure([
        NestedField("path", .string, nullable: false),
        NestedField("partitionValues", stringMap, nullable: false),
        NestedField("size", .int64, nullable: false),
        NestedField("modificationTime", .int64, nullable: false),
        NestedField("dataChange", .bool, nullable: false),
        NestedField("stats", .string),
        NestedField("tags", stringMap),
    ])
    static let removeType = NestedType.structure([
        NestedField("path", .string, nullable: false),
        NestedField("deletionTimestamp", .int64),
        NestedField("dataChange", .bool, nullable: false),
        NestedField("extendedFileMetadata", .bool),
        NestedField("partitionValues", stringMap),
        NestedField("size", .int64),
    ])

    static let fields: [NestedField] = [
        NestedField("protocol", protocolType),
        NestedField("metaData", metadataType),
        NestedField("txn", txnType),
        NestedField("add", addType),
        NestedField("remove", removeType),
    ]
}
