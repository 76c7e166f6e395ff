// The organisation dedupe input (`dedupe.csv`): several noisy records per organisation, as
// they arrive from different source systems, with the true organisation of each record.

/// One row of `dedupe.csv` plus its true organisation.
struct OrganisationRecord: Sendable {
    var orgID: Int
    var name: String
    var address: String
    var country: String
    var amount: Double
}

enum OrganisationRecords {
    /// The registered address the entity-resolution golden test is built around.
    static let canadaSquare = "Canada Square, Canary Wharf, London, United Kingdom"

    /// All records, shuffled so that records of one organisation are not adjacent.
    /// With `config.dedupeRecords`, organisations are drawn until exactly that many records
    /// exist (the last organisation may keep fewer copies); each organisation's draws depend
    /// only on the seed and its index, so a larger size extends a smaller one before the
    /// shuffle. O(records) memory.
    static func make(config: GeneratorConfig) -> [OrganisationRecord] {
        var records: [OrganisationRecord] = []
        let limit = config.dedupeRecords
        var org = 0
        while limit.map({ records.count < $0 }) ?? (org < config.organisationCount) {
            defer { org += 1 }
            var rng = SeededRandom(seed: config.seed, purpose: 40, index: UInt64(org))
            let name = "\(rng.pick(Vocabulary.companyWords)) \(rng.pick(Vocabulary.companyActivities)) \(rng.pick(["Limited", "Company", "Holdings Limited", "Group", "Corporation"]))"
            let place = rng.pick(Vocabulary.cities)
            let street = "\(rng.int(in: 1...250)) \(rng.pick(Vocabulary.streetNames)) \(rng.pick(Vocabulary.streetTypes))"
            var address = "\(street), \(place.city), \(place.country)"
            var country = place.country
            if org == 0 { address = canadaSquare; country = "United Kingdom" }
            let amount = rng.logNormal(median: 50_000, sigma: 1.0)
            let drawn = org == 0 ? 2 : (rng.chance(0.3) ? 1 : rng.int(in: 2...4))
            let copies = limit.map { min(drawn, $0 - records.count) } ?? drawn
            for copy in 0..<copies {
                var recordName = name, recordAddress = address, recordCountry = country
                if copy > 0 {
                    recordName = NoisyText.perturb(name, isName: false, rng: &rng)
                    recordAddress = NoisyText.perturb(address, isName: false, rng: &rng)
                    if rng.chance(0.2) { recordCountry = NoisyText.abbreviate(country, rng: &rng) }
                }
                if org == 0 && copy == 1 { recordAddress = "Canada Square, Canary Wharf, London, UK"; recordName = name }
                records.append(OrganisationRecord(orgID: org + 1, name: recordName, address: recordAddress,
                                                  country: recordCountry, amount: cents(amount * (0.9 + rng.unit() * 0.2))))
            }
        }
        var rng = SeededRandom(seed: config.seed, purpose: 41, index: 0)
        for i in stride(from: records.count - 1, to: 0, by: -1) {
            records.swapAt(i, rng.below(i + 1))
        }
        return records
    }
}
