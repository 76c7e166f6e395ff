import AMLWorkbench
import Columnar

// Forwarders for commands written against the CLI's former TableIO (it moved to
// AMLWorkbench); new code calls the library names directly.
extension TableIO {
    @available(*, deprecated, message: "use TimingsJSON.write")
    static func writeJSON(_ values: [(String, Any)], to path: String) throws { try TimingsJSON.write(values, to: path) }

    @available(*, deprecated, message: "use TableFormat.parse")
    static func parseFormat(_ text: String?) throws -> TableFormat? { try TableFormat.parse(text) }
}
