// What `amlgraph generate` is asked to produce.

/// Size, seed and time span of a generated dataset.
public struct GeneratorConfig: Sendable {
    /// Number of entities (people and companies).
    public var entities: Int
    /// Number of transactions, planted patterns included.
    public var transactions: Int
    /// The seed: the same seed and sizes give byte-identical files.
    public var seed: UInt64
    /// First instant of the transaction span, µs since the Unix epoch (UTC). 2025-01-01.
    public var startMicros: Int64 = 1_735_689_600_000_000
    /// Length of the transaction span in days.
    public var days: Int = 365
    /// Rows per written batch; bounds memory while streaming.
    public var batchSize: Int = 1 << 16
    /// Records in `dedupe.csv`; nil gives about 2.4 records per organisation for
    /// `entities / 20` organisations. Set, it decouples the dedupe size from the graph size:
    /// organisations are generated until exactly this many records exist.
    public var dedupeRecords: Int?

    public init(entities: Int, transactions: Int, seed: UInt64) {
        self.entities = entities
        self.transactions = transactions
        self.seed = seed
    }

    var spanMicros: Int64 { Int64(days) * 86_400_000_000 }

    /// Planted-pattern counts scale with the transaction count, with at least one of each.
    var structuringCount: Int { min(20_000, max(1, transactions / 2_000)) }
    var roundTripCount: Int { min(20_000, max(1, transactions / 2_000)) }
    var typologyCount: Int { min(10_000, max(1, transactions / 4_000)) }
    var ringCount: Int { min(10_000, max(1, entities / 100)) }
    var riskySeedCount: Int { min(entities, max(3, entities / 100)) }
    var mailDropCount: Int { min(5_000, max(3, entities / 400)) }
    var organisationCount: Int { max(20, entities / 20) }
}

/// Why a dataset cannot be generated.
public enum GeneratorError: Error, CustomStringConvertible {
    case invalidSize(String)

    public var description: String {
        switch self {
        case let .invalidSize(message): return message
        }
    }
}
