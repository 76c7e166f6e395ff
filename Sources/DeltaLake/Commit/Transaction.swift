import Foundation

/// An optimistic transaction: actions computed against a read snapshot, committed by
/// put-if-absent of the next log entry (PROTOCOL.md "Optimistic Concurrency Control").
///
/// Data files must already be written (under unique names) before `commit`: the log entry is
/// the only thing that makes them part of the table, so a writer killed at any point leaves
/// either the old version or the new one, plus at worst unreferenced files for vacuum.
///
/// On losing a race it reads the winning commits and checks each with `ConflictChecker`
/// against what this transaction read (`read`) at its isolation level; when none conflicts
/// it retries unchanged at the next version, otherwise it throws
/// `DeltaError.concurrentModification` explaining what the winner changed.
public struct DeltaTransaction {
    public let store: LogStore
    /// The version the actions were computed against (-1 for a table being created).
    public let readVersion: Int64
    public var actions: [DeltaAction] = []
    /// True when the transaction only adds files and read nothing it depends on.
    public var isBlindAppend: Bool
    /// What this transaction read: files, predicates, or the whole table.
    public var read = ReadFootprint()
    /// The isolation level given, recorded in `commitInfo.isolationLevel`.
    public var isolationLevel: IsolationLevel = .serializable
    /// Decoded paths of files whose contents this transaction read (merge, overwrite).
    public var readFiles: Set<String> {
        get { read.files }
        set { read.files = newValue }
    }
    /// True when the transaction depends on the whole table's contents (overwrite):
    /// any concurrent data change then conflicts.
    public var readWholeTable: Bool {
        get { read.wholeTable }
        set { read.wholeTable = newValue }
    }
    /// How many times to retry a blind append after losing the race.
    public var maxRetries = 10_000

    public init(store: LogStore, readVersion: Int64, isBlindAppend: Bool) {
        self.store = store
        self.readVersion = readVersion
        self.isBlindAppend = isBlindAppend
    }

    /// Commits `actions` plus a commitInfo; returns the version written.
    /// - Complexity: O(actions) per attempt, plus reading each winning commit once.
    public func commit(operation: String, parameters: [(String, JSONValue)] = [], metrics: [(String, JSONValue)] = []) throws -> Int64 {
        var attempt = readVersion + 1
        var checkedUpTo = readVersion
        var retries = 0
        while true {
            let info = JSONValue.object([
                ("timestamp", .int(DeltaTransaction.nowMillis())),
                ("operation", .string(operation)),
                ("operationParameters", .object(parameters)),
                ("readVersion", readVersion >= 0 ? .int(readVersion) : .null),
                ("isolationLevel", .string(isolationLevel.rawValue)),
                ("isBlindAppend", .bool(isBlindAppend)),
                ("operationMetrics", .object(metrics)),
                ("engineInfo", .string("amlgraph")),
            ])
            // commitInfo first, as Spark writes it, so history can stop reading early.
            let bytes = LogStore.serialize([.commitInfo(info)] + actions)
            if try store.putIfAbsent(version: attempt, bytes: bytes) { return attempt }
            if readVersion < 0 && attempt == 0 {
                throw DeltaError.alreadyExists(store.root)
            }
            // Lost the race: inspect every commit we have not seen yet.
            var next = checkedUpTo + 1
            while FileManager.default.fileExists(atPath: store.commitPath(next)) {
                try checkConflicts(with: try store.readCommit(next), version: next)
                checkedUpTo = next
                next += 1
            }
            retries += 1
            guard retries <= maxRetries else {
                throw DeltaError.concurrentModification("\(store.root): gave up after \(maxRetries) commit attempts")
            }
            attempt = checkedUpTo + 1
        }
    }

    /// Throws when a winning commit invalidates this transaction (see `ConflictChecker`).
    func checkConflicts(with winner: [DeltaAction], version: Int64) throws {
        if let c = ConflictChecker.check(ours: actions, read: read, isolation: isolationLevel, winner: winner, winnerVersion: version) {
            throw DeltaError.concurrentModification("\(store.root): \(c) after this write read version \(readVersion)")
        }
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
