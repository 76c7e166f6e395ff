// The laundering instances planted in the bank world. Every instance draws its own size,
// window, amounts and per-hop retention from wide ranges, so a detector cannot succeed by
// matching one planted number: fan sizes 3–20, cycles of 2–10 accounts, retention 85–100%
// per hop, windows from 2 hours to 30 days, amounts 1,000–500,000 (log-uniform), and
// structuring amounts from 70% of the reporting threshold up to it.
import Foundation

/// One row of `truth_pattern_entities.csv` for the bank world.
struct BankMember: Sendable {
    var pattern: Int
    var entity: Int
    var role: String
}

/// The drawn parameters of one planted instance (`truth_pattern_parameters.csv`).
struct BankInstanceParameters: Sendable {
    var variant: String
    var windowHours: Double
    var retention: Double
}

/// Every planted instance, decided before any row is written. O(planted payments) memory.
struct BankPlan: Sendable {
    var payments: [BankPayment] = []
    /// The instance each planted payment belongs to.
    var paymentPattern: [Int] = []
    var types: [BankTypology] = []
    var parameters: [BankInstanceParameters] = []
    var members: [BankMember] = []

    /// Plants `config.instances` instances of every typology, round-robin over the
    /// typologies so that a small world still has each one. Members are drawn from people and
    /// from a share of suppliers, never reused across instances.
    static func make(config: BankWorldConfig, population: BankPopulation) -> BankPlan {
        var planter = InstancePlanter(config: config, population: population)
        var next: UInt64 = 0
        for round in 0..<config.instances {
            for typology in BankTypology.allCases {
                planter.plant(typology, round: round, rng: SeededRandom(seed: config.seed, purpose: 120, index: next))
                next += 1
            }
        }
        return planter.plan
    }
}

/// Draws one instance into the plan.
private struct InstancePlanter {
    let config: BankWorldConfig
    let population: BankPopulation
    var rng = SeededRandom(state: 0)
    /// Accounts already in an instance.
    var used = Set<Int>()
    var plan = BankPlan()

    private var pattern = 0
    private var roles: [Int: String] = [:]
    private var memberOrder: [Int] = []

    init(config: BankWorldConfig, population: BankPopulation) {
        self.config = config
        self.population = population
    }

    /// Plants one instance of `typology` drawn from `rng`; nothing when the population has
    /// too few unused accounts left.
    mutating func plant(_ typology: BankTypology, round: Int, rng stream: SeededRandom) {
        rng = stream
        pattern = plan.types.count
        roles = [:]
        memberOrder = []
        let windowHours = logUniform(&rng, 2, 720)
        let retention = 0.85 + rng.unit() * 0.15
        let window = Int64(windowHours * Double(BankCalendar.hour))
        let t0 = config.startMicros + Int64(rng.unit() * Double(max(0, config.spanMicros - window - BankCalendar.hour)))
        let base = logUniform(&rng, 1_000, 500_000)
        var variant = "plain"
        let before = plan.payments.count
        switch typology {
        case .fanIn: variant = fanIn(t0, window, base, retention)
        case .fanOut: variant = fanOut(t0, window, base, retention)
        case .cycle: variant = cycle(t0, window, base)
        case .scatterGather: scatterGather(t0, window, base)
        case .gatherScatter: gatherScatter(t0, window, base, retention)
        case .bipartite: bipartite(t0, window, base)
        case .stack: stack(t0, window, base, retention)
        case .structuring: variant = structuring(t0, window, retention, variant: (round + Int(config.seed % 3)) % 3)
        case .rapidPassThrough: variant = rapidPassThrough(t0, window, base)
        }
        guard plan.payments.count > before else { return }
        plan.types.append(typology)
        plan.parameters.append(BankInstanceParameters(variant: variant, windowHours: windowHours, retention: retention))
        for e in memberOrder { plan.members.append(BankMember(pattern: pattern, entity: e, role: roles[e]!)) }
    }

    // MARK: - Typologies

    /// Several senders pay one hub; in the split-then-lump form the hub then passes the total
    /// (less a fee) to an exit account.
    mutating func fanIn(_ t0: Int64, _ w: Int64, _ base: Double, _ r: Double) -> String {
        let k = rng.int(in: 3...20)
        let lump = rng.chance(0.5)
        guard let people = take(k + 1 + (lump ? 1 : 0)) else { return "" }
        let hub = people[k]
        let inEnd = lump ? t0 + w * 4 / 5 : t0 + w
        var total = 0.0
        for (j, t) in times(k, t0, inEnd).enumerated() {
            let a = jitter(base)
            total += a
            send(people[j], hub, a, t, "source", "hub")
        }
        guard lump else { return "plain" }
        send(hub, people[k + 1], total * r, inEnd + (t0 + w - inEnd) / 2, "hub", "exit")
        return "split_then_lump"
    }

