// The laundering patterns the generator plants, with their ground truth.
//
// Every pattern is drawn from its own random stream, chooses entities not used by earlier
// patterns where the population allows it, and happens inside a few days, in time order.

/// The kinds of planted pattern: the MISSION.md scenarios plus the AMLSim typologies.
public enum PatternType: String, CaseIterable, Sendable {
    case structuring, roundtrip
    case fanIn = "fan_in", fanOut = "fan_out", cycle
    case scatterGather = "scatter_gather", gatherScatter = "gather_scatter"
    case bipartite, stack
}

/// One planted transaction before it is given a txn id.
struct PlantedTransaction: Sendable {
    var originator: Int
    var beneficiary: Int
    var amount: Double
    var micros: Int64
    var pattern: Int
}

/// One row of `truth_pattern_entities.csv`.
struct PatternMember: Sendable {
    var pattern: Int
    var type: PatternType
    var entity: Int
    var role: String
}

/// A non-residential address shared by unrelated entities (one row group of
/// `truth_address_flags.csv`).
struct MailDrop: Sendable {
    var address: String
    var reason: String
    var entities: [Int]
}

/// A synthetic-identity ring: members and the attribute types they share.
struct IdentityRing: Sendable {
    var members: [Int]
    var sharedTypes: [String]
}

/// Everything planted in a dataset, decided before any row is written.
struct PatternPlan: Sendable {
    var rings: [IdentityRing] = []
    var riskySeeds: [(index: Int, risk: Double)] = []
    var transactions: [PlantedTransaction] = []
    var patternTypes: [PatternType] = []
    var members: [PatternMember] = []
    var mailDrops: [MailDrop] = []

    static let threshold = 10_000.0
    static let hour: Int64 = 3_600_000_000

    /// Attribute-type combinations the rings cycle through: every tier and every type appears.
    static let ringTypeSets: [[String]] = [
        ["address"], ["email", "phone"], ["address", "email"], ["ssn"], ["address", "email", "phone"],
        ["address", "phone"], ["phone", "ssn"], ["email"], ["address", "ssn"], ["email", "phone", "ssn"],
    ]

    /// Draws the plan. O(planted rows).
    static func make(config: GeneratorConfig, entities: EntityFactory) -> PatternPlan {
        var plan = PatternPlan()
        var picker = EntityPicker(count: config.entities, seed: config.seed)
        plan.plantRings(config: config, entities: entities, picker: &picker)
        plan.plantRiskySeeds(config: config)
        plan.plantMailDrops(config: config, entities: entities, picker: &picker)
        var next = 0
        func rng() -> SeededRandom {
            defer { next += 1 }
            return SeededRandom(seed: config.seed, purpose: 20, index: UInt64(next))
        }
        for _ in 0..<config.structuringCount { var r = rng(); plan.plantStructuring(config, &picker, &r) }
        for _ in 0..<config.roundTripCount { var r = rng(); plan.plantCycle(.roundtrip, length: 4, config, &picker, &r) }
        for _ in 0..<config.typologyCount {
            var r = rng(); plan.plantFan(.fanIn, config, &picker, &r)
            r = rng(); plan.plantFan(.fanOut, config, &picker, &r)
            r = rng(); plan.plantCycle(.cycle, length: r.int(in: 3...6), config, &picker, &r)
            r = rng(); plan.plantScatterGather(config, &picker, &r)
            r = rng(); plan.plantGatherScatter(config, &picker, &r)
            r = rng(); plan.plantLayers(.bipartite, layers: 2, config, &picker, &r)
            r = rng(); plan.plantLayers(.stack, layers: 3, config, &picker, &r)
        }
        return plan
    }

    // MARK: - Identity rings and seeds

    mutating func plantRings(config: GeneratorConfig, entities: EntityFactory, picker: inout EntityPicker) {
        var rng = SeededRandom(seed: config.seed, purpose: 10, index: 0)
        for r in 0..<config.ringCount {
            let size = rng.int(in: 2...5)
            let members = picker.take(size, rng: &rng) { entities.kind($0) == .person }
            guard members.count >= 2 else { continue }
            rings.append(IdentityRing(members: members, sharedTypes: Self.ringTypeSets[r % Self.ringTypeSets.count]))
        }
    }

    mutating func plantRiskySeeds(config: GeneratorConfig) {
        var rng = SeededRandom(seed: config.seed, purpose: 11, index: 0)
        var chosen = Set<Int>()
        while chosen.count < config.riskySeedCount {
            let i = rng.below(config.entities)
            if chosen.insert(i).inserted {
                riskySeeds.append((i, (50 + Double(rng.below(51))) / 10))
            }
        }
        riskySeeds.sort { $0.index < $1.index }
    }

