// Where amlgraph and the Spark server exchange tables: Parquet files in a staging directory.
import Columnar
import DeltaLake
import Foundation
import Parquet
import SparkConnect
import AMLWorkbench

/// A Spark Connect session plus a staging directory that both amlgraph and the server can
/// read and write.
///
/// Inputs: a Parquet file is handed to Spark as is; a Delta table's snapshot is replayed by
/// amlgraph (the `_delta_log`, no Delta jars on the server) and its live Parquet files are
/// handed over when Spark can read them directly (no partition columns, deletion vectors or
/// column mapping), otherwise it is read natively and staged; a CSV is read natively (same
/// type inference as the local engine, so both engines see the same ids) and staged as one
/// Parquet file. Intermediate results of iterative plans are written by Spark as Parquet
/// under the directory (`checkpoint`), which cuts the lineage exactly as a checkpoint
/// would. Large results are written as Parquet and read back natively (`readBack`); small
/// ones come back as Arrow through `client.collect`.
///
/// The server reads and writes the paths given here, so on a cluster `directory` must be on
/// storage every executor and the driver see under the same path (a shared mount); with a
/// local server, the default temporary directory works.
public final class SparkWorkspace {
    public let client: SparkConnectClient
    /// The staging directory (created owner-only; removed by `close()` unless `keep`).
    public let directory: String
    public var keep = false
    var counter = 0

    /// Opens a workspace: a fresh staging directory under `base` (default: the system
    /// temporary directory) and session settings that make Spark's Parquet readable here
    /// (microsecond timestamps instead of INT96).
    public init(client: SparkConnectClient, base: String? = nil) throws {
        self.client = client
        let root = base ?? NSTemporaryDirectory()
        var template = Array((URL(fileURLWithPath: root).appendingPathComponent("amlgraph-spark-XXXXXX").path).utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SparkEngineError("cannot create a staging directory under \(root): \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        try client.runSQL("SET spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS")
    }

    /// Removes the staging directory (unless `keep`).
    public func close() {
        if !keep { try? FileManager.default.removeItem(atPath: directory) }
    }

    func nextPath(_ name: String) -> String {
        counter += 1
        return directory + "/\(counter)-\(name)"
    }

    /// The table at `path` as a Spark relation with exactly `columns` (in that order).
    /// `read` are the CSV options (types, delimiter) the local engine would use.
    public func input(_ path: String, columns: [String], read: TableReadOptions = .init()) throws -> SparkRelation {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let select = columns.map(Self.quoted)
        if path != "-", FileManager.default.fileExists(atPath: path) {
            if DeltaTable.isDeltaTable(path), let files = try directDeltaFiles(absolute) {
                let schema = try Snapshot.load(absolute).schema()
                return .parquet(files).withSchema(try ddl(schema, columns: columns, source: path)).select(select)
            }
            if TableIO.isParquet(path) {
                let schema = try ParquetReader(path: path).schema()
                return .parquet([absolute]).withSchema(try ddl(schema, columns: columns, source: path)).select(select)
            }
        }
        var options = read
        options.columns = columns
        let table = try TableIO.read(path, options: options).select(columns)
        return try stage(table, name: "input")
    }

    /// Writes `table` as Parquet in the staging directory and returns it as a relation.
    public func stage(_ table: Table, name: String) throws -> SparkRelation {
        let file = nextPath(name) + ".parquet"
        _ = try ParquetWriter.write(table, to: file)
        return .parquet([file]).withSchema(try ddl(table.schema, columns: table.columnNames, source: name))
    }

    /// The snapshot's data files when Spark can read them as plain Parquet; nil otherwise.
    func directDeltaFiles(_ root: String) throws -> [String]? {
        let snapshot = try Snapshot.load(root)
        guard snapshot.partitionColumns.isEmpty, !snapshot.files.isEmpty,
              !snapshot.files.contains(where: { $0.hasDeletionVector }),
              (snapshot.metadata.configuration["delta.columnMapping.mode"] ?? "none") == "none" else { return nil }
        var paths: [String] = []
        for add in snapshot.files {
            guard !add.path.contains("://"), let decoded = add.path.removingPercentEncoding else { return nil }
            paths.append(decoded.hasPrefix("/") ? decoded : root + "/" + decoded)
        }
        return paths
    }

    /// A Spark DDL schema (`a bigint, b string`) for `columns` of `schema`.
    func ddl(_ schema: Schema, columns: [String], source: String) throws -> String {
        try columns.map { name in
            guard let field = schema.fields.first(where: { $0.name == name }) else {
                throw SparkEngineError("\(source): no column \(name) (columns: \(schema.names.joined(separator: ", ")))")
            }
            return "\(Self.quoted(name)) \(SparkTypes.ddlName(field.type))"
        }.joined(separator: ", ")
    }

    /// A column name quoted for Spark SQL.
    public static func quoted(_ name: String) -> String { "`" + name.replacingOccurrences(of: "`", with: "``") + "`" }

    /// Writes `relation` as Parquet in the staging directory and returns a relation reading
    /// it back: the lineage of an iterative plan stops here.
    public func checkpoint(_ relation: SparkRelation, name: String) throws -> SparkRelation {
        let dir = nextPath(name)
        try client.write(relation, parquetTo: dir)
        return .parquet([dir])
    }

    /// Writes `relation` as Parquet and reads the files natively, in part-file order (so a
    /// global sort is kept). `empty` is the schema when Spark wrote no file.
    public func materialize(_ relation: SparkRelation, name: String) throws -> Table {
        let dir = nextPath(name)
        try client.write(relation, parquetTo: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".parquet") }.sorted()
        var tables: [Table] = []
        for f in files {
            let t = try ParquetReader(path: dir + "/" + f).readTable()
            tables.append(t)
        }
        if tables.isEmpty { return Table(schema: try client.schema(of: relation)) }
        return tables.count == 1 ? tables[0] : try Table.concatenate(tables)
    }
}

/// A failure of a Spark-engine operation (the user's to fix: exit 1).
public struct SparkEngineError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension SparkRelation {
    /// Sets the reader's schema (DDL) on a Read relation; other relations are returned as is.
    func withSchema(_ ddl: String) -> SparkRelation {
        var copy = self
        if case var .read(read)? = copy.proto.relType, case var .dataSource(source)? = read.readType {
            source.schema = ddl
            read.dataSource = source
            copy.proto.read = read
        }
        return copy
    }
}
