// A timed job: stages run in order, each timed, with counters beside the timings, written as
// the `--timings-json` object the benchmarks read. What `amlgraph algo` and every other
// command share, so a script times its steps the same way.
import Columnar
import Foundation

/// One value of a timings record: seconds (6 decimals), a count, or a short text.
public enum TimingValue: Sendable, Equatable {
    case seconds(Double)
    case count(Int)
    case text(String)
}

/// Runs named stages with a stopwatch and collects `name -> value` pairs in order.
public final class TimedJob {
    /// The pairs so far, in the order they were recorded.
    public private(set) var record: [(String, TimingValue)] = []
    private var clock = Stopwatch()
    /// Receives each stage name as it starts (a progress display).
    public let progress: (String) -> Void

    public init(progress: @escaping (String) -> Void = { _ in }) {
        self.progress = progress
    }

    /// Runs `body` as stage `name`, recording its seconds under `key` (nil: not recorded).
    public func stage<T>(_ name: String, key: String?, _ body: () throws -> T) rethrows -> T {
        progress(name)
        _ = clock.lap()
        let result = try body()
        let seconds = clock.lap()
        if let key { record.append((key, .seconds(seconds))) }
        return result
    }

    /// Records `seconds` under `key` (for stages timed elsewhere, like graph loading).
    public func add(_ key: String, seconds: Double) { record.append((key, .seconds(seconds))) }
    /// Records a count.
    public func add(_ key: String, count: Int) { record.append((key, .count(count))) }
    /// Records a text value.
    public func add(_ key: String, text: String) { record.append((key, .text(text))) }

    /// Seconds since the job started.
    public var totalSeconds: Double { clock.total }

    /// Writes the record plus `total_s` as a JSON object to `path` (atomically).
    public func writeJSON(to path: String, total: Bool = true) throws {
        try TimingsJSON.write(record + (total ? [("total_s", .seconds(clock.total))] : []), to: path)
    }
}

/// The `--timings-json` file: a flat JSON object, one key a line.
public enum TimingsJSON {
    /// Writes `{"key": value, ...}` to `path` atomically: seconds with 6 decimals, counts as
    /// integers, texts as JSON strings.
    public static func write(_ values: [(String, TimingValue)], to path: String) throws {
        let body = values.map { key, value -> String in
            let rendered: String
            switch value {
            case let .seconds(d): rendered = String(format: "%.6f", d)
            case let .count(n): rendered = String(n)
            case let .text(s): rendered = JSONText.quoted(s)
            }
            return "  \(JSONText.quoted(key)): \(rendered)"
        }.joined(separator: ",\n")
        let file = try AtomicFileWriter(path: path)
        try file.write("{\n\(body)\n}\n")
        try file.commit()
    }
}

extension TimingsJSON {
    /// Writes pairs whose values are `Double` (seconds), `Int` (counts) or anything else
    /// (its text), for callers that collect mixed values.
    public static func write(_ values: [(String, Any)], to path: String) throws {
        try write(values.map { key, value -> (String, TimingValue) in
            if let d = value as? Double { return (key, .seconds(d)) }
            if let n = value as? Int { return (key, .count(n)) }
            return (key, .text(value as? String ?? "\(value)"))
        }, to: path)
    }
}