    /// Addresses that are not homes, each registered by several unrelated entities (mostly
    /// companies): PO boxes, virtual offices and mail-forwarding services.
    mutating func plantMailDrops(config: GeneratorConfig, entities: EntityFactory, picker: inout EntityPicker) {
        var rng = SeededRandom(seed: config.seed, purpose: 12, index: 0)
        for d in 0..<config.mailDropCount {
            let place = rng.pick(Vocabulary.cities)
            let street = "\(rng.int(in: 1...250)) \(rng.pick(Vocabulary.streetNames)) \(rng.pick(Vocabulary.streetTypes))"
            let drop: (String, String)
            switch d % 3 {
            case 0: drop = ("PO Box \(rng.int(in: 100...9999)), \(place.city), \(place.country)", "po_box")
            case 1: drop = ("Suite \(rng.int(in: 1...400)), \(street) Business Centre, \(place.city), \(place.country)", "virtual_office")
            default: drop = ("c/o \(rng.pick(Vocabulary.companyWords)) Mail Services, \(street), \(place.city), \(place.country)", "mail_drop")
            }
            let users = picker.take(rng.int(in: 4...9), rng: &rng) { entities.kind($0) == .company || $0 % 5 == 0 }
            mailDrops.append(MailDrop(address: drop.0, reason: drop.1, entities: users))
        }
    }

    // MARK: - Transaction patterns

    private mutating func newPattern(_ type: PatternType) -> Int {
        patternTypes.append(type)
        return patternTypes.count - 1
    }

    private mutating func send(_ from: Int, _ to: Int, _ amount: Double, _ micros: Int64, _ pattern: Int) {
        transactions.append(PlantedTransaction(originator: from, beneficiary: to, amount: cents(amount), micros: micros, pattern: pattern))
    }

    private mutating func member(_ pattern: Int, _ entity: Int, _ role: String) {
        members.append(PatternMember(pattern: pattern, type: patternTypes[pattern], entity: entity, role: role))
    }

    private static func start(_ config: GeneratorConfig, _ rng: inout SeededRandom) -> Int64 {
        config.startMicros + Int64(rng.unit() * Double(config.spanMicros - 15 * 24 * hour))
    }

    private static func later(_ t: Int64, _ rng: inout SeededRandom, hours: ClosedRange<Int>) -> Int64 {
        t + Int64(rng.int(in: hours.lowerBound * 60...hours.upperBound * 60)) * 60_000_000
    }

    /// Structuring: k chains source → mule → collector, every amount under the threshold, then
    /// the collector forwards the aggregate (over the threshold) to a beneficiary, all in time
    /// order within about five days.
    mutating func plantStructuring(_ config: GeneratorConfig, _ picker: inout EntityPicker, _ rng: inout SeededRandom) {
        let k = rng.int(in: 3...6)
        let people = picker.take(2 * k + 2, rng: &rng)
        guard people.count == 2 * k + 2 else { return }
        let p = newPattern(.structuring)
        let collector = people[2 * k], beneficiary = people[2 * k + 1]
        let t0 = Self.start(config, &rng)
        var lastArrival = t0, collected = 0.0
        for c in 0..<k {
            let source = people[2 * c], mule = people[2 * c + 1]
            let first = cents(8_000 + rng.unit() * 1_900)
            let second = cents(first * (0.97 + rng.unit() * 0.025))
            let t1 = Self.later(t0, &rng, hours: 0...48)
            let t2 = Self.later(t1, &rng, hours: 1...48)
            send(source, mule, first, t1, p)
            send(mule, collector, second, t2, p)
            lastArrival = max(lastArrival, t2)
            collected += second
            member(p, source, "source"); member(p, mule, "mule")
        }
        send(collector, beneficiary, collected * (0.95 + rng.unit() * 0.04), Self.later(lastArrival, &rng, hours: 1...24), p)
        member(p, collector, "collector"); member(p, beneficiary, "beneficiary")
    }

    /// A cycle of distinct entities, time ordered, each hop keeping most of the amount
    /// (round trips are the 4-hop case; AMLSim cycles are 3 to 6).
    mutating func plantCycle(_ type: PatternType, length: Int, _ config: GeneratorConfig, _ picker: inout EntityPicker, _ rng: inout SeededRandom) {
        let ring = picker.take(length, rng: &rng)
        guard ring.count == length else { return }
        let p = newPattern(type)
        var t = Self.start(config, &rng)
        var amount = 15_000 + rng.unit() * 135_000
        for i in 0..<length {
            t = Self.later(t, &rng, hours: 1...36)
            send(ring[i], ring[(i + 1) % length], amount, t, p)
            amount *= 0.96 + rng.unit() * 0.035
            if type == .roundtrip { member(p, ring[i], i == 0 ? "origin" : "intermediary") } else { member(p, ring[i], "member") }
        }
    }

