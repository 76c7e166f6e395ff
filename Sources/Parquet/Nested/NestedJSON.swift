import Columnar

extension NestedValue {
    /// The value as compact JSON text: structs as objects (field names from `type`), lists as
    /// arrays, maps as objects keyed by the key's text, numbers as numbers, dates and
    /// timestamps as ISO strings, binary as lowercase hex, NaN and infinities as null.
    public func jsonText(_ type: NestedType) -> String {
        var out = ""
        render(type, into: &out)
        return out
    }

    private func render(_ type: NestedType, into out: inout String) {
        switch (self, type) {
        case (.null, _): out += "null"
        case let (.primitive(v), _): NestedValue.renderPrimitive(v, into: &out)
        case let (.structure(values), .structure(fields)):
            out += "{"
            for (i, (f, v)) in zip(fields, values).enumerated() {
                if i > 0 { out += "," }
                NestedValue.renderString(f.name, into: &out)
                out += ":"
                v.render(f.type, into: &out)
            }
            out += "}"
        case let (.list(items), .list(element)):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.render(element.type, into: &out)
            }
            out += "]"
        case let (.map(entries), .map(_, valueField)):
            out += "{"
            for (i, e) in entries.enumerated() {
                if i > 0 { out += "," }
                NestedValue.renderString(e.key.description, into: &out)
                out += ":"
                e.value.render(valueField.type, into: &out)
            }
            out += "}"
        default:
            NestedValue.renderString(description, into: &out)
        }
    }

    static func renderPrimitive(_ v: Value, into out: inout String) {
        switch v {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += d.isFinite ? formatDouble(d) : "null"
        case let .decimal(u, s): out += formatDecimal(u, scale: s)
        case let .string(s): renderString(s, into: &out)
        default: renderString(v.description, into: &out)
        }
    }

    static func renderString(_ s: String, into out: inout String) { JSONText.appendQuoted(s, to: &out) }
}
