// Reading YAML or JSON settings files strictly: every error names the file, the line and
// column, and the key; an unknown key suggests the nearest valid one.
import Columnar
import Foundation
import Yams

/// A parsed YAML/JSON document with the file it came from, for located errors.
public struct ConfigDocument {
    public let file: String
    public let root: Node

    /// Loads `path` (YAML, or JSON, which YAML 1.2 contains). A missing, empty or malformed
    /// file is a `SettingsFileError` with the line and column where parsing stopped.
    public static func load(_ path: String) throws -> ConfigDocument {
        guard FileManager.default.fileExists(atPath: path) else { throw SettingsFileError(file: path, message: "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingsFileError(file: path, message: "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw SettingsFileError(file: path, message: "not UTF-8 text") }
        if path.lowercased().hasSuffix(".json") {
            // JSON's own syntax errors first: Foundation names the offending character.
            _ = try JSONFile.object(data: data, file: path)
        }
        return try parse(text, file: path)
    }

    /// Parses YAML/JSON text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> ConfigDocument {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw located(error, file: file)
        }
        guard let node else { throw SettingsFileError(file: file, line: 1, column: 1, message: "the file is empty (expected a mapping of keys)") }
        guard node.mapping != nil else {
            throw SettingsFileError(file: file, line: node.mark.map { $0.line }, column: node.mark.map { $0.column }, message: "expected a mapping of keys at the top level")
        }
        return ConfigDocument(file: file, root: node)
    }

    static func located(_ error: YamlError, file: String) -> SettingsFileError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return SettingsFileError(file: file, line: mark.line, column: mark.column, message: "not valid YAML/JSON: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, _):
            return SettingsFileError(file: file, message: "duplicate key(s) \(duplicates.joined(separator: ", "))")
        default:
            return SettingsFileError(file: file, message: "not valid YAML/JSON: \(error)")
        }
    }

    /// An error at `node` (its line and column) about `key`.
    public func error(_ node: Node?, _ key: String, _ message: String) -> SettingsFileError {
        SettingsFileError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: key.isEmpty ? message : "\(key): \(message)")
    }

    /// The entries of a mapping node, rejecting keys not in `allowed` (nil: any key).
    public func entries(_ node: Node, path: String, allowed: [String]?) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard let mapping = node.mapping else { throw error(node, path, "expected a mapping of keys") }
        var out: [(String, Node, Node)] = []
        for (k, v) in mapping {
            guard let key = k.string else { throw error(k, path, "keys must be text") }
            if let allowed, !allowed.contains(key) {
                throw error(k, "", KeySuggestion.unknownKeyMessage(key, path: path, valid: allowed))
            }
            out.append((key, k, v))
        }
        return out
    }

    /// A `ConfigSection` from `node` (nil: all defaults): keys are checked against the
    /// section's own (those its default value encodes), missing keys keep their defaults,
    /// values are type-checked and then checked by `problems()`.
    public func section<S: ConfigSection>(_ type: S.Type, _ node: Node?, path: String) throws -> S {
        guard let node else { return S() }
        guard let defaults = try Yams.compose(yaml: YAMLEncoder().encode(S())), var merged = defaults.mapping else {
            throw error(node, path, "internal: \(S.self) has no keys")
        }
        let valid = Array(merged.keys.compactMap(\.string))
        let given = try entries(node, path: path, allowed: valid)
        for entry in given { merged[entry.key] = entry.value }
        let value: S
        do {
            value = try YAMLDecoder().decode(S.self, from: Node.mapping(merged))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.first?.stringValue ?? ""
            let at = given.first { $0.key == key }?.value
            throw error(at ?? node, path.isEmpty ? key : "\(path).\(key)", "expected \(S.expected(key)) (\(context.debugDescription))")
        }
        for problem in value.problems() {
            let at = given.first { $0.key == problem.key }?.value
            throw error(at ?? node, "\(path).\(problem.key)", problem.message)
        }
        return value
    }
}

/// One section of a settings file: a Codable value whose default (`init()`) lists every key,
/// so unknown keys can be refused and `config init` can print every default.
public protocol ConfigSection: Codable, Sendable {
    init()
    /// What each key means, in key order, for `config init` (one line each).
    static var documentation: [(key: String, text: String)] { get }
    /// Values that are well typed but wrong: (key, what is expected).
    func problems() -> [(key: String, message: String)]
}

extension ConfigSection {
    public func problems() -> [(key: String, message: String)] { [] }
    /// The kind of value `key` holds, for type errors.
    static func expected(_ key: String) -> String {
        documentation.first { $0.key == key }.map { "a value for '\(key)': \($0.text)" } ?? "another type"
    }
}

/// Checks shared by sections.
enum SettingsCheck {
    /// Durations need a unit: `7d`, `72h`, `30m`, `45s`, `2w`.
    static func duration(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let last = t.last, !last.isNumber else { return "'\(text)' has no unit: write it as 7d, 72h, 30m, 45s or 2w" }
        let digits = t.prefix { $0.isNumber }
        let unit = t.dropFirst(digits.count)
        guard !digits.isEmpty, ["us", "ms", "s", "m", "min", "h", "d", "w"].contains(String(unit)) else {
            return "'\(text)' is not a duration: write a number and a unit, e.g. 7d, 72h, 30m, 45s, 2w"
        }
        return nil
    }

    /// Microseconds of a checked duration.
    static func micros(_ text: String) -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isNumber }
        let n = Int64(digits) ?? 0
        switch String(t.dropFirst(digits.count)) {
        case "us": return n
        case "ms": return n * 1_000
        case "s": return n * 1_000_000
        case "m", "min": return n * 60_000_000
        case "h": return n * 3_600_000_000
        case "d": return n * 86_400_000_000
        default: return n * 7 * 86_400_000_000
        }
    }

    static func probability(_ key: String, _ v: Double) -> (key: String, message: String)? {
        v.isFinite && v >= 0 && v <= 1 ? nil : (key, "\(v) is not a probability (expected a number in [0, 1])")
    }

    static func nonNegative(_ key: String, _ v: Double) -> (key: String, message: String)? {
        v.isFinite && v >= 0 ? nil : (key, "\(v) must be a finite number ≥ 0")
    }
}

/// Durations of scenario windows, checked the same way on the command line and in configs:
/// a number and a unit (`7d`, `72h`, `30m`, `45s`, `500ms`, `2w`); a bare number is an error.
public enum ScenarioDuration {
    /// Microseconds of `text`; `option` names the flag or key in the error.
    public static func micros(_ text: String, option: String) throws -> Int64 {
        if let problem = SettingsCheck.duration(text) { throw PipelineError.missingInput("\(option): \(problem)") }
        return SettingsCheck.micros(text)
    }
}
