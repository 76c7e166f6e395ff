// The Spark Connect client: ExecutePlan and AnalyzePlan over gRPC, results as Columnar tables.
import Columnar
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf
import SwiftProtobuf

/// A session on a Spark Connect server.
///
/// Speaks the Spark Connect protocol (service `spark.connect.SparkConnectService`, methods
/// `ExecutePlan` and `AnalyzePlan`) over HTTP/2 with grpc-swift 2: plaintext, or TLS with a
/// bearer token for secured clusters (see `SparkRemote`). One session id (a
/// UUID) is used for every call, so temporary views made by one call are seen by the next.
/// Each call opens its own connection: calls are few and long (a plan each), and no
/// connection state outlives a call. Results come back as Arrow IPC batches, decoded by
/// `ArrowIPCReader` into a `Table`; that suits small results (counts, per-iteration
/// convergence checks, summaries), while large ones should be written by Spark as Parquet
/// (`write(_:parquetTo:)`) and read natively.
///
/// Errors: an unreachable server throws `SparkConnectError.unreachable` naming the address;
/// a failed plan throws `.server` with Spark's own message (error class and text).
public final class SparkConnectClient: @unchecked Sendable {
    public let remote: SparkRemote
    public let sessionID: String
    /// Largest message accepted from the server (Arrow batches are about 4 MiB by default).
    public var maxMessageBytes = 256 << 20

    static let service = "spark.connect.SparkConnectService"

    public init(remote: SparkRemote) {
        self.remote = remote
        self.sessionID = remote.sessionID ?? UUID().uuidString.lowercased()
    }

    public convenience init(_ connectionString: String) throws {
        self.init(remote: try SparkRemote(parsing: connectionString))
    }

    var userContext: Spark_Connect_UserContext {
        var u = Spark_Connect_UserContext()
        u.userID = remote.userID
        u.userName = remote.userID
        return u
    }

    var callOptions: CallOptions {
        var o = CallOptions.defaults
        o.waitForReady = false
        o.maxRequestMessageBytes = maxMessageBytes
        o.maxResponseMessageBytes = maxMessageBytes
        return o
    }

    /// The connection: plaintext HTTP/2, or with `use_ssl`/`token` TLS with the system's
    /// trust roots and full verification of the server's certificate against the host name.
    func transport() throws -> HTTP2ClientTransport.Posix {
        let target: any ResolvableTarget = remote.host.allSatisfy({ $0.isNumber || $0 == "." })
            ? .ipv4(host: remote.host, port: remote.port) : .dns(host: remote.host, port: remote.port)
        return try HTTP2ClientTransport.Posix(target: target, transportSecurity: remote.useTLS ? .tls : .plaintext)
    }

    /// Metadata sent with every call: `authorization: Bearer <token>` when the connection
    /// string has a token (the standard gRPC bearer-token scheme Spark Connect servers and
    /// proxies check), and the connection string's other parameters as headers.
    var metadata: Metadata {
        var m = Metadata()
        if let token = remote.token { m.addString("Bearer " + token, forKey: "authorization") }
        for h in remote.headers { m.addString(h.value, forKey: h.key) }
        return m
    }

    /// Maps transport and server failures to `SparkConnectError`.
    func mapped(_ error: Error) -> Error {
        if let e = error as? SparkConnectError { return e }
        if let e = error as? ArrowIPCError { return SparkConnectError.protocolViolation(e.description) }
        if let rpc = error as? RPCError {
            if rpc.code == .unavailable || rpc.code == .deadlineExceeded && rpc.message.contains("connect") {
                var detail = Self.firstLine(rpc.message)
                if remote.useTLS, let cause = rpc.cause { detail += "; TLS: \(Self.firstLine("\(cause)"))" }
                return SparkConnectError.unreachable(address: remote.description, detail: detail)
            }
            if rpc.code == .unauthenticated || rpc.code == .permissionDenied {
                return SparkConnectError.server(message: "authentication refused (\(rpc.code)): \(Self.firstLine(rpc.message)); check the token= of --spark-remote")
            }
            return SparkConnectError.server(message: Self.firstLine(rpc.message))
        }
        return SparkConnectError.unreachable(address: remote.description, detail: "\(error)")
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.count > 2000 ? String(line.prefix(2000)) + "…" : line
    }

    // MARK: ExecutePlan

