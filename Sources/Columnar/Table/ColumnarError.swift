/// Errors raised by the columnar layer. Every message names the file, line and column where
/// one is known, and says what was expected.
public enum ColumnarError: Error, CustomStringConvertible, Sendable {
    /// A problem with the caller's arguments (a missing column, a bad schema string).
    case invalidArgument(String)
    /// Malformed input data at a known place.
    case malformedInput(file: String, line: Int?, column: String?, message: String)
    /// A file could not be opened, read or written.
    case io(path: String, message: String)
    /// A column has a type an operation cannot accept.
    case typeMismatch(column: String, expected: String, found: DataType)

    public var description: String {
        switch self {
        case let .invalidArgument(message):
            return message
        case let .malformedInput(file, line, column, message):
            var place = file
            if let line { place += ":\(line)" }
            if let column { place += " column '\(column)'" }
            return "\(place): \(message)"
        case let .io(path, message):
            return "\(path): \(message)"
        case let .typeMismatch(column, expected, found):
            return "column '\(column)' has type \(found), expected \(expected)"
        }
    }
}
