// The address of a Spark Connect server, parsed from its `sc://` connection string.
import Foundation

/// A Spark Connect endpoint: `sc://HOST[:PORT][/;key=value;...]`.
///
/// Follows Spark Connect's client connection-string convention
/// (`connector/connect/docs/client-connection-string.md` in apache/spark): the default port is
/// 15002, the path must be empty, and the parameters after `/;` are case-sensitive `key=value`
/// pairs:
/// - `use_ssl=true|false`: TLS with the system's trust roots and full certificate
///   verification (default false);
/// - `token=...`: a bearer token sent as `authorization: Bearer ...` on every call; as the
///   convention says, a token turns TLS on, except towards the loopback interface without
///   `use_ssl=true` (PySpark's rule for a local server). A token with `use_ssl=false` to any
///   other host is refused, so a credential never crosses a network in clear;
/// - `user_id`: the `UserContext.user_id` of every request (default `amlgraph`);
/// - `session_id`: a UUID to join an existing session (default: a new random one);
/// - `user_agent`: the `client_type` of every request (default `amlgraph`).
/// Any other key is sent as a gRPC header with every call, as PySpark does (for example a
/// gateway's `x-databricks-cluster-id`); `grpc_keepalive_*` keys are accepted and ignored.
/// The token never appears in `description` or in error messages.
public struct SparkRemote: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var userID: String
    /// A session id to join (a UUID); nil: the client makes a new one.
    public var sessionID: String?
    /// Connect with TLS (system trust roots, server certificate verified against `host`).
    public var useTLS: Bool
    /// Bearer token for the `authorization` header; nil: none sent.
    public var token: String?
    /// The `client_type` reported to the server.
    public var userAgent: String
    /// Other connection-string parameters, sent as gRPC headers (key, value) with every call.
    public var headers: [Header] = []

    /// One extra header: a lower-case gRPC metadata key and its value.
    public struct Header: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    public init(host: String, port: Int = 15002, userID: String = "amlgraph", sessionID: String? = nil,
                useTLS: Bool = false, token: String? = nil, userAgent: String = "amlgraph") {
        self.host = host
        self.port = port
        self.userID = userID
        self.sessionID = sessionID
        self.useTLS = useTLS
        self.token = token
        self.userAgent = userAgent
    }

    /// True for `localhost` and loopback addresses (127.0.0.0/8, ::1): traffic that never
    /// leaves the machine.
    public var isLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.") && h.split(separator: ".").count == 4
    }

    /// Parses `sc://HOST[:PORT][/;params]`; throws `SparkConnectError.invalidRemote` naming
    /// the string (with any token masked) and what was expected.
    public init(parsing text: String) throws {
        let shown = SparkRemote.redacted(text)
        func bad(_ why: String) -> SparkConnectError {
            .invalidRemote("--spark-remote \(shown): \(why); expected sc://HOST:PORT[/;use_ssl=true;token=...;user_id=...]")
        }
        guard text.hasPrefix("sc://") else { throw bad("does not start with sc://") }
        var rest = Substring(text.dropFirst(5))
        var params: [(String, String)] = []
        if let slash = rest.firstIndex(of: "/") {
            let tail = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            guard tail.isEmpty || tail.hasPrefix(";") else { throw bad("the path must be empty (parameters follow '/;')") }
            for part in tail.split(separator: ";") where !part.isEmpty {
                let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2, !kv[0].isEmpty else { throw bad("parameter \(kv[0] == "token" ? "token=***" : String(part)) is not key=value") }
                params.append((String(kv[0]), String(kv[1])))
            }
        }
        var host = String(rest)
        var port = 15002
        if host.hasPrefix("[") {  // [IPv6]:port
            guard let close = host.firstIndex(of: "]") else { throw bad("unclosed [") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { throw bad("port \(after.dropFirst()) is not 1-65535") }
                port = p
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            let p = host[host.index(after: colon)...]
            guard let value = Int(p), (1...65535).contains(value) else { throw bad("port \(p) is not 1-65535") }
            port = value
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw bad("no host") }
        self.init(host: host, port: port)
        var ssl: Bool?
        for (key, value) in params {
            switch key {
            case "user_id": userID = value
            case "user_agent": userAgent = value
            case "session_id":
                guard UUID(uuidString: value) != nil else { throw bad("session_id \(value) is not a UUID") }
                sessionID = value
            case "token":
                guard !value.isEmpty else { throw bad("token is empty") }
                token = value
            case "use_ssl":
                switch value.lowercased() {
                case "true": ssl = true
                case "false": ssl = false
                default: throw bad("use_ssl=\(value) is not true or false")
                }
            default:
                if key.hasPrefix("grpc_keepalive_") { continue }  // connection tuning, not a header
                guard key.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 || $0 == 46 }),
                      !key.hasPrefix("grpc-"), key != "authorization" else {
                    throw bad("parameter '\(key)' is neither a known one (use_ssl, token, user_id, user_agent, session_id; names are case-sensitive) nor a valid header name (lower-case letters, digits, - _ .)")
                }
                headers.append(Header(key: key, value: value))
            }
        }
        if token != nil, ssl == false, !isLoopback {
            throw bad("a token is only sent over TLS to a host other than localhost; drop use_ssl=false")
        }
        // PySpark's rule: TLS when asked, or when a token goes to a host other than localhost.
        useTLS = ssl ?? (token != nil && !isLoopback)
    }

    /// `text` with the value of any `token=` parameter replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard let start = text.range(of: ";token=") ?? text.range(of: "/token=") else { return text }
        let end = text[start.upperBound...].firstIndex(of: ";") ?? text.endIndex
        return String(text[..<start.upperBound]) + "***" + redacted(String(text[end...]))
    }

    public var description: String {
        "sc://\(host.contains(":") ? "[\(host)]" : host):\(port)" + (useTLS ? " (TLS)" : "")
    }
}
