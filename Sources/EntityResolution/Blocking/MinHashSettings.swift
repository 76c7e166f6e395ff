import Foundation

extension MinHashLSH {
    /// Reads the settings' `"minhash"` object: `columns` (required), `q`, `num_perm`, `bands`
    /// with `rows` (both or neither), `threshold` (used when bands/rows are absent) and
    /// `seed`. Every value is checked and an unknown key is an error, so a misspelt option is
    /// never silently replaced by a default; `file` names the settings file in errors.
    public init(json: [String: Any], file: String) throws {
        func fail(_ key: String, _ expected: String) -> EntityResolutionError {
            .settings(file, "minhash.\(key): expected \(expected)")
        }
        let known: Set<String> = ["columns", "q", "num_perm", "bands", "rows", "threshold", "seed"]
        if let unknown = json.keys.filter({ !known.contains($0) }).sorted().first {
            throw EntityResolutionError.settings(file, "minhash.\(unknown): unknown key (\(SettingsKeys.nearest(unknown, in: known.sorted()).map { "did you mean '\($0)'? " } ?? "")expected one of \(known.sorted().joined(separator: ", ")))")
        }
        func count(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let v = json[key] else { return nil }
            guard let n = (v as? NSNumber)?.doubleValue, n == n.rounded(), range.contains(Int(exactly: n) ?? -1) else {
                throw fail(key, "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return Int(n)
        }
        guard let columns = json["columns"] as? [String], !columns.isEmpty else { throw fail("columns", "a non-empty list of column names") }
        let numPerm = try count("num_perm", 1...4096) ?? 128
        let bands = try count("bands", 1...4096), rows = try count("rows", 1...4096)
        guard (bands == nil) == (rows == nil) else { throw fail(bands == nil ? "bands" : "rows", "bands and rows given together") }
        if let bands, let rows, bands * rows > numPerm { throw fail("bands", "bands × rows ≤ num_perm (\(bands) × \(rows) > \(numPerm))") }
        var threshold = 0.5
        if let v = json["threshold"] {
            guard let t = (v as? NSNumber)?.doubleValue, t > 0, t < 1 else { throw fail("threshold", "a number in (0, 1)") }
            threshold = t
        }
        self.init(columns: columns, q: try count("q", 1...16) ?? 3, numPerm: numPerm, bands: bands, rows: rows,
                  threshold: threshold, seed: UInt64(try count("seed", 0...Int(Int32.max)) ?? 1))
    }
}
