// Silver's data-quality rules, declared in one readable place as expressions of the shared
// expression language (Columnar/Expression), each with a policy.
import Columnar

/// What happens to rows that fail an expectation.
public enum ExpectationPolicy: String, Sendable {
    /// Rows are removed from silver and counted.
    case drop
    /// Rows move to the table's `_quarantine` table with the names of what they failed.
    case quarantine
    /// The run stops before anything is committed to silver or gold.
    case fail
}

/// A named rule: a row passes when `condition` is true (false or null fails, as a SQL
/// `where` would exclude it).
public struct Expectation: Sendable, Equatable {
    public var name: String
    public var condition: String
    public var policy: ExpectationPolicy

    public init(_ name: String, _ condition: String, _ policy: ExpectationPolicy) {
        self.name = name
        self.condition = condition
        self.policy = policy
    }
}

/// The expectations of every silver table.
public struct ExpectationSuite: Sendable {
    public var rules: [String: [Expectation]]

    public init(_ rules: [String: [Expectation]]) { self.rules = rules }

    /// The rules amlgraph applies by default. Keys are checked separately: a duplicate
    /// `txn_id` or `entity_id` is quarantined as `unique_<key>` (uniqueness is not a row rule).
    public static let standard = ExpectationSuite([
        "entities": [
            Expectation("entity_id_not_null", "entity_id is not null", .quarantine),
            Expectation("name_present", "name is not null and length(trim(name)) > 0", .quarantine),
            Expectation("entity_type_known", "entity_type in ('Person', 'Company')", .quarantine),
            Expectation("email_shape", "email_addr is null or email_addr like '%_@_%._%'", .quarantine),
            Expectation("risk_score_in_range", "risk_score is null or (risk_score >= 0 and risk_score <= 100)", .quarantine),
            // NaN fails every comparison and ±Infinity lies outside the finite range.
            Expectation("risk_score_finite", "risk_score is null or abs(risk_score) <= 1.7976931348623157e308", .quarantine),
            Expectation("no_rescued_data", "_rescued_data is null", .quarantine),
        ],
        "transactions": [
            Expectation("txn_id_not_null", "txn_id is not null", .quarantine),
            Expectation("originator_id_not_null", "originator_id is not null", .quarantine),
            Expectation("beneficiary_id_not_null", "beneficiary_id is not null", .quarantine),
            Expectation("not_self_payment", "beneficiary_id != originator_id", .quarantine),
            Expectation("amount_positive", "txn_amount > 0", .quarantine),
            Expectation("amount_finite", "txn_amount is null or abs(txn_amount) <= 1.7976931348623157e308", .quarantine),
            Expectation("timestamp_present", "txn_ts is not null", .quarantine),
            Expectation("no_rescued_data", "_rescued_data is null", .quarantine),
        ],
        "dedupe": [
            Expectation("record_id_not_null", "record_id is not null", .quarantine),
            Expectation("org_name_present", "org_name is not null and length(trim(org_name)) > 0", .drop),
        ],
    ])

    /// The key column whose duplicates are quarantined, per table.
    public static let keys = ["entities": "entity_id", "transactions": "txn_id", "dedupe": "record_id"]
}

/// One row of `quality_metrics`: per run and expectation, rows that passed and failed.
public struct QualityRow: Sendable {
    public var table: String
    public var expectation: String
    public var condition: String
    public var policy: String
    public var passed: Int
    public var failed: Int
    public var bronzeVersion: Int64 = 0

    /// The `quality_metrics` rows of one run.
    static func table(_ rows: [QualityRow], runMicros: Int64) throws -> Table {
        try Table([
            ("run_ts", .timestamp(Array(repeating: runMicros, count: rows.count))),
            ("table_name", .string(rows.map(\.table))),
            ("expectation", .string(rows.map(\.expectation))),
            ("condition", .string(rows.map(\.condition))),
            ("policy", .string(rows.map(\.policy))),
            ("passed", .int64(rows.map { Int64($0.passed) })),
            ("failed", .int64(rows.map { Int64($0.failed) })),
            ("bronze_version", .int64(rows.map(\.bronzeVersion))),
        ])
    }
}