    /// One hub pays several receivers; in the lump-then-split form an entry account first
    /// pays the hub the total.
    mutating func fanOut(_ t0: Int64, _ w: Int64, _ base: Double, _ r: Double) -> String {
        let k = rng.int(in: 3...20)
        let lump = rng.chance(0.5)
        guard let people = take(k + 1 + (lump ? 1 : 0)) else { return "" }
        let hub = people[k]
        let legs = (0..<k).map { _ in jitter(base) }
        var outStart = t0
        if lump {
            send(people[k + 1], hub, legs.reduce(0, +) / r, t0, "entry", "hub")
            outStart = t0 + w / 5
        }
        for (j, t) in times(k, outStart, t0 + w).enumerated() { send(hub, people[j], legs[j], t, "hub", "destination") }
        return lump ? "lump_then_split" : "plain"
    }

    /// m → a → … → m over 2–10 distinct accounts, time ordered, each hop forwarding 85–100%
    /// of what it received.
    mutating func cycle(_ t0: Int64, _ w: Int64, _ base: Double) -> String {
        let n = rng.int(in: 2...10)
        guard let ring = take(n) else { return "" }
        var amount = base
        for (j, t) in times(n, t0, t0 + w).enumerated() {
            send(ring[j], ring[(j + 1) % n], amount, t, j == 0 ? "origin" : "member", "member")
            amount *= 0.85 + rng.unit() * 0.15
        }
        return "length_\(n)"
    }

    /// Source → k intermediaries (first half of the window) → one destination (second half),
    /// each intermediary keeping a margin.
    mutating func scatterGather(_ t0: Int64, _ w: Int64, _ base: Double) {
        let k = rng.int(in: 3...20)
        guard let people = take(k + 2) else { return }
        let source = people[k], destination = people[k + 1]
        let mid = t0 + w / 2
        let legs = (0..<k).map { _ in jitter(base) }
        for (j, t) in times(k, t0, mid).enumerated() { send(source, people[j], legs[j], t, "source", "intermediary") }
        for (j, t) in times(k, mid, t0 + w).enumerated() {
            send(people[j], destination, legs[j] * (0.85 + rng.unit() * 0.15), t, "intermediary", "destination")
        }
    }

    /// k₁ sources → one hub (first half), then the hub → k₂ destinations (second half),
    /// paying out the total less a fee.
    mutating func gatherScatter(_ t0: Int64, _ w: Int64, _ base: Double, _ r: Double) {
        let k1 = rng.int(in: 3...20), k2 = rng.int(in: 3...20)
        guard let people = take(k1 + k2 + 1) else { return }
        let hub = people[k1 + k2], mid = t0 + w / 2
        var total = 0.0
        for (j, t) in times(k1, t0, mid).enumerated() {
            let a = jitter(base)
            total += a
            send(people[j], hub, a, t, "source", "hub")
        }
        let shares = split(total * r, into: k2)
        for (j, t) in times(k2, mid, t0 + w).enumerated() { send(hub, people[k1 + j], shares[j], t, "hub", "destination") }
    }

    /// Every originator (2–8) pays every beneficiary (2–8) within the window.
    mutating func bipartite(_ t0: Int64, _ w: Int64, _ base: Double) {
        let m = rng.int(in: 2...8), n = rng.int(in: 2...8)
        guard let people = take(m + n) else { return }
        let ts = times(m * n, t0, t0 + w)
        for a in 0..<m {
            for b in 0..<n { send(people[a], people[m + b], jitter(base), ts[a * n + b], "originator", "beneficiary") }
        }
    }

    /// Two bipartite layers in time order: originators → intermediates (first half), then
    /// every intermediate forwards what it received, less a fee, to every beneficiary.
    mutating func stack(_ t0: Int64, _ w: Int64, _ base: Double, _ r: Double) {
        let a = rng.int(in: 2...6), b = rng.int(in: 2...6), c = rng.int(in: 2...6)
        guard let people = take(a + b + c) else { return }
        let mid = t0 + w / 2
        var received = [Double](repeating: 0, count: b)
        let first = times(a * b, t0, mid)
        for i in 0..<a {
            for j in 0..<b {
                let x = jitter(base)
                received[j] += x
                send(people[i], people[a + j], x, first[i * b + j], "originator", "intermediate")
            }
        }
        let second = times(b * c, mid, t0 + w)
        for j in 0..<b {
            let shares = split(received[j] * r, into: c)
            for k in 0..<c { send(people[a + j], people[a + b + k], shares[k], second[j * c + k], "intermediate", "beneficiary") }
        }
    }

