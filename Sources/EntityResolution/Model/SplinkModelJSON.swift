import Columnar
import Foundation

/// Errors reading settings or a saved model.
public enum EntityResolutionError: Error, CustomStringConvertible {
    case settings(String, String)
    case unsupportedLevel(String, comparison: String, sql: String)
    case blocking(String)
    public var description: String {
        switch self {
        case let .settings(file, msg): return "\(file): \(msg)"
        case let .unsupportedLevel(file, c, sql): return "\(file): comparison '\(c)': unsupported sql_condition \(sql); a level's SQL may use the expression language (columns as name_l / name_r, and/or/not, comparisons, arithmetic, case, cast, coalesce, lower, substr, abs, ...) and DuckDB's \(SplinkSQLFunctions.all.map(\.name).joined(separator: ", "))"
        case let .blocking(msg): return msg
        }
    }
}

/// Reads and writes Splink's settings / saved-model JSON (`save_model_to_json`).
///
/// Reading accepts Splink 4/5 models whose levels use the library's SQL shapes on plain
/// columns, plus a compact form `{"column": "x", "type": "jaro_winkler", "thresholds": [...],
/// "term_frequency_adjustments": true}`. Writing emits Splink's keys so Splink can load it.
public enum SplinkModelJSON {
    public static func read(path: String) throws -> FellegiSunterModel {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        // JSONSerialization for its syntax errors; the numbers themselves are read exactly.
        guard try JSONSerialization.jsonObject(with: data) is [String: Any], let obj = try ExactJSON.parse(data) as? [String: Any] else {
            throw EntityResolutionError.settings(path, "expected a JSON object at the top level")
        }
        return try parse(obj, file: path)
    }

    public static func parse(_ obj: [String: Any], file: String) throws -> FellegiSunterModel {
        try SettingsKeys.check(obj, SettingsKeys.topLevel, path: "", file: file)
        let link = LinkType(rawValue: obj["link_type"] as? String ?? "dedupe_only")
        guard let link else { throw EntityResolutionError.settings(file, "link_type must be dedupe_only, link_only or link_and_dedupe") }
        let uid = obj["unique_id_column_name"] as? String ?? "unique_id"
        let lambda = (obj["probability_two_random_records_match"] as? NSNumber)?.doubleValue ?? 0.0001
        var rules: [String] = []
        for (k, r) in (obj["blocking_rules_to_generate_predictions"] as? [Any] ?? []).enumerated() {
            if let s = r as? String { rules.append(s) } else if let d = r as? [String: Any], let s = d["blocking_rule"] as? String {
                try SettingsKeys.check(d, SettingsKeys.blockingRule, path: "blocking_rules_to_generate_predictions[\(k)]", file: file)
                rules.append(s)
            }
        }
        guard let comps = obj["comparisons"] as? [[String: Any]], !comps.isEmpty else {
            throw EntityResolutionError.settings(file, "'comparisons' must be a non-empty list")
        }
        let comparisons = try comps.enumerated().map { try parseComparison($1, file: file, path: "comparisons[\($0)]") }
        return FellegiSunterModel(linkType: link, uniqueIdColumn: uid, lambda: lambda, comparisons: comparisons, blockingRules: rules,
                                  columnTypes: try columnTypes(obj["column_types"], file: file))
    }

    /// Types a user may force on an input column with `column_types`.
    static let overridableTypes: [String: DataType] = [
        "string": .string, "text": .string, "varchar": .string, "int": .int64, "int64": .int64, "bigint": .int64, "integer": .int64,
        "double": .double, "float": .double, "float64": .double, "date": .date, "timestamp": .timestamp, "bool": .bool, "boolean": .bool,
    ]

    /// `{"column": "type", ...}`; every type must be one of `overridableTypes`.
    static func columnTypes(_ value: Any?, file: String) throws -> [String: DataType] {
        guard let value else { return [:] }
        guard let d = value as? [String: Any] else { throw EntityResolutionError.settings(file, "column_types: expected an object {\"column\": \"type\"}") }
        var out: [String: DataType] = [:]
        for (column, t) in d {
            guard let name = t as? String, let type = overridableTypes[name.lowercased()] else {
                throw EntityResolutionError.settings(file, "column_types.\(column): expected one of string, int64, double, date, timestamp, bool but found \(t)")
            }
            out[column] = type
        }
        return out
    }

