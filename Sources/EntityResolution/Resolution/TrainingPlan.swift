import Foundation

/// The training steps Splink's users script by hand, as one value: λ from deterministic rules
/// and a recall, u from the pairs of a seeded record sample sized for `maxPairs`, then one EM session per rule in
/// `emBlockingRules`. Read from the settings' `"training"` object.
public struct TrainingPlan: Sendable, Equatable {
    /// Rules whose pairs are taken as certain matches for λ (Splink's
    /// `estimate_probability_two_random_records_match`); empty keeps the settings' λ.
    public var deterministicRules: [String] = []
    /// The share of true matches the deterministic rules are believed to find.
    public var recall: Double = 1
    /// Pairs the u sample aims at (`estimate_u_using_random_sampling(max_pairs)`); see `estimateU`.
    public var maxPairs: Int = 1_000_000
    public var seed: UInt64 = 1
    /// One EM session per rule (`estimate_parameters_using_expectation_maximisation`).
    public var emBlockingRules: [String] = []
    /// A rule that finds no pairs is an error, as in Splink (false), or its session is skipped
    /// and m keeps what earlier sessions or the settings gave (true): a scheduled pipeline on a
    /// small day's data should not fail because no two records share a block.
    public var skipEmptyEMRules = false

    public init(deterministicRules: [String] = [], recall: Double = 1, maxPairs: Int = 1_000_000,
                seed: UInt64 = 1, emBlockingRules: [String] = []) {
        self.deterministicRules = deterministicRules; self.recall = recall; self.maxPairs = maxPairs
        self.seed = seed; self.emBlockingRules = emBlockingRules
    }

    /// Parses `{"deterministic_rules": [...], "recall": 0.8, "max_pairs": 1e6, "seed": 1,
    /// "em_blocking_rules": [...]}`; `file` names the settings file in errors. An unknown key
    /// is an error, so a misspelt step is never silently skipped.
    public init(json: [String: Any], file: String) throws {
        func fail(_ key: String, _ expected: String) -> EntityResolutionError {
            .settings(file, "training.\(key): expected \(expected)")
        }
        let known: Set<String> = ["deterministic_rules", "recall", "max_pairs", "seed", "em_blocking_rules"]
        if let unknown = json.keys.filter({ !known.contains($0) }).sorted().first {
            throw EntityResolutionError.settings(file, "training.\(unknown): unknown key (\(SettingsKeys.nearest(unknown, in: known.sorted()).map { "did you mean '\($0)'? " } ?? "")expected one of \(known.sorted().joined(separator: ", ")))")
        }
        if let v = json["deterministic_rules"] {
            guard let rules = v as? [String] else { throw fail("deterministic_rules", "a list of rule strings") }
            deterministicRules = rules
        }
        if let v = json["recall"] {
            guard let r = (v as? NSNumber)?.doubleValue, r > 0, r <= 1 else { throw fail("recall", "a number in (0, 1]") }
            recall = r
        }
        if let v = json["max_pairs"] {
            guard let n = (v as? NSNumber)?.doubleValue, n >= 1, n <= 1e10 else { throw fail("max_pairs", "a count between 1 and 1e10") }
            maxPairs = Int(n)
        }
        if let v = json["seed"] {
            guard let s = (v as? NSNumber)?.int64Value, s >= 0 else { throw fail("seed", "a non-negative integer") }
            seed = UInt64(s)
        }
        if let v = json["em_blocking_rules"] {
            guard let rules = v as? [String] else { throw fail("em_blocking_rules", "a list of rule strings") }
            emBlockingRules = rules
        }
    }
}
