import AMLWorkbench
import ArgumentParser
import Columnar

/// `--delimiter` and `--encoding`: how every command reads its CSV inputs (`-` is standard
/// input everywhere).
struct CSVInputOptions: ParsableArguments {
    @Option(help: "CSV field separator of the inputs: one character, or tab, semicolon, comma, pipe.") var delimiter = ","
    @Option(help: "Text encoding of CSV inputs: utf-8, latin-1 or windows-1252 (a UTF-8 BOM is skipped).") var encoding = "utf-8"

    /// The library's read options for these flags.
    func readOptions() throws -> TableReadOptions {
        var o = TableReadOptions()
        o.delimiter = try TableReadOptions.delimiter(delimiter)
        guard let e = TextEncoding(name: encoding) else { throw CLIError("--encoding \(encoding): expected utf-8, latin-1 or windows-1252") }
        o.encoding = e
        return o
    }

    /// Reads `path` with these flags plus `columns` and `types` (applied to the columns the
    /// file has).
    func read(_ path: String, columns: [String]? = nil, types: [String: DataType] = [:]) throws -> Table {
        var o = try readOptions()
        o.columns = columns
        o.types = types
        o.typesForPresentColumnsOnly = true
        return try TableIO.read(path, options: o)
    }
}
