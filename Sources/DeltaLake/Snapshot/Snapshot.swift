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
        guard let newest = [listing.commits.last, listing.checkpointVersions.last].compactMap({ $0 }).max() else {
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
        let classic = Set(listing.checkpoints)
        var replay = LogReplay()
        var start: Int64 = 0
        var lastError: Error?
        // Newest checkpoint first; a checkpoint we cannot read falls back to another one for
        // the same version (classic, UUID-named, multi-part), then to an older one (or to the
        // full JSON log) rather than failing the read.
        search: for cp in listing.checkpointVersions.reversed() where cp <= target {
            var choices: [(paths: [String], uuidNamed: Bool)] = []
            if classic.contains(cp) { choices.append(([store.checkpointPath(cp)], false)) }
            for p in listing.uuidCheckpoints[cp] ?? [] { choices.append(([p], true)) }
            if let parts = listing.multipartCheckpoints[cp] { choices.append((parts, false)) }
            for choice in choices {
                do {
                    var r = LogReplay()
                    let actions = try CheckpointReader.read(paths: choice.paths, version: cp, uuidNamed: choice.uuidNamed, store: store)
                    try r.apply(actions, context: choice.paths[0])
                    replay = r
                    start = cp + 1
                    lastError = nil
                    break search
                } catch {
                    lastError = error
                }
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

    /// The newest version committed at or before `timestamp` (ms), as PROTOCOL.md defines a
    /// commit's time: its `commitInfo.inCommitTimestamp` from the version where in-commit
    /// timestamps were enabled (`delta.enableInCommitTimestamps`,
    /// `delta.inCommitTimestampEnablementVersion`/`...Timestamp`), the commit file's
    /// modification time before that (as Spark and delta-rs do). Both are non-decreasing in
    /// the version, so the version is found by binary search: O(log commits) file stats or
    /// first-line reads, plus one snapshot of the newest version (checkpoint and tail) to learn
    /// the in-commit timestamp settings. Commits are never all parsed.
    static func versionAt(timestamp: Int64, store: LogStore, listing: Listing) throws -> Int64 {
        let commits = listing.commits
        guard let newest = commits.last else { throw DeltaError.notATable(store.root) }
        let config = try replay(store: store, listing: listing, to: newest).metadata.configuration
        var ictFrom: Int64?  // first version with in-commit timestamps
        if config["delta.enableInCommitTimestamps"]?.lowercased() == "true" {
            ictFrom = config["delta.inCommitTimestampEnablementVersion"].flatMap(Int64.init) ?? 0
        }
        func time(_ v: Int64) throws -> Int64 {
            if let from = ictFrom, v >= from { return try inCommitTimestamp(store, v) }
            guard let t = LogStore.modificationTimeMillis(store.commitPath(v)) else {
                throw DeltaError.io(store.commitPath(v), "cannot read the commit file's modification time")
            }
            return t
        }
        // The in-commit range answers timestamps from its first commit on; older ones use mtimes.
        var lo = 0, hi = commits.count - 1
        if let from = ictFrom, let first = commits.firstIndex(where: { $0 >= from }) {
            if try time(commits[first]) <= timestamp { lo = first } else { hi = first - 1 }
        }
        // Largest index in lo...hi whose time is <= timestamp.
        var best: Int?
        while lo <= hi {
            let mid = lo + (hi - lo) / 2
            if try time(commits[mid]) <= timestamp { best = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        guard let best else {
            throw DeltaError.versionNotFound("\(store.root): no version was committed at or before timestamp \(timestamp) ms")
        }
        return commits[best]
    }

    /// `commitInfo.inCommitTimestamp` of `version`, read from the commit's first line (the
    /// protocol requires commitInfo to be the first action when in-commit timestamps are on).
    static func inCommitTimestamp(_ store: LogStore, _ version: Int64) throws -> Int64 {
        let path = store.commitPath(version)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DeltaError.io(path, "cannot open commit") }
        defer { try? handle.close() }
        var line: [UInt8] = []
        while line.count < 1 << 24, let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty {
            if let nl = chunk.firstIndex(of: 10) { line += chunk[chunk.startIndex..<nl]; break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let json = try? JSONValue.parse(text, context: path + ":1"),
              let t = json["commitInfo"]?["inCommitTimestamp"]?.int64Value else {
            throw DeltaError.corruptLog(path, "in-commit timestamps are enabled but the first action is not a commitInfo with inCommitTimestamp")
        }
        return t
    }
}
