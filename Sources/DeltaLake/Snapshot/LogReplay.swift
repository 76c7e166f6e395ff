/// Folds actions, oldest first, into table state (PROTOCOL.md "Action Reconciliation"):
/// the latest protocol and metaData win; for each file path the newest add or remove wins;
/// for each appId the latest txn wins.
struct LogReplay {
    var protocolAction: ProtocolAction?
    var metadata: MetadataAction?
    /// Live files by decoded path: (sequence of the add, the add).
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
                let key = (try? TablePaths.uriDecode(add.path)) ?? add.path
                sequence += 1
                files[key] = (sequence, add)
                tombstones[key] = nil
            case let .remove(r):
                let key = (try? TablePaths.uriDecode(r.path)) ?? r.path
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

    /// Live adds in the order they were added.
    var orderedFiles: [AddAction] { files.values.sorted { $0.0 < $1.0 }.map(\.1) }
}
