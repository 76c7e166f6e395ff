import Foundation

/// The keys each object of an entity-resolution settings file may have, and the error for
/// one it may not: a misspelt key (`sql_conditon`, `trainng`) would otherwise be ignored
/// and the run would go on with a default. Keys follow Splink 5's settings dictionary and
/// `save_model_to_json` output, plus this project's own (`training`, `minhash`,
/// `column_types`, the compact comparison form).
public enum SettingsKeys {
    /// Top-level keys.
    public static let topLevel = [
        "link_type", "unique_id_column_name", "probability_two_random_records_match", "blocking_rules_to_generate_predictions",
        "comparisons", "sql_dialect", "em_convergence", "max_iterations", "retain_matching_columns",
        "retain_intermediate_calculation_columns", "source_dataset_column_name", "additional_columns_to_retain",
        "bayes_factor_column_prefix", "match_weight_column_prefix", "term_frequency_adjustment_column_prefix",
        "comparison_vector_value_column_prefix", "linker_uid", "splink_version", "training", "minhash", "column_types",
    ]
    /// Keys of a comparison: Splink's, or the compact form's.
    public static let comparison = [
        "output_column_name", "comparison_description", "comparison_levels",
        "type", "column", "thresholds", "term_frequency_adjustments", "q",
    ]
    /// Keys of a comparison level (Splink's `ComparisonLevel` arguments).
    public static let level = [
        "sql_condition", "label_for_charts", "is_null_level", "m_probability", "u_probability", "tf_adjustment_column",
        "tf_adjustment_weight", "tf_minimum_u_value", "fix_m_probability", "fix_u_probability",
        "disable_tf_exact_match_detection", "sql_dialect",
    ]
    /// Keys of a blocking rule given as an object.
    public static let blockingRule = ["blocking_rule", "sql_dialect", "salting_partitions", "arrays_to_explode"]

    /// Throws for the first key of `object` (in sorted order) that is not in `valid`, naming
    /// it with its path (`comparisons[2].comparison_levels[1].sql_conditon`) and the nearest
    /// valid key by edit distance.
    public static func check(_ object: [String: Any], _ valid: [String], path: String, file: String) throws {
        guard let unknown = object.keys.filter({ !valid.contains($0) }).sorted().first else { return }
        let full = path.isEmpty ? unknown : "\(path).\(unknown)"
        let hint = nearest(unknown, in: valid).map { "did you mean '\($0)'? " } ?? ""
        throw EntityResolutionError.settings(file, "unknown key '\(full)' (\(hint)valid keys: \(valid.joined(separator: ", ")))")
    }

    /// The valid key closest to `key` by Levenshtein distance over characters, when it is
    /// within a third of the key's length (at least 2 edits allowed); ties go to the first.
    public static func nearest(_ key: String, in valid: [String]) -> String? {
        let k = Scalars.of(key.lowercased())
        let best = valid.map { (name: $0, d: levenshteinDistance(k, Scalars.of($0.lowercased()))) }.min { $0.d < $1.d }
        guard let best, best.d <= max(2, k.count / 3) else { return nil }
        return best.name
    }
}
