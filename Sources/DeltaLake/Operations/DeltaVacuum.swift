import Foundation

/// What vacuum found or deleted.
public struct VacuumResult: Sendable {
    /// Paths (relative to the root) deleted, or that would be deleted in a dry run.
    public var files: [String]
    public var dryRun: Bool
}

extension DeltaTable {
    /// The default retention: 7 days, as in Delta (`delta.deletedFileRetentionDuration`).
    public static let defaultRetentionHours = 168.0

    /// Deletes data files that the current version does not reference and that are older
    /// than the retention period (Delta's VACUUM): tombstones by their deletion time,
    /// untracked files (from crashed writers) by their modification time. `_delta_log` and
    /// names starting with `_` or `.` (outside partition directories) are never touched.
    /// A retention under the default is refused unless `enforceRetention` is false, because
    /// time travel and concurrent readers may still need those files. O(files on disk).
    public static func vacuum(_ root: String, retentionHours: Double = defaultRetentionHours, dryRun: Bool = false, enforceRetention: Bool = true, now: Date = Date()) throws -> VacuumResult {
        let snapshot = try Snapshot.load(root)
        // Vacuum deletes files, so it is a write: the protocol's VACUUM protocol check asks for
        // the writer checks too (a writer feature we do not know may keep files alive).
        try ProtocolSupport.checkWritable(snapshot.protocolAction, snapshot.metadata, root: snapshot.root)
        if enforceRetention && retentionHours < defaultRetentionHours {
            throw DeltaError.invalidArgument("retention of \(retentionHours) hours is below the safe minimum of \(defaultRetentionHours) hours; pass enforceRetention=false (--force) if no reader needs older versions")
        }
        let cutoff = Int64((now.timeIntervalSince1970 - retentionHours * 3600) * 1000)
        // Live paths and the directory walk are compared as absolute, normalised paths: a log
        // may hold relative paths or absolute `file:` URIs, and the table may be opened by a
        // relative path; comparing mixed forms would take live files for orphans.
        let absRoot = TablePaths.absolute(snapshot.root)
        let live = Set(try snapshot.files.map { TablePaths.absolute(try TablePaths.resolve($0.path, root: absRoot)) })
        var tombstoneTimes: [String: Int64] = [:]
        for t in snapshot.tombstones {
            if let p = try? TablePaths.resolve(t.path, root: absRoot) { tombstoneTimes[TablePaths.absolute(p)] = t.deletionTimestamp ?? 0 }
        }
        var deleted: [String] = []
        func walk(_ dir: String, _ rel: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for name in names.sorted() {
                let path = dir + "/" + name
                let relPath = rel.isEmpty ? name : rel + "/" + name
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
                let hidden = (name.hasPrefix("_") || name.hasPrefix(".")) && !name.contains("=")
                if hidden { continue }
                if isDir.boolValue { walk(path, relPath); continue }
                if live.contains(path) { continue }
                let time = tombstoneTimes[path] ?? LogStore.modificationTimeMillis(path) ?? Int64.max
                guard time < cutoff else { continue }
                if !dryRun { unlink(path) }
                deleted.append(relPath)
            }
        }
        walk(absRoot, "")
        return VacuumResult(files: deleted, dryRun: dryRun)
    }
}
