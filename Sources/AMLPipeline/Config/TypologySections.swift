// The typology detectors in the pipeline config: `scenarios.typologies` (which run, the
// novelty span, subsumption) and one section per detector (`scenarios.fan_in`, `.cycle`, ...).
// Keys are the settings' own field names in snake case; nested keys are checked as strictly as
// top-level ones, and the detectors' own range checks run on the result.
import Columnar
import Foundation
import Yams

/// A typology settings value the config can carry: Codable with a default for every field.
public protocol TypologyConfigurable: Codable, Sendable, Equatable {
    init()
}

extension FanSettings: TypologyConfigurable {}
extension CycleSettings: TypologyConfigurable {}
extension ScatterGatherSettings: TypologyConfigurable {}
extension GatherScatterSettings: TypologyConfigurable {}
extension BipartiteSettings: TypologyConfigurable {}
extension StackSettings: TypologyConfigurable {}
extension StructuringTypologySettings: TypologyConfigurable {}
extension RapidPassThroughSettings: TypologyConfigurable {}

/// The shared part of `TypologySettings`: `scenarios.typologies`.
public struct TypologyRunSettings: TypologyConfigurable {
    public var enabled: [String] = TypologySettings().enabled
    public var recurringSpanHours = TypologySettings().recurringSpanHours
    public var subsumeShare = TypologySettings().subsumeShare
    public init() {}
}

/// One typology settings value as a config section, in snake case.
///
/// Encoding goes through `JSONEncoder`'s snake-case conversion, so the keys a config file
/// accepts are exactly the settings' fields; decoding merges the given keys over the defaults,
/// refusing unknown ones at any depth with the nearest valid key.
public struct TypologySection<S: TypologyConfigurable>: ConfigSection, Equatable {
    public var value = S()
    public init() {}

    public static var documentation: [(key: String, text: String)] {
        (try? Self.defaultsTree().keys.sorted())?.map { ($0, TypologyKeyDocs.text($0)) } ?? []
    }

    static func defaultsTree() throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try JSONSerialization.jsonObject(with: encoder.encode(S())) as? [String: Any] ?? [:]
    }

    public init(from decoder: Decoder) throws {
        let given = try ConfigTree(from: decoder)
        var merged = try Self.defaultsTree()
        do {
            try Self.merge(given, into: &merged, path: [])
        } catch let e as ConfigTreeError {
            // Reported by the config loader at the key's line, like any other bad value.
            let keys = e.path.map { ConfigTree.AnyKey(stringValue: $0) }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + keys, debugDescription: e.message))
        }
        let json = try JSONSerialization.data(withJSONObject: merged)
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        value = try d.decode(S.self, from: json)
    }

    public func encode(to encoder: Encoder) throws {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        try ConfigTree(any: try JSONSerialization.jsonObject(with: e.encode(value))).encode(to: encoder)
    }

    /// Lays `given` over `defaults`, key by key; a key the defaults lack is an error.
    static func merge(_ given: ConfigTree, into defaults: inout [String: Any], path: [String]) throws {
        guard case let .mapping(entries) = given else {
            throw ConfigTreeError(path: path, message: "expected a mapping of keys")
        }
        for (key, value) in entries {
            guard let old = defaults[key] else {
                throw ConfigTreeError(path: path, message: KeySuggestion.unknownKeyMessage(key, path: path.joined(separator: "."), valid: defaults.keys.sorted()))
            }
            if var nested = old as? [String: Any] {
                try merge(value, into: &nested, path: path + [key])
                defaults[key] = nested
            } else {
                defaults[key] = value.any
            }
        }
    }
}

/// A nested key was unknown or malformed; the config loader reports it at the section.
struct ConfigTreeError: Error, CustomStringConvertible {
    var path: [String]
    var message: String
    var description: String { message }
}

