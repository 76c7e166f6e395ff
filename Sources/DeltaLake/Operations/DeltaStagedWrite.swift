// A write in batches: each batch becomes its own Parquet file(s) as it arrives, and one Delta
// commit at the end adds them all (or `abandon` deletes them). Memory follows one batch.
import Columnar
import Foundation

/// One Delta write whose rows arrive batch by batch (a streamed ingest). Until `commit`, the
/// data files are invisible to every reader (no log entry names them), so a run that fails
/// leaves the table as it was; `abandon` removes them. Follows `DeltaTable.write`'s save modes,
/// schema rules and idempotent `transaction` check, evaluated against the table as it is at
/// commit time.
public final class DeltaStagedWrite {
    public let root: String
    public let options: DeltaWriteOptions
    /// The schema of the first batch; every later batch must have the same names and types.
    public private(set) var schema: Schema?
    /// Rows staged so far.
    public private(set) var rowCount = 0
    private var fields: [DeltaSchema.DeltaField] = []
    private var adds: [AddAction] = []
    private var emptyBatch: Table?
    private var finished = false
    /// The directories on the way to `root` that did not exist before this write (deepest
    /// first): `abandon` removes them again when they are empty.
    private let createdDirectories: [String]

    /// Prepares a write to the table at `root` (created at commit when absent).
    public init(root: String, options: DeltaWriteOptions) {
        self.root = LogStore(root: root).root
        self.options = options
        var missing: [String] = []
        var dir = self.root
        while !dir.isEmpty, dir != "/", !FileManager.default.fileExists(atPath: dir) {
            missing.append(dir)
            dir = (dir as NSString).deletingLastPathComponent
        }
        createdDirectories = missing
    }

    /// Writes `batch` as data file(s) of the coming commit. Throws `DeltaError.schemaMismatch`
    /// when its columns or types differ from the first batch's, and the checks of
    /// `DeltaTable.write` (schema enforcement, constraints). O(rows) plus Parquet encoding.
    public func append(_ batch: Table) throws {
        precondition(!finished, "DeltaStagedWrite used after commit or abandon")
        if let schema {
            guard schema.fields.map({ "\($0.name):\($0.type)" }) == batch.schema.fields.map({ "\($0.name):\($0.type)" }) else {
                throw DeltaError.schemaMismatch("\(root): a batch's columns (\(batch.schema.fields.map { "\($0.name):\($0.type)" }.joined(separator: ", "))) differ from the first batch's")
            }
        } else {
            let snapshot = try DeltaTable.existing(root)
            if snapshot == nil { try DeltaTable.checkCreatable(root) }
            let plan = try DeltaTable.planSchema(batch, snapshot: snapshot, options: options, root: root)
            guard plan.partitionColumns.isEmpty else { throw DeltaError.invalidArgument("\(root): a staged write does not partition") }
            fields = plan.fields
            schema = batch.schema
        }
        guard batch.rowCount > 0 else {
            if emptyBatch == nil { emptyBatch = batch }
            return
        }
        try writeFiles(batch)
    }

    private func writeFiles(_ batch: Table) throws {
        let data = try DeltaTable.conform(batch, to: fields, root: root)
        let configuration = (try? DeltaTable.existing(root))??.metadata.configuration ?? options.configuration
        try DeltaTable.checkConstraints(data, fields: fields, configuration: configuration, root: root)
        adds += try DeltaTable.writeDataFiles(data, root: root, partitionColumns: [], options: options, fields: fields)
        rowCount += batch.rowCount
    }

    /// Commits every staged file in one version and returns it, or nil when the table had
    /// already applied `options.transaction` (the files are then removed). A write that
    /// staged no batch at all commits nothing. O(files).
    @discardableResult
    public func commit() throws -> Int64? {
        precondition(!finished, "DeltaStagedWrite committed twice")
        guard let schema else { finished = true; return nil }
        if adds.isEmpty, let emptyBatch { try writeFiles(emptyBatch) }
        let store = LogStore(root: root)
        let snapshot = try DeltaTable.existing(store.root)
        if let snapshot {
            switch options.mode {
            case .errorIfExists: abandon(); throw DeltaError.alreadyExists(store.root)
            case .ignore: abandon(); return nil
            default: break
            }
            try ProtocolSupport.checkWritable(snapshot.protocolAction, snapshot.metadata, root: store.root)
            if let t = options.transaction, let done = snapshot.appVersions[t.appId], done >= t.version { abandon(); return nil }
        }
        finished = true
        let empty = try Table(schema: schema, columns: schema.fields.map { try Column(type: $0.type, values: []) })
        let plan = try DeltaTable.planSchema(empty, snapshot: snapshot, options: options, root: store.root)
        var tx = try DeltaTable.beginWrite(store: store, snapshot: snapshot, plan: plan, options: options)
        tx.actions.append(contentsOf: adds.map { .add($0) })
        let mode = options.mode == .errorIfExists || options.mode == .ignore ? "ErrorIfExists" : options.mode.rawValue.capitalized
        let metrics: [(String, JSONValue)] = [
            ("numFiles", .string(String(adds.count))),
            ("numOutputRows", .string(String(rowCount))),
            ("numOutputBytes", .string(String(adds.reduce(0) { $0 + $1.size }))),
        ]
        let version = try tx.commit(operation: snapshot == nil ? "CREATE TABLE AS SELECT" : "WRITE", parameters: [("mode", .string(mode))], metrics: metrics)
        DeltaTable.maybeCheckpoint(store: store, version: version, options: options, metadata: plan.metadata ?? snapshot?.metadata)
        return version
    }

    /// Deletes the staged files (nothing was committed) and the directories the write created
    /// on the way to the table, when they are left empty. Safe to call more than once.
    public func abandon() {
        if !finished {
            for add in adds {
                let relative = (try? TablePaths.uriDecode(add.path)) ?? add.path
                try? FileManager.default.removeItem(atPath: root + "/" + relative)
            }
            // Directories this write created go too, but only while empty (rmdir refuses others).
            for dir in createdDirectories { _ = rmdir(dir) }
        }
        adds = []
        finished = true
    }

    /// The staged data files' paths (absolute), in batch order: what the commit will add.
    public var stagedFiles: [String] { adds.map { root + "/" + ((try? TablePaths.uriDecode($0.path)) ?? $0.path) } }
}