    /// Fan-in (many senders to one hub) or fan-out (one hub to many receivers).
    mutating func plantFan(_ type: PatternType, _ config: GeneratorConfig, _ picker: inout EntityPicker, _ rng: inout SeededRandom) {
        let k = rng.int(in: 5...10)
        let people = picker.take(k + 1, rng: &rng)
        guard people.count == k + 1 else { return }
        let p = newPattern(type)
        let hub = people[k]
        var t = Self.start(config, &rng)
        member(p, hub, "hub")
        for other in people.prefix(k) {
            t = Self.later(t, &rng, hours: 0...8)
            let amount = 1_000 + rng.unit() * 8_000
            if type == .fanIn { send(other, hub, amount, t, p) } else { send(hub, other, amount, t, p) }
            member(p, other, "member")
        }
    }

    /// Scatter-gather: an origin pays k intermediaries, who all pay one beneficiary.
    mutating func plantScatterGather(_ config: GeneratorConfig, _ picker: inout EntityPicker, _ rng: inout SeededRandom) {
        let k = rng.int(in: 3...6)
        let people = picker.take(k + 2, rng: &rng)
        guard people.count == k + 2 else { return }
        let p = newPattern(.scatterGather)
        let origin = people[k], beneficiary = people[k + 1]
        var t = Self.start(config, &rng)
        var amounts: [Double] = []
        for mid in people.prefix(k) {
            t = Self.later(t, &rng, hours: 0...6)
            let a = 2_000 + rng.unit() * 7_000
            amounts.append(a)
            send(origin, mid, a, t, p)
        }
        for (i, mid) in people.prefix(k).enumerated() {
            t = Self.later(t, &rng, hours: 1...12)
            send(mid, beneficiary, amounts[i] * 0.98, t, p)
            member(p, mid, "member")
        }
        member(p, origin, "hub"); member(p, beneficiary, "hub")
    }

    /// Gather-scatter: k sources pay a hub, which then pays k destinations.
    mutating func plantGatherScatter(_ config: GeneratorConfig, _ picker: inout EntityPicker, _ rng: inout SeededRandom) {
        let k = rng.int(in: 3...6)
        let people = picker.take(2 * k + 1, rng: &rng)
        guard people.count == 2 * k + 1 else { return }
        let p = newPattern(.gatherScatter)
        let hub = people[2 * k]
        var t = Self.start(config, &rng)
        var total = 0.0
        for source in people.prefix(k) {
            t = Self.later(t, &rng, hours: 0...6)
            let a = 2_000 + rng.unit() * 7_000
            total += a
            send(source, hub, a, t, p)
            member(p, source, "member")
        }
        for dest in people[k..<(2 * k)] {
            t = Self.later(t, &rng, hours: 1...12)
            send(hub, dest, total * 0.97 / Double(k), t, p)
            member(p, dest, "member")
        }
        member(p, hub, "hub")
    }

    /// Bipartite (two layers, every pair paid) or stack (three layers, each pair of adjacent
    /// layers fully connected, earlier layers first).
    mutating func plantLayers(_ type: PatternType, layers: Int, _ config: GeneratorConfig, _ picker: inout EntityPicker, _ rng: inout SeededRandom) {
        let sizes = (0..<layers).map { _ in rng.int(in: 2...3) }
        let people = picker.take(sizes.reduce(0, +), rng: &rng)
        guard people.count == sizes.reduce(0, +) else { return }
        let p = newPattern(type)
        var groups: [[Int]] = [], offset = 0
        for s in sizes { groups.append(Array(people[offset..<(offset + s)])); offset += s }
        var t = Self.start(config, &rng)
        for l in 0..<(layers - 1) {
            for a in groups[l] {
                for b in groups[l + 1] {
                    t = Self.later(t, &rng, hours: 0...6)
                    send(a, b, 1_500 + rng.unit() * 7_500, t, p)
                }
            }
        }
        for e in people { member(p, e, "member") }
    }
}

/// Rounds to whole cents, as money is booked.
func cents(_ x: Double) -> Double { (x * 100).rounded() / 100 }

/// Draws entities for planted patterns, keeping patterns disjoint while the population allows.
struct EntityPicker {
    let count: Int
    private var used = Set<Int>()

    init(count: Int, seed: UInt64) { self.count = count }

    /// `n` distinct entity indices that satisfy `accept`, preferring unused ones; fewer when
    /// the population is too small.
    mutating func take(_ n: Int, rng: inout SeededRandom, where accept: (Int) -> Bool = { _ in true }) -> [Int] {
        var chosen: [Int] = []
        var attempts = 0
        while chosen.count < n && attempts < 50 * n + 100 {
            attempts += 1
            let i = rng.below(count)
            let fresh = !used.contains(i) || attempts > 20 * n
            if fresh, !chosen.contains(i), accept(i) { chosen.append(i) }
        }
        for i in chosen { used.insert(i) }
        return chosen
    }
}