    /// Runs `plan` and returns every response of the stream.
    public func execute(_ plan: Spark_Connect_Plan) throws -> [Spark_Connect_ExecutePlanResponse] {
        var request = Spark_Connect_ExecutePlanRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = remote.userAgent
        request.plan = plan
        let transport = try transport()
        let options = callOptions
        let metadata = metadata
        let descriptor = MethodDescriptor(fullyQualifiedService: Self.service, method: "ExecutePlan")
        do {
            return try blocking {
                try await withGRPCClient(transport: transport) { client in
                    try await client.serverStreaming(
                        request: ClientRequest(message: request, metadata: metadata), descriptor: descriptor,
                        serializer: ProtobufSerializer<Spark_Connect_ExecutePlanRequest>(),
                        deserializer: ProtobufDeserializer<Spark_Connect_ExecutePlanResponse>(),
                        options: options
                    ) { response in
                        var all: [Spark_Connect_ExecutePlanResponse] = []
                        for try await message in response.messages { all.append(message) }
                        return all
                    }
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    /// Runs a relation and collects its rows (Arrow batches decoded in order).
    /// - Complexity: O(result bytes); the whole result is held in memory.
    public func collect(_ relation: SparkRelation) throws -> Table {
        var plan = Spark_Connect_Plan()
        plan.root = relation.proto
        let responses = try execute(plan)
        var tables: [Table] = []
        var schema: Spark_Connect_DataType?
        for r in responses {
            if r.hasSchema { schema = r.schema }
            if case let .arrowBatch(batch)? = r.responseType, !batch.data.isEmpty {
                do { tables.append(try ArrowIPCReader.decode([UInt8](batch.data))) } catch { throw mapped(error) }
            }
        }
        if tables.isEmpty {
            guard let schema else { throw SparkConnectError.protocolViolation("no Arrow batch and no schema in the result") }
            return Table(schema: try SparkTypes.schema(from: schema))
        }
        return tables.count == 1 ? tables[0] : try Table.concatenate(tables)
    }

    /// Runs a SQL query and collects its rows.
    public func sql(_ query: String) throws -> Table { try collect(.sql(query)) }

    /// Runs a command (write, view, SQL statement); its result rows, if any, are dropped.
    public func run(_ command: Spark_Connect_Command) throws {
        var plan = Spark_Connect_Plan()
        plan.command = command
        _ = try execute(plan)
    }

    /// Runs a SQL statement (DDL, SET, ...) as a command.
    public func runSQL(_ statement: String) throws {
        var c = Spark_Connect_SqlCommand()
        c.sql = statement
        var command = Spark_Connect_Command()
        command.sqlCommand = c
        try run(command)
    }

    /// Registers `relation` as a session temporary view `name` (replacing one of that name).
    public func createTempView(_ name: String, _ relation: SparkRelation) throws {
        var v = Spark_Connect_CreateDataFrameViewCommand()
        v.input = relation.proto
        v.name = name
        v.replace = true
        v.isGlobal = false
        var command = Spark_Connect_Command()
        command.createDataframeView = v
        try run(command)
    }

    /// Writes `relation` as Parquet files under the directory `path` (on the server's file
    /// system), replacing what is there.
    public func write(_ relation: SparkRelation, parquetTo path: String) throws {
        var w = Spark_Connect_WriteOperation()
        w.input = relation.proto
        w.source = "parquet"
        w.path = path
        w.mode = .overwrite
        var command = Spark_Connect_Command()
        command.writeOperation = w
        try run(command)
    }

    // MARK: AnalyzePlan

    func analyze(_ request: Spark_Connect_AnalyzePlanRequest) throws -> Spark_Connect_AnalyzePlanResponse {
        var request = request
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = remote.userAgent
        let transport = try transport()
        let options = callOptions
        let metadata = metadata
        let descriptor = MethodDescriptor(fullyQualifiedService: Self.service, method: "AnalyzePlan")
        let frozen = request
        do {
            return try blocking {
                try await withGRPCClient(transport: transport) { client in
                    try await client.unary(
                        request: ClientRequest(message: frozen, metadata: metadata), descriptor: descriptor,
                        serializer: ProtobufSerializer<Spark_Connect_AnalyzePlanRequest>(),
                        deserializer: ProtobufDeserializer<Spark_Connect_AnalyzePlanResponse>(),
                        options: options
                    ) { try $0.message }
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    /// The schema of `relation`'s result, without running it.
    public func schema(of relation: SparkRelation) throws -> Schema {
        var s = Spark_Connect_AnalyzePlanRequest.Schema()
        s.plan.root = relation.proto
        var request = Spark_Connect_AnalyzePlanRequest()
        request.schema = s
        let response = try analyze(request)
        guard case let .schema(result)? = response.result else { throw SparkConnectError.protocolViolation("AnalyzePlan returned no schema") }
        return try SparkTypes.schema(from: result.schema)
    }

    /// The server's Spark version, e.g. `4.3.0`.
    public func sparkVersion() throws -> String {
        var request = Spark_Connect_AnalyzePlanRequest()
        request.sparkVersion = Spark_Connect_AnalyzePlanRequest.SparkVersion()
        let response = try analyze(request)
        guard case let .sparkVersion(v)? = response.result else { throw SparkConnectError.protocolViolation("AnalyzePlan returned no version") }
        return v.version
    }
}
