/// Why a Parquet file could not be read or written.
///
/// Every message names the file and what was wrong, so a corrupt file in a Delta table can be
/// found from the error alone.
public enum ParquetError: Error, CustomStringConvertible, Equatable {
    /// The file's bytes do not follow the format (truncated, bit-flipped, inconsistent sizes).
    case corrupt(file: String, message: String)
    /// The file is valid Parquet but uses a feature this reader does not implement.
    case unsupported(file: String, message: String)
    /// The caller asked for something impossible (unknown column, mismatched batch schema).
    case invalidArgument(String)
    /// The operating system refused an open, read or write.
    case io(file: String, message: String)

    public var description: String {
        switch self {
        case let .corrupt(file, message): return "\(file): corrupt Parquet file: \(message)"
        case let .unsupported(file, message): return "\(file): unsupported Parquet feature: \(message)"
        case let .invalidArgument(message): return message
        case let .io(file, message): return "\(file): \(message)"
        }
    }
}

/// An error raised deep inside a decoder, before the file name is known; `ParquetReader`
/// wraps it into `ParquetError.corrupt` with the file name and the column being read.
struct DecodeError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A decoder meeting a valid but unimplemented feature.
struct UnsupportedError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