    static func parseComparison(_ d: [String: Any], file: String, path: String = "comparison") throws -> Comparison {
        try SettingsKeys.check(d, SettingsKeys.comparison, path: path, file: file)
        if let type = d["type"] as? String {
            guard let c = d["column"] as? String ?? d["output_column_name"] as? String else { throw EntityResolutionError.settings(file, "comparison of type \(type) needs 'column'") }
            let tf = d["term_frequency_adjustments"] as? Bool ?? false
            let t = (d["thresholds"] as? [NSNumber])?.map(\.doubleValue)
            switch type {
            case "exact": return ComparisonLibrary.exact(c, tf: tf)
            case "levenshtein": return ComparisonLibrary.levenshtein(c, t.map { $0.map { Int($0) } } ?? [1, 2], tf: tf)
            case "damerau_levenshtein": return ComparisonLibrary.damerauLevenshtein(c, t.map { $0.map { Int($0) } } ?? [1, 2], tf: tf)
            case "jaro_winkler": return ComparisonLibrary.jaroWinkler(c, t ?? [0.9, 0.7], tf: tf)
            case "jaro": return ComparisonLibrary.jaro(c, t ?? [0.9, 0.7], tf: tf)
            case "jaccard": return ComparisonLibrary.jaccard(c, t ?? [0.9, 0.7], q: d["q"] as? Int ?? 1, tf: tf)
            case "absolute_difference": return ComparisonLibrary.absoluteDifference(c, t ?? [1])
            case "percentage_difference": return ComparisonLibrary.percentageDifference(c, t ?? [0.1])
            case "name": return ComparisonLibrary.name(c, tf: tf)
            case "email": return ComparisonLibrary.email(c, tf: tf)
            case "date_of_birth": return ComparisonLibrary.dateOfBirth(c)
            case "postcode": return ComparisonLibrary.postcode(c, tf: tf)
            default: throw EntityResolutionError.settings(file, "unknown comparison type '\(type)'")
            }
        }
        let name = d["output_column_name"] as? String ?? "?"
        guard let lv = d["comparison_levels"] as? [[String: Any]], !lv.isEmpty else {
            throw EntityResolutionError.settings(file, "comparison '\(name)' needs 'comparison_levels' or 'type'")
        }
        var levels: [ComparisonLevel] = []
        var columns: [String] = []
        for (k, l) in lv.enumerated() {
            try SettingsKeys.check(l, SettingsKeys.level, path: "\(path).comparison_levels[\(k)]", file: file)
            guard let sql = l["sql_condition"] as? String else {
                throw EntityResolutionError.settings(file, "\(path).comparison_levels[\(k)]: sql_condition: expected a string")
            }
            let isNullLevel = l["is_null_level"] as? Bool == true
            var level = ComparisonLevel(.custom, label: l["label_for_charts"] as? String ?? "")
            if let (cond, col) = LevelCondition.recognise(sql: sql), !isNullLevel || cond == .null {
                level.condition = cond
                if let col, cond != .otherwise { columns.append(col) }
                if cond == .exact { level.exactColumn = col }
            } else {
                level.sqlCondition = sql
                level.isNullLevel = isNullLevel
                if CustomLevels.arrayIntersectShape(sql) == nil {
                    do { _ = try Expression.parse(SplinkSQL.translate(sql)) } catch {
                        throw EntityResolutionError.unsupportedLevel(file, comparison: name, sql: "\(sql) (\(error))")
                    }
                }
            }
            level.m = (l["m_probability"] as? NSNumber)?.doubleValue
            level.u = (l["u_probability"] as? NSNumber)?.doubleValue
            level.tfColumn = l["tf_adjustment_column"] as? String
            level.tfWeight = (l["tf_adjustment_weight"] as? NSNumber)?.doubleValue ?? 1
            level.tfMinimumU = (l["tf_minimum_u_value"] as? NSNumber)?.doubleValue ?? 0
            level.fixM = l["fix_m_probability"] as? Bool ?? false
            level.fixU = l["fix_u_probability"] as? Bool ?? false
            level.tfUsesOwnU = l["disable_tf_exact_match_detection"] as? Bool ?? false
            levels.append(level)
        }
        // The fast kinds test one column. Levels recognised on different columns (Splink's
        // ForenameSurnameComparison) are evaluated as the SQL they are.
        var column = columns.first
        if Set(columns).count > 1 {
            column = nil
            for (k, l) in lv.enumerated() where levels[k].condition != .otherwise && levels[k].condition != .custom {
                levels[k].sqlCondition = l["sql_condition"] as? String
                levels[k].isNullLevel = levels[k].condition == .null
                levels[k].condition = .custom
            }
        }
        return Comparison(column: column ?? name, levels: levels, description: d["comparison_description"] as? String ?? "")
    }

    /// The model as a Splink settings dictionary (trained m/u included).
    public static func dictionary(_ model: FellegiSunterModel) -> [String: Any] {
        var d = splinkDictionary(model)
        if !model.columnTypes.isEmpty { d["column_types"] = model.columnTypes.mapValues { $0.description } }
        return d
    }

    static func splinkDictionary(_ model: FellegiSunterModel) -> [String: Any] {
        [
            "link_type": model.linkType.rawValue,
            "unique_id_column_name": model.uniqueIdColumn,
            "probability_two_random_records_match": model.lambda,
            "sql_dialect": "duckdb",
            "em_convergence": 0.0001, "max_iterations": 25,
            "retain_matching_columns": true, "retain_intermediate_calculation_columns": false,
            "blocking_rules_to_generate_predictions": model.blockingRules.map { ["blocking_rule": $0, "sql_dialect": "duckdb"] },
            "comparisons": model.comparisons.map { c -> [String: Any] in
                [
                    "output_column_name": c.column,
                    "comparison_description": c.description,
                    "comparison_levels": c.levels.map { l -> [String: Any] in
                        var d: [String: Any] = ["sql_condition": l.sqlCondition ?? l.condition.sql(c.column), "label_for_charts": l.label,
                                                "fix_m_probability": l.fixM, "fix_u_probability": l.fixU]
                        if l.isNull { d["is_null_level"] = true }
                        if l.tfUsesOwnU { d["disable_tf_exact_match_detection"] = true }
                        if let m = l.m, !l.isNull { d["m_probability"] = max(m, 1e-300) }
                        if let u = l.u, !l.isNull { d["u_probability"] = max(u, 1e-300) }
                        if let t = l.tfColumn { d["tf_adjustment_column"] = t; d["tf_adjustment_weight"] = l.tfWeight
                            if l.tfMinimumU != 0 { d["tf_minimum_u_value"] = l.tfMinimumU } }
                        return d
                    },
                ]
            },
        ]
    }

    public static func write(_ model: FellegiSunterModel, to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: dictionary(model), options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