    /// Repeated payments from 70% of the threshold up to it, in three forms: deposits into
    /// one collector (optionally passed on), withdrawals out of one account, and the
    /// accelerator's chain sources → mules → collector → beneficiary.
    mutating func structuring(_ t0: Int64, _ w: Int64, _ r: Double, variant: Int) -> String {
        let threshold = config.reportingThreshold
        func subThreshold() -> Double { min(threshold - 0.01, threshold * (0.7 + rng.unit() * 0.3)) }
        switch variant {
        case 0:
            let k = rng.int(in: 3...20), d = rng.int(in: 1...min(k, 6))
            let onward = rng.chance(0.6)
            guard let people = take(d + 1 + (onward ? 1 : 0)) else { return "" }
            let collector = people[d]
            let end = onward ? t0 + w * 4 / 5 : t0 + w
            var total = 0.0
            for (j, t) in times(k, t0, end).enumerated() {
                let a = subThreshold()
                total += a
                send(people[j % d], collector, a, t, "depositor", "collector")
            }
            if onward { send(collector, people[d + 1], total * r, end + (t0 + w - end) / 2, "collector", "beneficiary") }
            return "deposits"
        case 1:
            let k = rng.int(in: 3...20), d = rng.int(in: 1...min(k, 6))
            guard let people = take(d + 1) else { return "" }
            for (j, t) in times(k, t0, t0 + w).enumerated() { send(people[d], people[j % d], subThreshold(), t, "payer", "recipient") }
            return "withdrawals"
        default:
            let s = rng.int(in: 1...3), m = rng.int(in: 2...10)
            guard let people = take(s + m + 2) else { return "" }
            let collector = people[s + m], beneficiary = people[s + m + 1]
            let mid = t0 + w * 2 / 5, last = t0 + w * 4 / 5
            var forwarded = 0.0
            let inbound = times(m, t0, mid), onward = times(m, mid, last)
            for j in 0..<m {
                let a = subThreshold()
                send(people[j % s], people[s + j], a, inbound[j], "source", "mule")
                let f = a * (0.85 + rng.unit() * 0.15)
                forwarded += f
                send(people[s + j], collector, f, onward[j], "mule", "collector")
            }
            send(collector, beneficiary, forwarded * r, last + (t0 + w - last) / 2, "collector", "beneficiary")
            return "mules"
        }
    }

    /// Money that arrives and leaves one account within hours, 85–100% of it, one to six
    /// times within the window.
    mutating func rapidPassThrough(_ t0: Int64, _ w: Int64, _ base: Double) -> String {
        let episodes = rng.int(in: 1...6)
        let senders = rng.int(in: 1...3), receivers = rng.int(in: 1...3)
        guard let people = take(1 + senders + receivers) else { return "" }
        let through = people[0]
        for e in 0..<episodes {
            let delay = Int64(logUniform(&rng, 0.25, min(24, Double(w) / Double(BankCalendar.hour))) * Double(BankCalendar.hour))
            let slot = max(Int64(1), (w - min(w, delay)) / Int64(episodes))
            let tIn = t0 + slot * Int64(e) + Int64(rng.unit() * Double(slot))
            let amount = jitter(base)
            send(people[1 + e % senders], through, amount, tIn, "source", "pass_through")
            send(through, people[1 + senders + e % receivers], amount * (0.85 + rng.unit() * 0.15), tIn + max(BankCalendar.minute, delay), "pass_through", "destination")
        }
        return "episodes_\(episodes)"
    }

    // MARK: - Helpers

    /// `n` accounts for one instance, none used by an earlier instance: people, and one
    /// supplier in four (a front company). Nil when random probing finds too few.
    mutating func take(_ n: Int) -> [Int]? {
        var chosen: [Int] = []
        var attempts = 0
        while chosen.count < n && attempts < 100 * n + 1_000 {
            attempts += 1
            let i = rng.below(config.accounts)
            guard !used.contains(i), !chosen.contains(i), eligible(i) else { continue }
            chosen.append(i)
        }
        guard chosen.count == n else { return nil }
        used.formUnion(chosen)
        return chosen
    }

    func eligible(_ i: Int) -> Bool {
        if population.kind(i) == .person { return true }
        guard population.role(i) == .supplier else { return false }
        var h = SeededRandom(seed: config.seed, purpose: 121, index: UInt64(i))
        return h.chance(0.25)
    }

    /// Records a payment and the roles of both ends (an account keeps its first role).
    mutating func send(_ from: Int, _ to: Int, _ amount: Double, _ micros: Int64, _ fromRole: String, _ toRole: String) {
        plan.payments.append(BankPayment(from: from, to: to, amount: max(0.01, cents(amount)), micros: micros))
        plan.paymentPattern.append(pattern)
        for (e, role) in [(from, fromRole), (to, toRole)] where roles[e] == nil {
            roles[e] = role
            memberOrder.append(e)
        }
    }

    /// `n` sorted instants in [from, to].
    mutating func times(_ n: Int, _ from: Int64, _ to: Int64) -> [Int64] {
        let span = Double(max(0, to - from))
        return (0..<n).map { _ in from + Int64(rng.unit() * span) }.sorted()
    }

    /// The instance's typical amount, ±30%, kept within 1,000–500,000.
    mutating func jitter(_ base: Double) -> Double { min(500_000, max(1_000, base * (0.7 + rng.unit() * 0.6))) }

    /// `total` split into `n` uneven positive shares that add up to it.
    mutating func split(_ total: Double, into n: Int) -> [Double] {
        let weights = (0..<n).map { _ in 0.5 + rng.unit() }
        let sum = weights.reduce(0, +)
        return weights.map { total * $0 / sum }
    }
}
