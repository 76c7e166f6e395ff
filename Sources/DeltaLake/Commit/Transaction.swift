import Foundation

/// An optimistic transaction: actions computed against a read snapshot, committed by
/// put-if-absent of the next log entry (PROTOCOL.md "Optimistic Concurrency Control").
///
/// Data files must already be written (under unique names) before `commit`: the log entry is
/// the only thing that makes them part of the table, so a writer killed at any point leaves
/// either the old version or the new one, plus at worst unreferenced files for vacuum.
///
/// On losing a race it reads the winning commits and retries at the next version when that
/// is safe (a blind append with no conflicting change); otherwise it throws
/// `DeltaError.concurrentModification` explaining what the winner changed.
public struct DeltaTransaction {
    public let store: LogStore
    /// The version the actions were computed against (-1 for a table being created).
    public let readVersion: Int64
    public var actions: [DeltaAction] = []
    /// True when the transaction only adds files and read nothing it depends on.
    public var isBlindAppend: Bool
    /// Decoded paths of files whose contents this transaction read (merge, overwrite).
    public var readFiles: Set<String> = []
    /// True when the transaction depends on the whole table's contents (overwrite, merge):
    /// any concurrent data change then conflicts.
    public var readWholeTable: Bool = false
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
                ("isolationLevel", .string("Serializable")),
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

    /// Throws when a winning commit invalidates this transaction.
    func checkConflicts(with winner: [DeltaAction], version: Int64) throws {
        let ourTxns = actions.compactMap { a -> TxnAction? in if case let .txn(t) = a { return t }; return nil }
        let ourRemoves = Set(actions.compactMap { a -> String? in
            if case let .remove(r) = a { return (try? TablePaths.uriDecode(r.path)) ?? r.path }; return nil
        })
        for a in winner {
            switch a {
            case .protocol:
                throw DeltaError.concurrentModification("\(store.root): version \(version) changed the protocol after this write read version \(readVersion)")
            case .metadata:
                throw DeltaError.concurrentModification("\(store.root): version \(version) changed the table metadata (schema, partitioning or settings) after this write read version \(readVersion)")
            case let .remove(r):
                let key = (try? TablePaths.uriDecode(r.path)) ?? r.path
                if readFiles.contains(key) || ourRemoves.contains(key) {
                    throw DeltaError.concurrentModification("\(store.root): version \(version) removed \(r.path), which this write read")
                }
                if r.dataChange && readWholeTable {
                    throw DeltaError.concurrentModification("\(store.root): version \(version) deleted data this write depends on")
                }
            case let .add(add):
                if add.dataChange && readWholeTable {
                    throw DeltaError.concurrentModification("\(store.root): version \(version) added \(add.path) while this write was replacing or merging the table")
                }
            case let .txn(t):
                if ourTxns.contains(where: { $0.appId == t.appId }) {
                    throw DeltaError.concurrentModification("\(store.root): version \(version) committed a batch for application '\(t.appId)' concurrently")
                }
            case .commitInfo, .other: break
            }
        }
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
