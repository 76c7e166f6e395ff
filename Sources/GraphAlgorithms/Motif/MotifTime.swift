// Edge times and durations for the temporal options (time order, `--within`).

import Columnar

/// Converts an edge column to comparable `Int64` times and parses window durations.
public enum MotifTime {
    /// Times per edge: timestamps as microseconds, dates as microseconds at midnight UTC,
    /// integers as they are. Nulls are rejected (a null time cannot be ordered). O(E).
    public static func edgeTimes(_ column: Column, name: String) throws -> [Int64] {
        if column.nullCount > 0 {
            let row = (0..<column.count).first { column.isNull($0) }!
            throw MotifError(offset: 0, message: "time column '\(name)' is null at row \(row + 1); every edge needs a time for time order or --within", pattern: "")
        }
        switch column.data {
        case let .timestamp(a): return a
        case let .date(a): return a.map { Int64($0) * 86_400_000_000 }
        case let .int64(a): return a
        case let .int32(a): return a.map(Int64.init)
        default:
            throw MotifError(offset: 0, message: "time column '\(name)' has type \(column.type); expected timestamp, date or integer", pattern: "")
        }
    }

    /// Parses `30d`, `12h`, `90m`, `45s`, `500ms`, `2w` into microseconds; a bare integer is
    /// taken as is (for integer time columns).
    public static func duration(_ text: String) throws -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isNumber }
        let unit = t.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 12, let n = Int64(digits) else {
            throw MotifError(offset: 0, message: "bad duration '\(text)': expected a number and a unit, e.g. 30d, 12h, 90m, 45s, 500ms, 2w", pattern: "")
        }
        let scale: Int64
        switch unit {
        case "": scale = 1
        case "us": scale = 1
        case "ms": scale = 1_000
        case "s": scale = 1_000_000
        case "m", "min": scale = 60_000_000
        case "h": scale = 3_600_000_000
        case "d": scale = 86_400_000_000
        case "w": scale = 7 * 86_400_000_000
        default:
            throw MotifError(offset: 0, message: "bad duration unit '\(unit)' in '\(text)': use us, ms, s, m, h, d or w", pattern: "")
        }
        return n * scale
    }
}

import Foundation
