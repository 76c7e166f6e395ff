import Columnar
import Foundation

/// The state of a table at one version: a pure function of the log up to that version.
/// Built from the newest usable checkpoint at or below the version plus the JSON commits
/// after it (delta-rs / delta-kernel do the same).
public struct Snapshot: Sendable {
    public let root: String
    public let version: Int64
    public let protocolAction: ProtocolAction
    public let metadata: MetadataAction
    /// Live data files, in the order they were added.
    public let files: [AddAction]
    /// Removed files still in the log (vacuum needs their deletion times).
    public let tombstones: [RemoveAction]
    /// appId -> last committed batch version (`txn` actions).
    public let appVersions: [String: Int64]
    /// The parsed schema (may include nested fields Columnar cannot hold).
    public let fields: [DeltaSchema.DeltaField]
    /// Domains with live `domainMetadata` actions (kept by the log, not by our checkpoints).
    public internal(set) var domains: Set<String> = []

    /// Partition column names.
    public var partitionColumns: [String] { metadata.partitionColumns }

    /// The table schema as a Columnar schema; throws if a column cannot be represented.
    public func schema() throws -> Schema { try DeltaSchema.columnarSchema(fields, strict: true) }

    /// How data files, partition values and stats name the columns.
    public func columnMapping() throws -> ColumnMapping {
        try ColumnMapping(protocolAction: protocolAction, metadata: metadata, fields: fields)
    }

    /// Total rows according to stats (less rows deleted by deletion vectors), or nil when
    /// some file lacks them.
    public var statsRowCount: Int64? {
        var n: Int64 = 0
        for f in files {
            guard let s = f.stats, let st = FileStats.parse(s, types: [:], context: f.path), st.numRecords >= 0 else { return nil }
            n += st.numRecords - (f.deletionVector?.cardinality ?? 0)
        }
        return n
    }

    /// Loads the snapshot at `version` (newest when nil), or the newest version committed at
    /// or before `timestamp` (ms since epoch). O(log size after the checkpoint).
    public static func load(_ root: String, version: Int64? = nil, timestamp: Int64? = nil) throws -> Snapshot {
        let store = LogStore(root: root)
        let listing = try store.list()
        // The newest version is the newest commit or checkpoint of either kind (a checkpoint
        // may be newer than every JSON commit left after log cleanup).
        guard let newest = ([listing.commits.last, listing.checkpoints.last] + listing.multipartCheckpoints.keys.map { Optional($0) }).compactMap({ $0 }).max() else {
            throw DeltaError.notATable(root)
        }
        var target = version ?? newest
        if let timestamp {
            target = try versionAt(timestamp: timestamp, store: store, listing: listing)
        }
        guard target >= 0, target <= newest else {
            throw DeltaError.versionNotFound("\(root): version \(target) does not exist (latest is \(newest))")
        }
        return try replay(store: store, listing: listing, to: target)
    }

    static func replay(store: LogStore, listing: Listing, to target: Int64) throws -> Snapshot {
        let commitSet = Set(listing.commits)
        var candidates = Set(listing.checkpoints.filter { $0 <= target })
        for v in listing.multipartCheckpoints.keys where v <= target { candidates.insert(v) }
        var replay = LogReplay()
        var start: Int64 = 0
        var lastError: Error?
        // Newest checkpoint first; a checkpoint we cannot read falls back to an older one
        // (or to the full JSON log) rather than failing the read.
        for cp in candidates.sorted(by: >) {
            do {
                let paths = listing.multipartCheckpoints[cp] ?? [store.checkpointPath(cp)]
                var r = LogReplay()
                for p in paths { try r.apply(try CheckpointReader.readActions(path: p), context: p) }
                replay = r
                start = cp + 1
                lastError = nil
                break
            } catch {
                lastError = error
            }
        }
        if start == 0, !commitSet.contains(0) {
            if let lastError { throw lastError }
            throw DeltaError.versionNotFound("\(store.root): the log before version \(target) has been cleaned up and no checkpoint covers it")
        }
        if start <= target {
            for v in start...target {
                guard commitSet.contains(v) else {
                    throw DeltaError.corruptLog(store.commitPath(v), "commit \(v) is missing from the log (versions must be contiguous)")
                }
                try replay.apply(try store.readCommit(v), context: store.commitPath(v))
            }
        }
        guard let p = replay.protocolAction else { throw DeltaError.corruptLog(store.root, "no protocol action up to version \(target)") }
        guard let m = replay.metadata else { throw DeltaError.corruptLog(store.root, "no metaData action up to version \(target)") }
        try ProtocolSupport.checkReadable(p, m, root: store.root)
        let fields = try DeltaSchema.parse(m.schemaString, context: store.root)
        let files = replay.orderedFiles
        var snapshot = Snapshot(root: store.root, version: target, protocolAction: p, metadata: m, files: files,
                                tombstones: replay.tombstones.values.sorted { $0.path < $1.path },
                                appVersions: replay.appVersions, fields: fields)
        snapshot.domains = replay.domains
        return snapshot
    }

    typealias Listing = LogStore.Listing

    /// The commit time of `version` in ms: commitInfo.timestamp, else the file's mtime.
    public static func commitTimestamp(_ store: LogStore, _ version: Int64) -> Int64? {
        if let actions = try? store.readCommit(version) {
            for a in actions { if case let .commitInfo(info) = a, let t = info["timestamp"]?.int64Value { return t } }
        }
        return LogStore.modificationTimeMillis(store.commitPath(version))
    }

    static func versionAt(timestamp: Int64, store: LogStore, listing: Listing) throws -> Int64 {
        var best: Int64?
        for v in listing.commits {
            guard let t = commitTimestamp(store, v) else { continue }
            if t <= timestamp { best = v } else { break }
        }
        guard let best else {
            throw DeltaError.versionNotFound("\(store.root): no version was committed at or before timestamp \(timestamp) ms")
        }
        return best
    }
}
