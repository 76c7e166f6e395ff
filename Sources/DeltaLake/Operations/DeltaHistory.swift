import Columnar

/// One commit as `history` reports it.
public struct CommitRecord: Sendable {
    /// Commit timestamps a table may carry, in ms since 1970: 0001-01-01 to 9999-12-31, the
    /// range a timestamp column holds in microseconds without overflow.
    public static let timestampRange: ClosedRange<Int64> = -62_135_596_800_000 ... 253_402_300_799_999

    public var version: Int64
    public var timestamp: Int64?
    public var operation: String?
    public var operationParameters: String?
    public var readVersion: Int64?
    public var isBlindAppend: Bool?
    public var engineInfo: String?
    public var numActions: Int
}

extension DeltaTable {
    /// The commits still in the log, newest first (Delta's DESCRIBE HISTORY), at most `limit`.
    /// O(commits read).
    public static func history(_ root: String, limit: Int? = nil) throws -> [CommitRecord] {
        let store = LogStore(root: root)
        let listing = try store.list()
        guard !listing.commits.isEmpty else { throw DeltaError.notATable(store.root) }
        var out: [CommitRecord] = []
        for v in listing.commits.reversed() {
            if let limit, out.count >= limit { break }
            let actions = try store.readCommit(v)
            var rec = CommitRecord(version: v, numActions: actions.count)
            for a in actions {
                guard case let .commitInfo(info) = a else { continue }
                if let t = info["timestamp"]?.int64Value {
                    guard CommitRecord.timestampRange.contains(t) else {
                        throw DeltaError.corruptLog(store.commitPath(v), "commitInfo.timestamp \(t) is out of range; expected milliseconds since 1970 between years 1 and 9999")
                    }
                    rec.timestamp = t
                }
                rec.operation = info["operation"]?.stringValue
                rec.operationParameters = info["operationParameters"]?.serialized
                rec.readVersion = info["readVersion"]?.int64Value
                rec.isBlindAppend = info["isBlindAppend"]?.boolValue
                rec.engineInfo = info["engineInfo"]?.stringValue ?? info["clientVersion"]?.stringValue
            }
            if rec.timestamp == nil { rec.timestamp = LogStore.modificationTimeMillis(store.commitPath(v)) }
            out.append(rec)
        }
        return out
    }

    /// `history` as a table with columns version, timestamp, operation, operationParameters,
    /// readVersion, isBlindAppend, engineInfo.
    public static func historyTable(_ records: [CommitRecord]) throws -> Table {
        try Table([
            ("version", .int64(records.map(\.version))),
            ("timestamp", try Column(type: .timestamp, values: records.map { $0.timestamp.map { .timestamp($0 * 1000) } ?? .null })),
            ("operation", try Column(type: .string, values: records.map { $0.operation.map { .string($0) } ?? .null })),
            ("operationParameters", try Column(type: .string, values: records.map { $0.operationParameters.map { .string($0) } ?? .null })),
            ("readVersion", try Column(type: .int64, values: records.map { $0.readVersion.map { .int($0) } ?? .null })),
            ("isBlindAppend", try Column(type: .bool, values: records.map { $0.isBlindAppend.map { .bool($0) } ?? .null })),
            ("engineInfo", try Column(type: .string, values: records.map { $0.engineInfo.map { .string($0) } ?? .null })),
        ])
    }
}
