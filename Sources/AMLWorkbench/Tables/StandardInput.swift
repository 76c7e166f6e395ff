import Foundation

/// `-` as an input path: standard input copied to a temporary file, so the memory-mapped CSV
/// reader reads it like any file.
enum StandardInput {
    /// Copies standard input to a new temporary file and returns its path. O(bytes).
    static func spool() throws -> String {
        let path = NSTemporaryDirectory() + "amlgraph-stdin-\(UUID().uuidString).csv"
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw TableIOError("cannot create a temporary file for standard input in \(NSTemporaryDirectory())")
        }
        defer { try? out.close() }
        while true {
            let chunk = FileHandle.standardInput.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            out.write(chunk)
        }
        return path
    }
}
