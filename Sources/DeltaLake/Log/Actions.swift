/// The typed actions of a Delta commit, following delta-io/delta PROTOCOL.md.
/// Each converts to and from the one-member JSON object that forms a log line.

/// `protocol`: the reader and writer versions a client needs.
public struct ProtocolAction: Equatable, Sendable {
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    public var readerFeatures: [String]?
    public var writerFeatures: [String]?

    public init(minReaderVersion: Int = 1, minWriterVersion: Int = 2, readerFeatures: [String]? = nil, writerFeatures: [String]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }
}

/// `metaData`: the table's identity, schema (Spark JSON), partition columns and settings.
public struct MetadataAction: Equatable, Sendable {
    public var id: String
    public var name: String?
    public var description: String?
    public var schemaString: String
    public var partitionColumns: [String]
    public var configuration: [String: String]
    public var createdTime: Int64?

    public init(id: String, name: String? = nil, description: String? = nil, schemaString: String, partitionColumns: [String], configuration: [String: String] = [:], createdTime: Int64?) {
        self.id = id
        self.name = name
        self.description = description
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }
}

/// `add`: a data file that belongs to the table from this version on.
public struct AddAction: Equatable, Sendable {
    /// Relative to the table root and URI-encoded (RFC 2396), as the protocol requires.
    public var path: String
    /// Partition column -> value as a string; nil for a null partition value.
    public var partitionValues: [String: String?]
    /// Exact byte size: readers use it to locate the Parquet footer.
    public var size: Int64
    public var modificationTime: Int64
    public var dataChange: Bool
    /// JSON text with numRecords, minValues, maxValues, nullCount (may be absent).
    public var stats: String?
    public var tags: [String: String]?
    /// The rows of the file that are logically deleted, when it has a deletion vector.
    public var deletionVector: DeletionVectorDescriptor?
    /// True when the file carries a deletion vector.
    public var hasDeletionVector: Bool { deletionVector != nil }

    public init(path: String, partitionValues: [String: String?], size: Int64, modificationTime: Int64, dataChange: Bool, stats: String?, tags: [String: String]? = nil, deletionVector: DeletionVectorDescriptor? = nil) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
        self.tags = tags
        self.deletionVector = deletionVector
    }
}

/// `remove`: a logical delete of a file (a tombstone, kept for vacuum's retention).
public struct RemoveAction: Equatable, Sendable {
    public var path: String
    public var deletionTimestamp: Int64?
    public var dataChange: Bool
    public var extendedFileMetadata: Bool?
    public var partitionValues: [String: String?]?
    public var size: Int64?
    /// The deletion vector of the logical file removed (path plus DV identify it).
    public var deletionVector: DeletionVectorDescriptor?

    public init(path: String, deletionTimestamp: Int64?, dataChange: Bool, extendedFileMetadata: Bool? = nil, partitionValues: [String: String?]? = nil, size: Int64? = nil,
                deletionVector: DeletionVectorDescriptor? = nil) {
        self.deletionVector = deletionVector
        self.path = path
        self.deletionTimestamp = deletionTimestamp
        self.dataChange = dataChange
        self.extendedFileMetadata = extendedFileMetadata
        self.partitionValues = partitionValues
        self.size = size
    }
}

/// `txn`: the last batch version an application committed (idempotent writes).
public struct TxnAction: Equatable, Sendable {
    public var appId: String
    public var version: Int64
    public var lastUpdated: Int64?

    public init(appId: String, version: Int64, lastUpdated: Int64? = nil) {
        self.appId = appId
        self.version = version
        self.lastUpdated = lastUpdated
    }
}

/// One line of a commit file.
public enum DeltaAction: Equatable, Sendable {
    case `protocol`(ProtocolAction)
    case metadata(MetadataAction)
    case add(AddAction)
    case remove(RemoveAction)
    case txn(TxnAction)
    /// Free-form provenance (`timestamp`, `operation`, `operationParameters`, ...), kept as JSON.
    case commitInfo(JSONValue)
    /// Actions this reader does not need (`cdc`, `domainMetadata`, ...); kept so they round-trip.
    case other(String, JSONValue)
}

/// `sidecar` (PROTOCOL.md "Sidecar File Information"): a Parquet file under
/// `_delta_log/_sidecars/` holding some of a V2-spec checkpoint's add and remove actions.
/// Only allowed inside V2-spec checkpoints; never part of a commit's replay.
public struct SidecarAction: Equatable, Sendable {
    /// URI-encoded; normally the bare file name inside `_delta_log/_sidecars/`.
    public var path: String
    /// The file's exact size (checked against the file before it is read).
    public var sizeInBytes: Int64
    public var modificationTime: Int64
    public var tags: [String: String]?

    public init(path: String, sizeInBytes: Int64, modificationTime: Int64, tags: [String: String]? = nil) {
        self.path = path
        self.sizeInBytes = sizeInBytes
        self.modificationTime = modificationTime
        self.tags = tags
    }
}

/// `checkpointMetadata` (PROTOCOL.md "Checkpoint Metadata"): exactly one in every V2-spec
/// checkpoint, naming the version the checkpoint holds.
public struct CheckpointMetadataAction: Equatable, Sendable {
    public var version: Int64
    public var tags: [String: String]?

    public init(version: Int64, tags: [String: String]? = nil) {
        self.version = version
        self.tags = tags
    }
}
