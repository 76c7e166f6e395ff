/// An error in an expression's text, its types, or its evaluation.
///
/// Every case carries the expression text and the 0-based offset (in Unicode scalars) of the
/// offending token, so the message can name the column (1-based) and show a caret excerpt:
///
///     column 13: expected ')' but found end of expression
///       coalesce(a, b
///                    ^
public struct ExpressionError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The text does not parse.
        case syntax
        /// A column or qualifier that the scope does not define.
        case unknownColumn
        /// A function name that is not in the catalogue, or the wrong number of arguments.
        case unknownFunction
        /// Operand types an operator or function cannot accept.
        case typeMismatch
        /// A failure while evaluating (integer overflow, square root of a negative number).
        case evaluation
    }

    public let kind: Kind
    /// What went wrong and, for syntax errors, what was expected.
    public let message: String
    /// The full expression text.
    public let source: String
    /// 0-based offset into `source` in Unicode scalars.
    public let offset: Int

    public init(_ kind: Kind, _ message: String, source: String, offset: Int) {
        self.kind = kind
        self.message = message
        self.source = source
        self.offset = max(0, offset)
    }

    /// 1-based column of the problem in the expression text.
    public var column: Int { offset + 1 }

    /// One line (the CLI's error contract): the column, the message and the expression.
    public var description: String {
        "expression column \(column): \(message) in \(quoted())"
    }

    /// Two lines: the expression (or the 60 characters around the problem) and a caret under
    /// the offending column.
    public var caretExcerpt: String {
        let scalars = Array(source.unicodeScalars)
        let start = max(0, offset - 40)
        let end = min(scalars.count, offset + 20)
        var line = String(String.UnicodeScalarView(scalars[start..<end]))
        line = line.replacingNewlines()
        let prefix = start > 0 ? "..." : ""
        let suffix = end < scalars.count ? "..." : ""
        return "  \(prefix)\(line)\(suffix)\n  \(String(repeating: " ", count: prefix.count + offset - start))^"
    }

    /// The one-line description followed by the caret excerpt.
    public var detailedDescription: String {
        "expression column \(column): \(message)\n\(caretExcerpt)"
    }

    /// The expression in quotes; long ones are cut to the 100 characters around the problem.
    private func quoted() -> String {
        let scalars = Array(source.replacingNewlines().unicodeScalars)
        guard scalars.count > 120 else { return "\"" + String(String.UnicodeScalarView(scalars)) + "\"" }
        let start = max(0, min(offset - 60, scalars.count - 100)), end = min(scalars.count, start + 100)
        let text = String(String.UnicodeScalarView(scalars[start..<end]))
        return "\"" + (start > 0 ? "..." : "") + text + (end < scalars.count ? "..." : "") + "\""
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
    }
}