/// A YAML/JSON value as a plain tree (scalars typed the way YAML reads them).
public indirect enum ConfigTree: Codable, Sendable {
    case bool(Bool), int(Int64), double(Double), string(String)
    case sequence([ConfigTree]), mapping([(String, ConfigTree)])

    public init(from decoder: Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            self = .mapping(try keyed.allKeys.sorted { $0.stringValue < $1.stringValue }.map { ($0.stringValue, try keyed.decode(ConfigTree.self, forKey: $0)) })
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [ConfigTree] = []
            while !list.isAtEnd { items.append(try list.decode(ConfigTree.self)) }
            self = .sequence(items)
            return
        }
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else { self = .string(try c.decode(String.self)) }
    }

    init(any: Any) {
        switch any {
        case let n as NSNumber where String(cString: n.objCType) == "c" || type(of: any) == Bool.self: self = .bool(n.boolValue)
        case let i as Int: self = .int(Int64(i))
        case let i as Int64: self = .int(i)
        case let d as Double: self = .double(d)
        case let n as NSNumber: self = .double(n.doubleValue)
        case let s as String: self = .string(s)
        case let a as [Any]: self = .sequence(a.map(ConfigTree.init(any:)))
        case let m as [String: Any]: self = .mapping(m.keys.sorted().map { ($0, ConfigTree(any: m[$0]!)) })
        default: self = .string("\(any)")
        }
    }

    var any: Any {
        switch self {
        case let .bool(b): return b
        case let .int(i): return i
        case let .double(d): return d
        case let .string(s): return s
        case let .sequence(a): return a.map(\.any)
        case let .mapping(m): return Dictionary(m.map { ($0.0, $0.1.any) }, uniquingKeysWith: { $1 })
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .mapping(m):
            var c = encoder.container(keyedBy: AnyKey.self)
            for (k, v) in m { try c.encode(v, forKey: AnyKey(stringValue: k)) }
        case let .sequence(a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(v) }
        case let .bool(b): var c = encoder.singleValueContainer(); try c.encode(b)
        case let .int(i): var c = encoder.singleValueContainer(); try c.encode(i)
        case let .double(d): var c = encoder.singleValueContainer(); try c.encode(d)
        case let .string(s): var c = encoder.singleValueContainer(); try c.encode(s)
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// One line per typology settings key, for `config init`.
enum TypologyKeyDocs {
    static let texts: [String: String] = [
        "enabled": "typologies to run (empty: all): fan_in, fan_out, cycle, scatter_gather, gather_scatter, bipartite, stack, structuring, rapid_pass_through",
        "recurring_span_hours": "a pair paying at least this many hours apart is an established relationship, not evidence (600 = 25 days)",
        "subsume_share": "drop a finding when this share of its payments is evidence of a more specific typology (0..1)",
        "min_amount": "payments below this are not evidence",
        "window_hours": "width of the window, in hours (720 = 30 days)",
        "min_counterparties": "fewest distinct counterparties in one window",
        "max_counterparties": "more distinct counterparties than this is a hub's ordinary traffic (0: no bound)",
        "max_burst_probability": "the burst must be at most this probable for the account's own rate (1: no test)",
        "max_candidates": "payments examined per window (bounds the work on busy accounts)",
        "lump_min_retention": "lump forms: least share of the fan's total the single payment carries",
        "lump_max_retention": "lump forms: largest share of the fan's total the single payment carries",
        "min_retention": "least share of the previous hop each hop carries on (fees)",
        "max_retention": "largest share of the previous hop each hop carries on",
        "min_length": "fewest accounts in a cycle (2..10)",
        "max_length": "most accounts in a cycle (the L of 2..L; 2..10)",
        "max_hop_delay_hours": "longest gap between consecutive hops, in hours",
        "repayment_share": "two-account cycles returning at least this share are repayments, not cycles",
        "max_expansions": "payments scanned per cycle start (bounds the search on hubs)",
        "min_originators": "fewest distinct payers",
        "min_beneficiaries": "fewest distinct payees",
        "max_side": "most accounts on one side of the bipartite layer",
        "layer": "each of the two bipartite layers (the keys of scenarios.bipartite)",
        "max_delay_hours": "longest time between the receipt and the payments out, in hours",
        "min_events": "fewest pass-throughs on one account",
        "min_intermediaries": "fewest intermediaries",
        "max_intermediaries": "most intermediaries",
        "threshold": "the reporting threshold",
        "lower_share": "sub-threshold band starts at this share of the threshold (0.7: from 7,000)",
        "min_payments": "fewest sub-threshold payments in the window",
        "mule_chains": "also report the accelerator's source -> mule -> collector -> beneficiary shape",
        "mule_forward_share": "mule chains: least share of the collected total forwarded to the beneficiary",
    ]

    static func text(_ key: String) -> String {
        texts[key] ?? "see the README's detection section"
    }
}
