import Foundation

/// A settings or config file that cannot be read: missing, unreadable, or not valid JSON
/// (with the line and column where parsing stopped), or a value that is not what a key needs.
public struct SettingsFileError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(place): \(message)"
    }
}

/// Reads JSON documents with errors a user can act on: the file, line and column of a syntax
/// error instead of Foundation's `NSCocoaErrorDomain` text. Numbers are read exactly
/// (`ExactJSON`), so a model's thresholds and probabilities are the doubles their text names.
public enum JSONFile {
    /// The top-level object of the JSON file at `path`. O(file size).
    public static func object(path: String) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SettingsFileError(file: path, message: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsFileError(file: path, message: "cannot read the file")
        }
        return try object(data: data, file: path)
    }

    /// The top-level object of a JSON document; `file` names it in errors.
    public static func object(data: Data, file: String) throws -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let debug = (error as NSError).userInfo["NSDebugDescription"] as? String ?? "not valid JSON"
            let offset = characterOffset(in: debug) ?? data.count
            let (line, column) = lineAndColumn(of: offset, in: data)
            var message = debug.replacingOccurrences(of: #" around (line \d+, column \d+|character \d+)\.?"#, with: "", options: .regularExpression)
            if message.hasSuffix(".") { message.removeLast() }
            if data.isEmpty { message = "the file is empty (expected a JSON object)" }
            throw SettingsFileError(file: file, line: line, column: column, message: "not valid JSON: \(message)")
        }
        guard parsed is [String: Any], let object = try? ExactJSON.parse(data) as? [String: Any] else {
            throw SettingsFileError(file: file, line: 1, column: 1, message: "expected a JSON object {...} at the top level")
        }
        return object
    }

    static func characterOffset(in message: String) -> Int? {
        guard let r = message.range(of: #"character (\d+)"#, options: .regularExpression) else { return nil }
        return Int(message[r].dropFirst("character ".count))
    }

    /// 1-based line and column (in characters) of byte `offset`.
    static func lineAndColumn(of offset: Int, in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        for (i, b) in data.enumerated() {
            if i >= offset { break }
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}

/// The nearest valid key to a misspelt one, for "unknown key 'trainng' (did you mean
/// 'training'?)". Levenshtein distance over characters, ties broken by list order; nil when
/// nothing is within a third of the key's length (at least 2 edits).
public enum KeySuggestion {
    /// The closest of `candidates` to `key`, if close enough. O(Σ |key| · |candidate|).
    public static func nearest(_ key: String, in candidates: [String]) -> String? {
        let k = Array(key.lowercased())
        var best: (String, Int)?
        for c in candidates {
            let d = distance(k, Array(c.lowercased()))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let best, best.1 <= max(2, k.count / 3) else { return nil }
        return best.0
    }

    /// "unknown key 'x' (did you mean 'y'?; valid keys: ...)" for error messages.
    public static func unknownKeyMessage(_ key: String, path: String, valid: [String]) -> String {
        let full = path.isEmpty ? key : "\(path).\(key)"
        let hint = nearest(key, in: valid).map { "did you mean '\(path.isEmpty ? $0 : "\(path).\($0)")'? " } ?? ""
        return "unknown key '\(full)' (\(hint)valid keys: \(valid.joined(separator: ", ")))"
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
