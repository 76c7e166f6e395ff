/// Where a V2 checkpoint's sidecar files live (PROTOCOL.md "Sidecar Files"): always in the
/// table's own `_delta_log/_sidecars/` directory. A `sidecar.path` that would lead anywhere
/// else is refused, as every other path in the log that would leave the table root is.
enum SidecarFiles {
    /// The filesystem path of `sidecar`, after checking that it names a file directly inside
    /// `_delta_log/_sidecars/` (a bare, URI-encoded file name, or an absolute path or
    /// `file:` URI to such a file) and that the file has the size the checkpoint records.
    /// - Complexity: O(path length) plus one stat.
    static func resolve(_ sidecar: SidecarAction, store: LogStore, checkpoint: String) throws -> String {
        let directory = store.logDirectory + "/_sidecars"
        var decoded = try TablePaths.uriDecode(sidecar.path)
        if decoded.hasPrefix("file://") { decoded = String(decoded.dropFirst(7)) }
        else if decoded.hasPrefix("file:") { decoded = String(decoded.dropFirst(5)) }
        guard !decoded.isEmpty, !decoded.utf8.contains(0), !decoded.contains("://") else {
            throw DeltaError.unsafePath("sidecar '\(sidecar.path)' in \(checkpoint) is empty, contains NUL or is a remote URI")
        }
        let path: String
        if decoded.hasPrefix("/") {
            let segments = decoded.split(separator: "/")
            guard !segments.contains(where: { $0 == ".." || $0 == "." }), let name = segments.last,
                  "/" + segments.dropLast().joined(separator: "/") == TablePaths.absolute(directory) else {
                throw DeltaError.unsafePath("sidecar '\(sidecar.path)' in \(checkpoint) is not a file in this table's _delta_log/_sidecars")
            }
            path = directory + "/" + name
        } else {
            guard !decoded.contains("/"), decoded != ".", decoded != ".." else {
                throw DeltaError.unsafePath("sidecar '\(sidecar.path)' in \(checkpoint) must be a file name inside _delta_log/_sidecars")
            }
            path = directory + "/" + decoded
        }
        guard let size = LogStore.fileSize(path) else {
            throw DeltaError.corruptLog(checkpoint, "sidecar file \(path) is missing")
        }
        guard size == sidecar.sizeInBytes else {
            throw DeltaError.corruptLog(checkpoint, "sidecar file \(path) has \(size) bytes, the checkpoint records \(sidecar.sizeInBytes)")
        }
        return path
    }
}
