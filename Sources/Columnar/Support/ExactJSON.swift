import Foundation

/// A JSON document as Foundation objects (`[String: Any]`, `[Any]`, `String`, `NSNumber`,
/// `NSNull`, as `JSONSerialization` returns them) with every number read exactly as Swift's
/// `Double(String)` reads it: correctly rounded to the nearest double. Foundation's
/// `JSONSerialization` on Linux can be one or two units in the last place off (it reads
/// `0.8500000000000001` as the double after it), which moves a threshold or a probability
/// read from a model file; `JSONDecoder` rounds correctly, so the tree is decoded with it.
/// Integers that fit `Int` stay integers; `true`/`false` stay booleans.
public enum ExactJSON: Decodable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ExactJSON])
    case object([String: ExactJSON])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([ExactJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: ExactJSON].self)) }
    }

    /// The Foundation form `JSONSerialization.jsonObject` would give.
    public var foundation: Any {
        switch self {
        case .null: return NSNull()
        case let .bool(b): return NSNumber(value: b)
        case let .int(i): return NSNumber(value: i)
        case let .double(d): return NSNumber(value: d)
        case let .string(s): return s
        case let .array(a): return a.map(\.foundation)
        case let .object(o): return o.mapValues(\.foundation)
        }
    }

    /// Parses `data` (already known to be valid JSON) with exact numbers.
    /// - Complexity: O(document size).
    public static func parse(_ data: Data) throws -> Any {
        try JSONDecoder().decode(ExactJSON.self, from: data).foundation
    }
}
