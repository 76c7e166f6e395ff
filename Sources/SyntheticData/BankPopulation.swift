// Who is who in the bank world: people and companies, the roles companies play in ordinary
// commerce, and the KYC risk score a bank gives each customer.

/// The role a company plays in the legitimate background.
enum CompanyRole: Sendable {
    /// Pays salaries to its employees once a month.
    case employer
    /// Receives card-like payments and subscriptions from people.
    case merchant
    /// Invoices other companies.
    case supplier
    /// Lets homes and offices (rent from people and companies).
    case landlord
}

/// The population: kinds and roles are pure functions of (seed, index); the counterparty
/// lists hold 4 bytes per account, so memory is O(accounts), independent of the number of
/// payments.
struct BankPopulation: Sendable {
    let seed: UInt64
    let count: Int
    let factory: EntityFactory
    /// Accounts by role, in index order. Picks from them are skewed towards the front, so a
    /// few employers, merchants and landlords are large, as in a real economy.
    private(set) var employers: [Int32] = []
    private(set) var merchants: [Int32] = []
    private(set) var suppliers: [Int32] = []
    private(set) var landlords: [Int32] = []
    private(set) var persons: [Int32] = []
    /// Merchants and suppliers together (sellers of one-off purchases), in index order.
    private(set) var sellers: [Int32] = []

    /// Share of people who let a home of their own (private landlords).
    static let privateLandlordShare = 0.03

    init(seed: UInt64, count: Int) {
        self.seed = seed
        self.count = count
        factory = EntityFactory(seed: seed, count: count)
        for i in 0..<count {
            if factory.kind(i) == .person {
                persons.append(Int32(i))
                if isPrivateLandlord(i) { landlords.append(Int32(i)) }
                continue
            }
            switch role(i) {
            case .employer: employers.append(Int32(i))
            case .merchant: merchants.append(Int32(i)); sellers.append(Int32(i))
            case .supplier: suppliers.append(Int32(i)); sellers.append(Int32(i))
            case .landlord: landlords.append(Int32(i))
            }
        }
    }

    func kind(_ i: Int) -> EntityKind { factory.kind(i) }

    /// A company's role: 40% employers, 30% merchants, 20% suppliers, 10% landlords.
    func role(_ i: Int) -> CompanyRole {
        var rng = SeededRandom(seed: seed, purpose: 101, index: UInt64(i))
        let u = rng.unit()
        return u < 0.4 ? .employer : u < 0.7 ? .merchant : u < 0.9 ? .supplier : .landlord
    }

    func isPrivateLandlord(_ i: Int) -> Bool {
        var rng = SeededRandom(seed: seed, purpose: 102, index: UInt64(i))
        return rng.chance(Self.privateLandlordShare)
    }

    /// An account from `list` with a heavy-tailed preference for the front (nil if empty).
    func pick(_ list: [Int32], exponent: Double, _ rng: inout SeededRandom, excluding self_: Int) -> Int? {
        guard !list.isEmpty else { return nil }
        let j = list.count == 1 ? 0 : rng.skewedIndex(count: list.count, exponent: exponent)
        var v = Int(list[j])
        if v == self_ {
            guard list.count > 1 else { return nil }
            v = Int(list[(j + 1) % list.count])
        }
        return v
    }

    /// The KYC risk score on the usual 0–100 scale, or nil for the 8% of customers without
    /// one. Most scores are low (log-normal, median 12); 3% of ordinary customers sit in a
    /// high band (50–95) for reasons that have nothing to do with laundering (occupation,
    /// country), and so do 35% of the accounts in planted instances: the score is a weak
    /// signal on its own, as it is in practice.
    func kycScore(_ i: Int, launderer: Bool) -> Double? {
        var rng = SeededRandom(seed: seed, purpose: 103, index: UInt64(i))
        guard !rng.chance(0.08) else { return nil }
        let highBand = rng.chance(launderer ? 0.35 : 0.03)
        let score = highBand ? 50 + rng.unit() * 45 : min(100, rng.logNormal(median: 12, sigma: 0.7))
        return score.rounded()
    }

    /// The id text of account `i` when ids are strings: `ACC-` and the 1-based id padded to
    /// six digits (more when the population needs them).
    func stringID(_ i: Int) -> String {
        let digits = max(6, String(count).count)
        return "ACC-" + pad(i + 1, digits)
    }
}
