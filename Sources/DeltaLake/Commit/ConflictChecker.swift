import Columnar

/// The isolation level a transaction is given (PROTOCOL.md and Delta's "Isolation levels"):
/// `Serializable` conflicts with every concurrent commit that added or removed files the
/// transaction read or whose rows could match what it read; `WriteSerializable` (Delta's
/// default) additionally lets concurrent blind appends through, so the result equals some
/// serial order of the writes, though not necessarily of the reads.
public enum IsolationLevel: String, Sendable, CaseIterable {
    case serializable = "Serializable"
    case writeSerializable = "WriteSerializable"

    /// The level a table asks for in `delta.isolationLevel`; amlgraph gives `Serializable`
    /// when the table does not say (stricter than Delta's default, never weaker).
    public static func forTable(_ configuration: [String: String]) -> IsolationLevel {
        configuration["delta.isolationLevel"].flatMap(IsolationLevel.init(rawValue:)) ?? .serializable
    }
}

/// What a transaction read: the input, with its own actions, to conflict detection.
/// Follows Delta's `ConflictChecker`: reads are recorded as the files read and the predicates
/// (conjunctions of `DeltaFilter`) that selected them.
public struct ReadFootprint: Sendable, Equatable {
    /// Decoded paths of the files whose contents the transaction read.
    public var files: Set<String> = []
    /// Each entry is a conjunction of filters; a concurrently added file that may hold a row
    /// satisfying any of them would have been read, so it conflicts.
    public var predicates: [[DeltaFilter]] = []
    /// The transaction depends on every row of the table (overwrite).
    public var wholeTable = false
    /// Column types used to evaluate `predicates` against partition values and stats.
    public var columnTypes: [String: DataType] = [:]
    /// Partition columns of the table (their filters are decided by partition values).
    public var partitionColumns: [String] = []

    public init() {}

    /// True when the transaction read nothing it depends on.
    public var isEmpty: Bool { files.isEmpty && predicates.isEmpty && !wholeTable }
}

/// Why a winning commit invalidates a transaction.
public struct CommitConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case protocolChanged
        case metadataChanged
        /// The winner added a file that matches what this transaction read.
        case concurrentAppend(path: String)
        /// The winner removed a file this transaction read.
        case concurrentDeleteRead(path: String)
        /// Both removed the same file.
        case concurrentDeleteDelete(path: String)
        /// Both committed a batch for the same application id.
        case concurrentTransaction(appId: String)
    }

    public var kind: Kind
    /// The winning commit's version.
    public var version: Int64

    public var description: String {
        switch kind {
        case .protocolChanged: return "version \(version) changed the protocol"
        case .metadataChanged: return "version \(version) changed the table metadata (schema, partitioning or settings)"
        case let .concurrentAppend(p): return "version \(version) added \(p), which holds rows this write read or would have read"
        case let .concurrentDeleteRead(p): return "version \(version) removed \(p), which this write read"
        case let .concurrentDeleteDelete(p): return "version \(version) also removed \(p)"
        case let .concurrentTransaction(a): return "version \(version) committed a batch for application '\(a)' concurrently"
        }
    }
}

/// Conflict detection between a transaction and one commit that won the race for a version
/// it wanted, as Delta's optimistic concurrency defines it. A pure function of (our actions,
/// our read footprint, our isolation level, the winner's actions): no disk access, so every
/// rule is testable on literal actions.
public enum ConflictChecker {
    /// The first conflict, or nil when our commit may be retried unchanged after `winner`.
    /// - Complexity: O(|winner| × |predicates|) plus parsing each added file's stats once.
    public static func check(ours: [DeltaAction], read: ReadFootprint, isolation: IsolationLevel,
                             winner: [DeltaAction], winnerVersion: Int64) -> CommitConflict? {
        func key(_ p: String) -> String { (try? TablePaths.uriDecode(p)) ?? p }
        var ourRemoves = Set<String>()
        var ourApps = Set<String>()
        for a in ours {
            if case let .remove(r) = a { ourRemoves.insert(key(r.path)) }
            if case let .txn(t) = a { ourApps.insert(t.appId) }
        }
        var winnerIsBlindAppend = false
        for a in winner {
            if case let .commitInfo(info) = a { winnerIsBlindAppend = info["isBlindAppend"]?.boolValue ?? false }
        }
        // Under WriteSerializable a blind append may be ordered after us, so its files need not be read.
        let checkAdds = isolation == .serializable || !winnerIsBlindAppend
        let partitions = Set(read.partitionColumns)
        for a in winner {
            switch a {
            case .protocol:
                return CommitConflict(kind: .protocolChanged, version: winnerVersion)
            case .metadata:
                return CommitConflict(kind: .metadataChanged, version: winnerVersion)
            case let .add(add):
                guard add.dataChange, checkAdds else { continue }
                if read.wholeTable { return CommitConflict(kind: .concurrentAppend(path: add.path), version: winnerVersion) }
                for conjunction in read.predicates {
                    let may = (try? DeltaTable.fileMayMatch(add, filters: conjunction, types: read.columnTypes, partitions: partitions)) ?? true
                    if may { return CommitConflict(kind: .concurrentAppend(path: add.path), version: winnerVersion) }
                }
            case let .remove(r):
                let k = key(r.path)
                if ourRemoves.contains(k) { return CommitConflict(kind: .concurrentDeleteDelete(path: r.path), version: winnerVersion) }
                if read.files.contains(k) || (r.dataChange && read.wholeTable) {
                    return CommitConflict(kind: .concurrentDeleteRead(path: r.path), version: winnerVersion)
                }
            case let .txn(t):
                if ourApps.contains(t.appId) { return CommitConflict(kind: .concurrentTransaction(appId: t.appId), version: winnerVersion) }
            case .commitInfo, .other:
                continue
            }
        }
        return nil
    }
}
