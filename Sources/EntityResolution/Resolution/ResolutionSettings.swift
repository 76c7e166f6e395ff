import Columnar
import Foundation

/// The whole entity-resolution settings file as one value: the Splink model (link type,
/// unique id, λ, blocking rules, comparisons with any trained m/u), the `"training"` plan and
/// the `"minhash"` LSH blocking. Read once and validated (unknown keys at every level are
/// errors naming the nearest valid key; a syntax error names the line and column), written
/// back with Splink's keys so Splink loads the model part.
///
/// Follows Splink's settings dictionary (`SettingsCreator`) and `save_model_to_json`.
public struct ResolutionSettings {
    /// The Fellegi-Sunter model.
    public var model: FellegiSunterModel
    /// The training steps, nil when the file has no `"training"` object.
    public var training: TrainingPlan?
    /// Extra MinHash LSH candidates (one more OR-ed blocking rule), nil when absent.
    public var minhash: MinHashLSH?

    public init(model: FellegiSunterModel, training: TrainingPlan? = nil, minhash: MinHashLSH? = nil) {
        self.model = model
        self.training = training
        self.minhash = minhash
    }

    /// Top-level keys: Splink 4/5's settings and saved-model keys (`SettingsCreator`'s fields,
    /// `sql_dialect`, `splink_version`) plus ours.
    public static let knownKeys = [
        "link_type", "unique_id_column_name", "probability_two_random_records_match", "blocking_rules_to_generate_predictions",
        "comparisons", "sql_dialect", "em_convergence", "max_iterations", "retain_matching_columns",
        "retain_intermediate_calculation_columns", "source_dataset_column_name", "additional_columns_to_retain",
        "bayes_factor_column_prefix", "match_weight_column_prefix", "term_frequency_adjustment_column_prefix", "comparison_vector_value_column_prefix",
        "linker_uid", "splink_version", "training", "minhash", "column_types",
    ]

    /// Reads and validates the settings file at `path`.
    public static func read(path: String) throws -> ResolutionSettings {
        try parse(JSONFile.object(path: path), file: path)
    }

    /// Validates a parsed settings object; `file` names it in errors.
    public static func parse(_ object: [String: Any], file: String) throws -> ResolutionSettings {
        if let unknown = object.keys.filter({ !knownKeys.contains($0) }).sorted().first {
            throw EntityResolutionError.settings(file, KeySuggestion.unknownKeyMessage(unknown, path: "", valid: knownKeys))
        }
        var settings = ResolutionSettings(model: try SplinkModelJSON.parse(object, file: file))
        if let value = object["training"] {
            guard let t = value as? [String: Any] else { throw EntityResolutionError.settings(file, "training: expected an object") }
            settings.training = try TrainingPlan(json: t, file: file)
        }
        if let value = object["minhash"] {
            guard let m = value as? [String: Any] else { throw EntityResolutionError.settings(file, "minhash: expected an object") }
            settings.minhash = try MinHashLSH(json: m, file: file)
        }
        return settings
    }

    /// The whole file as a dictionary: Splink's model keys, then `training` and `minhash`
    /// when set. `parse(dictionary)` gives back an equal value.
    public var dictionary: [String: Any] {
        var d = SplinkModelJSON.dictionary(model)
        if let t = training {
            d["training"] = ["deterministic_rules": t.deterministicRules, "recall": t.recall, "max_pairs": t.maxPairs,
                             "seed": Int(t.seed), "em_blocking_rules": t.emBlockingRules] as [String: Any]
        }
        if let m = minhash {
            d["minhash"] = ["columns": m.columns, "q": m.q, "num_perm": m.numPerm, "bands": m.bands, "rows": m.rows, "seed": Int(m.seed)] as [String: Any]
        }
        return d
    }

    /// Writes the whole settings file (pretty-printed, sorted keys) atomically.
    public func write(to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: dictionary, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
