// The registered attributes of each entity, as a pure function of (seed, index) plus the
// planted overrides, so transactions can look up an originator's name without a table.

/// Person or company, as in the accelerator's `entity_type` column.
public enum EntityKind: String, Sendable {
    case person = "Person"
    case company = "Company"
}

/// One row of `entities.csv`.
public struct EntityRecord: Sendable, Equatable {
    public var id: Int64
    public var kind: EntityKind
    public var name: String
    public var address: String
    public var email: String?
    public var phone: String?
    public var ssn: String?
    public var riskScore: Double
}

/// Attribute values a synthetic-identity ring member takes from its ring instead of its own.
struct AttributeOverride: Sendable {
    var address: String?
    var email: String?
    var phone: String?
    var ssn: String?
}

/// Builds entity records. Background attribute values are unique per entity (they embed a
/// scattered index), except for the small share of people who live with the previous entity,
/// so every sharing in the data is either a household or a planted ring.
struct EntityFactory: Sendable {
    let seed: UInt64
    let count: Int
    var overrides: [Int: AttributeOverride] = [:]
    var riskScores: [Int: Double] = [:]
    private let addressScatter: IndexScatter
    private let numberScatter: IndexScatter

    static let companyShare = 0.15
    static let householdShare = 0.03
    static let poBoxShare = 0.05

    init(seed: UInt64, count: Int) {
        self.seed = seed
        self.count = count
        // Spread indices over the whole address and number spaces, so small datasets still
        // span every city, while the map stays injective on 0..<count.
        addressScatter = IndexScatter(count: max(count, 1_592_000), multiplier: 2_654_435_761, offset: seed)
        numberScatter = IndexScatter(count: max(count, 880_000_000), multiplier: 2_654_435_761, offset: seed)
    }

    /// Entity ids are 1-based: index 0 is entity 1.
    static func id(_ index: Int) -> Int64 { Int64(index) + 1 }

    func kind(_ index: Int) -> EntityKind {
        var rng = SeededRandom(seed: seed, purpose: 1, index: UInt64(index))
        return rng.chance(Self.companyShare) ? .company : .person
    }

    func name(_ index: Int) -> String {
        var rng = SeededRandom(seed: seed, purpose: 2, index: UInt64(index))
        switch kind(index) {
        case .person: return "\(rng.pick(Vocabulary.firstNames)) \(rng.pick(Vocabulary.lastNames))"
        case .company:
            return "\(rng.pick(Vocabulary.companyWords)) \(rng.pick(Vocabulary.companyActivities)) \(rng.pick(Vocabulary.companySuffixes))"
        }
    }

    /// A street address that no other index produces: the scattered index is written in
    /// mixed radix over house number, street, street type and city (1.59M combinations),
    /// with a unit number above that.
    func ownAddress(_ index: Int) -> String {
        Self.address(code: addressScatter(index))
    }

    static func address(code: Int) -> String {
        var rest = code
        let number = rest % 199 + 1; rest /= 199
        let street = Vocabulary.streetNames[rest % Vocabulary.streetNames.count]; rest /= Vocabulary.streetNames.count
        let type = Vocabulary.streetTypes[rest % Vocabulary.streetTypes.count]; rest /= Vocabulary.streetTypes.count
        let place = Vocabulary.cities[rest % Vocabulary.cities.count]; rest /= Vocabulary.cities.count
        let unit = rest > 0 ? "Unit \(rest), " : ""
        return "\(unit)\(number) \(street) \(type), \(place.city), \(place.country)"
    }

    func address(_ index: Int) -> String {
        if let a = overrides[index]?.address { return a }
        if isHousehold(index) { return ownAddress(index - 1) }
        if let box = ownPOBox(index) { return box }
        return ownAddress(index)
    }

    /// A share of companies register a PO box of their own rather than premises.
    func ownPOBox(_ index: Int) -> String? {
        guard kind(index) == .company else { return nil }
        var rng = SeededRandom(seed: seed, purpose: 6, index: UInt64(index))
        guard rng.chance(Self.poBoxShare) else { return nil }
        let place = Vocabulary.cities[addressScatter(index) % Vocabulary.cities.count]
        return "PO Box \(10_000 + index), \(place.city), \(place.country)"
    }

    /// People who share the previous entity's address; never next to a ring member, so planted
    /// rings share exactly the attribute types they were given.
    func isHousehold(_ index: Int) -> Bool {
        guard index > 0, kind(index) == .person, overrides[index] == nil, overrides[index - 1] == nil else { return false }
        var rng = SeededRandom(seed: seed, purpose: 3, index: UInt64(index))
        return rng.chance(Self.householdShare)
    }

    func ownEmail(_ index: Int) -> String {
        var rng = SeededRandom(seed: seed, purpose: 4, index: UInt64(index))
        let domain = rng.pick(Vocabulary.emailDomains)
        let local = name(index).lowercased().split(separator: " ").prefix(2).joined(separator: ".")
        return "\(local)\(numberScatter(index))@\(domain)"
    }

    func ownPhone(_ index: Int) -> String {
        let digits = String(100_000_000 + numberScatter(index) % 900_000_000)
        return "+44 7\(digits.prefix(3)) \(digits.dropFirst(3))"
    }

    func ownSSN(_ index: Int) -> String {
        var k = numberScatter(index)
        let area = k % 899 + 1; k /= 899
        let group = k % 99 + 1; k /= 99
        let serial = k % 9999 + 1
        return "\(pad(area, 3))-\(pad(group, 2))-\(pad(serial, 4))"
    }

    func record(_ index: Int) -> EntityRecord {
        var rng = SeededRandom(seed: seed, purpose: 5, index: UInt64(index))
        let k = kind(index)
        let o = overrides[index]
        let email = o?.email ?? (rng.chance(0.04) ? nil : ownEmail(index))
        let phone = o?.phone ?? (rng.chance(0.04) ? nil : ownPhone(index))
        let ssn = o?.ssn ?? (k == .company || rng.chance(0.03) ? nil : ownSSN(index))
        return EntityRecord(
            id: Self.id(index), kind: k, name: name(index), address: address(index),
            email: email, phone: phone, ssn: ssn, riskScore: riskScores[index] ?? 0)
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
