/// Folds actions, oldest first, into table state (PROTOCOL.md "Action Reconciliation"):
/// the latest protocol and metaData win; for each logical file (path plus deletion vector id)
/// the newest add or remove wins; for each appId the latest txn wins.
struct LogReplay {
    var protocolAction: ProtocolAction?
    var metadata: MetadataAction?
    /// Live files by logical file key (decoded path, DV unique id): (sequence of the add, the add).
    var files: [String: (Int, AddAction)] = [:]
    var tombstones: [String: RemoveAction] = [:]
    var appVersions: [String: Int64] = [:]
    /// Domains with a live `domainMetadata` action (a checkpoint must keep them).
    var domains: Set<String> = []
    var sequence = 0

    mutating func apply(_ actions: [DeltaAction], context: String) throws {
        for a in actions {
            switch a {
            case let .protocol(p): protocolAction = p
            case let .metadata(m): metadata = m
            case let .add(add):
                let key = LogReplay.key(add.path, add.deletionVector)
                sequence += 1
                files[key] = (sequence, add)
                tombstones[key] = nil
            case let .remove(r):
                let key = LogReplay.key(r.path, r.deletionVector)
                files[key] = nil
                tombstones[key] = r
            case let .txn(t): appVersions[t.appId] = t.version
            case let .other(kind, body) where kind == "domainMetadata":
                if let d = body["domain"]?.stringValue {
                    if body["removed"]?.boolValue == true { domains.remove(d) } else { domains.insert(d) }
                }
            case .commitInfo, .other: break
            }
        }
    }

    /// A logical file: its decoded path, plus its DV's unique id when it has one (PROTOCOL.md
    /// "Action Reconciliation": a file with a new DV replaces the one with the old DV).
    static func key(_ path: String, _ dv: DeletionVectorDescriptor?) -> String {
        let p = (try? TablePaths.uriDecode(path)) ?? path
        guard let dv else { return p }
        return p + "\u{0}" + dv.uniqueId
    }

    /// Live adds in the order they were added.
    var orderedFiles: [AddAction] { files.values.sorted { $0.0 < $1.0 }.map(\.1) }
}
