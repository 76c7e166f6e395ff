extension Value {
    /// The value as compact JSON text, how CSV output and table printing show nested cells:
    /// lists as arrays, structs as objects, maps as objects keyed by the key's text; numbers
    /// and decimals as numbers (NaN and infinities as null), booleans and null as themselves,
    /// dates and timestamps as ISO strings, binary as lowercase hex strings.
    /// - Complexity: O(size of the value).
    public var jsonText: String {
        var out = ""
        appendJSON(to: &out)
        return out
    }

    /// Appends `jsonText` to `out`.
    public func appendJSON(to out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += d.isFinite ? formatDouble(d) : "null"
        case let .decimal(u, s): out += formatDecimal(u, scale: s)
        case let .decimal128(u, s): out += formatDecimal(u, scale: s)
        case let .string(s): JSONText.appendQuoted(s, to: &out)
        case .binary, .date, .timestamp: JSONText.appendQuoted(description, to: &out)
        case let .list(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.appendJSON(to: &out)
            }
            out += "]"
        case let .structure(names, values):
            out += "{"
            for (i, (n, v)) in zip(names, values).enumerated() {
                if i > 0 { out += "," }
                JSONText.appendQuoted(n, to: &out)
                out += ":"
                v.appendJSON(to: &out)
            }
            out += "}"
        case let .map(keys, values):
            out += "{"
            for (i, (k, v)) in zip(keys, values).enumerated() {
                if i > 0 { out += "," }
                JSONText.appendQuoted(k.description, to: &out)
                out += ":"
                v.appendJSON(to: &out)
            }
            out += "}"
        }
    }
}
