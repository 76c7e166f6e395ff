import ArgumentParser
import Columnar
#if canImport(Glibc)
import Glibc
#endif

/// An error that is the user's to fix: bad input data, a missing file, a bad option value.
/// Library error types conform so the CLI can tell them from internal failures.
protocol UserFacingError: Error, CustomStringConvertible {}

extension ColumnarError: UserFacingError {}

/// A plain user error raised by the CLI itself.
struct CLIError: UserFacingError {
    let description: String
    init(_ message: String) { description = message }
}

/// Turns any thrown error into one line on stderr and an exit code.
enum ExitReporting {
    static func report(_ error: Error) -> Int32 {
        // --help, --version and similar are clean exits from ArgumentParser.
        let code = AMLGraphCommand.exitCode(for: error)
        if code == .success {
            print(AMLGraphCommand.fullMessage(for: error))
            return 0
        }
        if error is UserFacingError {
            printError("error: \(error)")
            return 1
        }
        if isArgumentParserError(error) {
            let message = AMLGraphCommand.message(for: error)
            printError("error: " + message.split(separator: "\n").first.map(String.init)! + (message.contains("\n") ? " (see --help)" : ""))
            return 1
        }
        printError("internal error: \(error)")
        return 2
    }

    static func isArgumentParserError(_ error: Error) -> Bool {
        // ArgumentParser's parse/validation errors are not public types; anything it can
        // render a message for that is not our own error counts as a usage error.
        String(reflecting: type(of: error)).contains("ArgumentParser") || error is ValidationError
    }

    static func printError(_ text: String) {
        fputs(text.escapingControlCharacters + "\n", stderr)
    }
}
