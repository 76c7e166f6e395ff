// The address of a Spark Connect server, parsed from its `sc://` connection string.

/// A Spark Connect endpoint: `sc://HOST[:PORT][/;key=value;...]`.
///
/// Follows Spark Connect's connection-string convention: the default port is 15002 and the
/// parameters after `/;` are `key=value` pairs; `user_id` and `session_id` are used, `token`
/// and `use_ssl=true` are refused (this client speaks plaintext HTTP/2 only, for a server on
/// the same host or a trusted network).
public struct SparkRemote: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var userID: String
    /// A session id to join (a UUID); nil: the client makes a new one.
    public var sessionID: String?

    public init(host: String, port: Int = 15002, userID: String = "amlgraph", sessionID: String? = nil) {
        self.host = host
        self.port = port
        self.userID = userID
        self.sessionID = sessionID
    }

    /// Parses `sc://HOST[:PORT][/;params]`; throws `SparkConnectError.invalidRemote` naming
    /// the string and what was expected.
    public init(parsing text: String) throws {
        func bad(_ why: String) -> SparkConnectError { .invalidRemote("--spark-remote \(text): \(why); expected sc://HOST:PORT") }
        guard text.hasPrefix("sc://") else { throw bad("does not start with sc://") }
        var rest = Substring(text.dropFirst(5))
        var params: [(String, String)] = []
        if let slash = rest.firstIndex(of: "/") {
            let tail = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            for part in tail.split(separator: ";") where !part.isEmpty {
                let kv = part.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { throw bad("parameter \(part) is not key=value") }
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
        for (key, value) in params {
            switch key {
            case "user_id": userID = value
            case "session_id": sessionID = value
            case "token": throw bad("token authentication needs TLS, which this client does not speak")
            case "use_ssl": if value.lowercased() == "true" { throw bad("TLS is not supported by this client") }
            default: break  // user_agent and others are informational
            }
        }
    }

    public var description: String { "sc://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
