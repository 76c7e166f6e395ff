import Columnar

/// Everything that can go wrong reading or writing a Delta table. Messages name the table,
/// the log file or the data file involved and say what was expected.
public enum DeltaError: Error, CustomStringConvertible, Sendable {
    /// `path` holds no `_delta_log` (or an empty one).
    case notATable(String)
    /// A table already exists where `create` was asked to make one.
    case alreadyExists(String)
    /// A log file or checkpoint is malformed: (file, what is wrong).
    case corruptLog(String, String)
    /// The table needs a reader/writer version or feature this implementation lacks.
    case unsupported(String)
    /// A requested version or timestamp is not in the log.
    case versionNotFound(String)
    /// A path in the log would leave the table root.
    case unsafePath(String)
    /// The write's schema does not match the table's.
    case schemaMismatch(String)
    /// A concurrent commit made this transaction invalid; the caller must re-read and retry.
    case concurrentModification(String)
    /// Filesystem failure: (path, message).
    case io(String, String)
    /// Bad argument from the caller.
    case invalidArgument(String)
    /// A data or checkpoint file could not be read or written (the message names the file).
    case dataFile(String)

    public var description: String {
        switch self {
        case let .notATable(p): return "\(p): not a Delta table (no _delta_log/ with commits)"
        case let .alreadyExists(p): return "\(p): a Delta table already exists here"
        case let .corruptLog(f, m): return "\(f): corrupt Delta log: \(m)"
        case let .unsupported(m): return "unsupported Delta table: \(m)"
        case let .versionNotFound(m): return m
        case let .unsafePath(m): return "unsafe path in Delta log: \(m)"
        case let .schemaMismatch(m): return "schema mismatch: \(m)"
        case let .concurrentModification(m): return "concurrent modification: \(m); re-read the table and retry"
        case let .io(p, m): return "\(p): \(m)"
        case let .invalidArgument(m): return m
        case let .dataFile(m): return m
        }
    }
}
