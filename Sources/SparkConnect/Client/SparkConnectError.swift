// Errors of the Spark Connect client, with messages fit for a CLI user.

/// What went wrong talking to Spark Connect. `description` is one clean line.
public enum SparkConnectError: Error, CustomStringConvertible, Equatable {
    /// The connection string could not be parsed.
    case invalidRemote(String)
    /// No server answered at the address.
    case unreachable(address: String, detail: String)
    /// The server rejected or failed the plan; `message` is Spark's error (class and text).
    case server(message: String)
    /// The server's reply could not be understood.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case let .invalidRemote(m): return m
        case let .unreachable(address, detail): return "cannot reach the Spark Connect server at \(address) (\(detail)); start one (scripts/spark_connect_server.sh start) or check --spark-remote"
        case let .server(message): return "Spark: \(message)"
        case let .protocolViolation(m): return "Spark Connect: \(m)"
        }
    }

    /// Whether the failure is the user's to fix (exit 1) rather than an internal one (exit 2).
    public var isUserError: Bool {
        switch self {
        case .protocolViolation: return false
        default: return true
        }
    }
}
