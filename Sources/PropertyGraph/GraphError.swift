import Columnar

/// Errors raised while building a graph. Messages name the table and column at fault.
public enum GraphError: Error, CustomStringConvertible, Sendable {
    case missingColumn(table: String, column: String, available: [String])
    case unsupportedIDType(table: String, column: String, type: DataType)
    /// The id columns (table, column, type) disagree: some are integers and some strings.
    case mismatchedIDTypes([(table: String, column: String, type: DataType)])
    case nullID(table: String, column: String, row: Int)
    case duplicateVertexID(String)
    case danglingEdges(table: String, count: Int, examples: [String])
    case tooLarge(String)

    public var description: String {
        switch self {
        case let .missingColumn(table, column, available):
            return "\(table): no column '\(column)' (columns are: \(available.joined(separator: ", "))); choose another with --id-col/--src-col/--dst-col"
        case let .unsupportedIDType(table, column, type):
            return "\(table): id column '\(column)' has type \(type); ids must be integers or strings"
        case let .mismatchedIDTypes(columns):
            let listed = columns.map { "\($0.table) column '\($0.column)' is \($0.type)" }.joined(separator: ", ")
            return "id columns disagree: \(listed); all must be integers or all strings (a column read as strings usually holds a non-numeric id somewhere)"
        case let .nullID(table, column, row):
            return "\(table): column '\(column)' is null at row \(row + 1); every id must be present"
        case let .duplicateVertexID(id):
            return "vertices: id \(id) appears more than once; vertex ids must be unique"
        case let .danglingEdges(table, count, examples):
            return "\(table): \(count) edge(s) point to vertices missing from the vertices table (e.g. \(examples.joined(separator: ", "))); add the vertices or pass --drop-dangling"
        case let .tooLarge(message):
            return message
        }
    }
}
