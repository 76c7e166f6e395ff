import Columnar
import Foundation

/// Makes the inputs of one resolution job agree on column types, then stacks them.
///
/// Each file's types are inferred on its own, so the same column can arrive as `int64` from
/// one source (every street number is digits) and `string` from the other (one is "12a").
/// DuckDB's `UNION ALL`, which Splink uses to stack its inputs, resolves such a column to
/// the type both values fit: numbers of different widths meet as `double`, a date meets a
/// timestamp as a timestamp, and anything else meets as text (VARCHAR). This does the same,
/// after first applying the model's explicit `column_types` overrides to every input. A
/// column compared as text is thus text; integers become their decimal digits (CSV type
/// inference never reads "007" as an integer, so no leading zero is lost), doubles their
/// shortest round-trip text, dates `YYYY-MM-DD`.
///
/// - Complexity: O(rows · columns whose type changes).
public enum ResolutionInputs {
    /// The inputs stacked in order, each column's type unified across them (see the type
    /// docs); `names` label the inputs in errors (file paths). Throws when the inputs do not
    /// have the same column names, or an override cannot convert a value (naming the input,
    /// its row, the column and the value).
    public static func concatenate(_ tables: [Table], model: FellegiSunterModel, names: [String] = []) throws -> Table {
        guard let first = tables.first else { throw EntityResolutionError.blocking("no input tables") }
        func label(_ k: Int) -> String { k < names.count ? names[k] : "input \(k + 1)" }
        for (k, t) in tables.enumerated().dropFirst() where Set(t.columnNames) != Set(first.columnNames) {
            let missing = first.columnNames.filter { !t.columnNames.contains($0) }
            let extra = t.columnNames.filter { !first.columnNames.contains($0) }
            throw EntityResolutionError.blocking("\(label(k)) does not have the columns of \(label(0))"
                + (missing.isEmpty ? "" : "; missing: \(missing.joined(separator: ", "))")
                + (extra.isEmpty ? "" : "; extra: \(extra.joined(separator: ", "))"))
        }
        var inputs = try tables.enumerated().map { try applyOverrides($1, model.columnTypes, label: label($0)) }
        for name in first.columnNames {
            let types = try inputs.map { try $0.column(name).type }
            guard let unified = unifiedType(types), types.contains(where: { $0 != unified }) else { continue }
            for k in inputs.indices where try inputs[k].column(name).type != unified {
                inputs[k] = try converting(inputs[k], name, to: unified, label: label(k))
            }
        }
        // Same column order as the first input.
        let ordered = try inputs.map { t in try Table(first.columnNames.map { ($0, try t.column($0)) }) }
        return try Table.concatenate(ordered)
    }

    /// `table` with the model's type overrides applied to the columns it has.
    public static func applyOverrides(_ table: Table, _ types: [String: DataType], label: String) throws -> Table {
        var t = table
        for (name, type) in types.sorted(by: { $0.key < $1.key }) where t.columnNames.contains(name) {
            if try t.column(name).type != type { t = try converting(t, name, to: type, label: label) }
        }
        return t
    }

    /// The type DuckDB's UNION gives columns of `types`; nil when they already agree.
    static func unifiedType(_ types: [DataType]) -> DataType? {
        guard let first = types.first else { return nil }
        if types.allSatisfy({ $0 == first }) { return first }
        if types.allSatisfy(\.isNumeric) {
            return types.allSatisfy({ $0 == .int32 || $0 == .int64 }) ? .int64 : .double
        }
        if types.allSatisfy({ $0 == .date || $0 == .timestamp }) { return .timestamp }
        return .string
    }

    /// `table` with column `name` converted to `type`; values keep their text form when
    /// converted to a string and are parsed when converted from one.
    static func converting(_ table: Table, _ name: String, to type: DataType, label: String) throws -> Table {
        let col = try table.column(name)
        var values: [Value] = []
        values.reserveCapacity(col.count)
        for row in 0..<col.count {
            let v = col.value(at: row)
            if v.isNull { values.append(.null); continue }
            guard let converted = convert(v, to: type) else {
                throw EntityResolutionError.blocking("\(label): row \(row + 1), column '\(name)': cannot read '\(v)' as \(type) (column_types asks for \(type))")
            }
            values.append(converted)
        }
        let converted = try Column(type: type, values: values)
        return try Table(table.columnNames.map { ($0, $0 == name ? converted : try table.column($0)) })
    }

    /// One value as `type`, nil when its text does not parse as one.
    static func convert(_ v: Value, to type: DataType) -> Value? {
        if type == .string { return .string(v.description) }
        let text = v.description.trimmingCharacters(in: .whitespaces)
        switch type {
        case .int32, .int64:
            if let x = v.intValue, case .int = v { return .int(x) }
            return Int64(text).map(Value.int)
        case .float, .double:
            if let x = v.doubleValue, v.stringValue == nil { return .double(x) }
            return Double(text).map(Value.double)
        case .bool:
            switch text.lowercased() {
            case "true", "t", "1": return .bool(true)
            case "false", "f", "0": return .bool(false)
            default: return nil
            }
        case .date:
            if case .date = v { return v }
            return CivilTime.parseDate(text).map(Value.date)
        case .timestamp:
            if case let .date(d) = v { return .timestamp(Int64(d) * 86_400_000_000) }
            if case .timestamp = v { return v }
            return CivilTime.parseTimestamp(text).map(Value.timestamp)
        default:
            return nil
        }
    }
}
