// What `amlgraph generate --world bank` is asked to produce.

/// Size, seed and time span of a bank world: a population of customers with ordinary,
/// recurring traffic full of look-alikes, and planted laundering instances of every
/// `BankTypology` whose parameters are drawn per seed from wide ranges.
public struct BankWorldConfig: Sendable {
    /// Number of accounts (people and companies), at least 200.
    public var accounts: Int
    /// Number of payments written, planted ones included. Recurring flows (payroll, rent,
    /// subscriptions, supplier invoices, friends) are fixed by the population and the span;
    /// the rest of the budget is card-like payments to merchants.
    public var transactions: Int
    /// The seed: the same configuration gives byte-identical files.
    public var seed: UInt64
    /// First instant of the span, µs since the Unix epoch (UTC). 2025-01-01.
    public var startMicros: Int64 = 1_735_689_600_000_000
    /// Length of the span in days (at least 31: payroll and rent are monthly).
    public var days: Int = 365
    /// Planted instances per typology; nil gives max(2, accounts / 1,000).
    public var instancesPerTypology: Int?
    /// Writes account ids as text (`ACC-000123`) instead of integers.
    public var stringIDs = false
    /// Rows per written batch; bounds memory while streaming.
    public var batchSize: Int = 1 << 16
    /// The cash reporting threshold that structuring stays under (10,000, as the US CTR).
    public var reportingThreshold = 10_000.0

    public init(accounts: Int, transactions: Int, seed: UInt64) {
        self.accounts = accounts
        self.transactions = transactions
        self.seed = seed
    }

    /// Instances planted per typology.
    public var instances: Int { instancesPerTypology ?? max(2, accounts / 1_000) }

    var spanMicros: Int64 { Int64(days) * 86_400_000_000 }
    var months: Int { Int(Double(days) / BankCalendar.daysPerMonth) }
}
