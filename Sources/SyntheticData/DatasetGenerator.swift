// `amlgraph generate`: writes a complete synthetic AML dataset and its ground truth.
import Columnar
import Dispatch
import Foundation

/// Writes `entities.csv`, `transactions.csv`, `dedupe.csv` and the `truth_*.csv` files.
///
/// Deterministic: the same configuration gives byte-identical files, whatever the thread
/// count, because every row is drawn from its own seeded stream. Streaming: entities and
/// transactions are produced and written in batches of `config.batchSize` rows, so memory is
/// bounded by the batch plus the planted patterns (about 1% of the rows), not by the output.
/// Complexity: O(entities + transactions).
public struct DatasetGenerator {
    public let config: GeneratorConfig
    let entities: EntityFactory
    let plan: PatternPlan

    /// Plans the dataset. Throws when the sizes cannot hold the planted patterns.
    public init(config: GeneratorConfig) throws {
        guard config.entities >= 100 else {
            throw GeneratorError.invalidSize("--entities must be at least 100 (got \(config.entities)): the planted patterns need distinct entities")
        }
        guard config.entities <= 1_000_000_000 else {
            throw GeneratorError.invalidSize("--entities must be at most 1,000,000,000 (got \(config.entities))")
        }
        self.config = config
        var factory = EntityFactory(seed: config.seed, count: config.entities)
        let plan = PatternPlan.make(config: config, entities: factory)
        guard config.transactions >= 2 * plan.transactions.count else {
            throw GeneratorError.invalidSize("--transactions must be at least \(2 * plan.transactions.count) for \(config.entities) entities: the planted patterns alone have \(plan.transactions.count) (got \(config.transactions))")
        }
        for ring in plan.rings {
            let first = ring.members[0]
            var o = AttributeOverride()
            for type in ring.sharedTypes {
                switch type {
                case "address": o.address = factory.ownAddress(first)
                case "email": o.email = factory.ownEmail(first)
                case "phone": o.phone = factory.ownPhone(first)
                default: o.ssn = factory.ownSSN(first)
                }
            }
            for m in ring.members { factory.overrides[m] = o }
        }
        for drop in plan.mailDrops {
            for e in drop.entities { factory.overrides[e] = AttributeOverride(address: drop.address) }
        }
        for s in plan.riskySeeds { factory.riskScores[s.index] = s.risk }
        self.entities = factory
        self.plan = plan
    }

    /// Number of planted transactions.
    public var plantedTransactionCount: Int { plan.transactions.count }

    /// Writes every file into `directory` (created if missing); each file is committed
    /// atomically. `progress` receives (stage, rows done, rows total).
    public func write(to directory: String, progress: (String, Int, Int) -> Void = { _, _, _ in }) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let poBoxes = try writeEntities(path("entities.csv"), progress: progress)
        let txnIDs = try writeTransactions(path("transactions.csv"), progress: progress)
        try writeOrganisations(path("dedupe.csv"), truth: path("truth_dedupe.csv"))
        try writeTruth(directory: directory, txnIDs: txnIDs, poBoxes: poBoxes)
    }

    // MARK: - Entities

    static let entitySchema = Schema([
        Field("entity_id", .int64, nullable: false), Field("name", .string), Field("address", .string),
        Field("email_addr", .string), Field("phone_number", .string), Field("ssn", .string),
        Field("entity_type", .string), Field("risk_score", .double),
    ])

    func entityBatch(_ range: Range<Int>) throws -> Table {
        let records = parallelMap(range) { entities.record($0) }
        var name = ColumnBuilder(type: .string), address = ColumnBuilder(type: .string)
        var email = ColumnBuilder(type: .string), phone = ColumnBuilder(type: .string)
        var ssn = ColumnBuilder(type: .string), kind = ColumnBuilder(type: .string)
        for r in records {
            name.append(string: r.name); address.append(string: r.address)
            appendOptional(&email, r.email); appendOptional(&phone, r.phone); appendOptional(&ssn, r.ssn)
            kind.append(string: r.kind.rawValue)
        }
        return try Table(schema: Self.entitySchema, columns: [
            .int64(records.map(\.id)), name.finish(), address.finish(), email.finish(), phone.finish(),
            ssn.finish(), kind.finish(), .double(records.map(\.riskScore)),
        ])
    }

    /// Writes the entities; returns the companies registered at a PO box of their own (for
    /// the address-flag truth), in id order.
    func writeEntities(_ path: String, progress: (String, Int, Int) -> Void) throws -> [(Int, String)] {
        let writer = try CSVWriter(path: path, schema: Self.entitySchema)
        var poBoxes: [(Int, String)] = []
        do {
            for start in stride(from: 0, to: config.entities, by: config.batchSize) {
                let end = min(config.entities, start + config.batchSize)
                try writer.write(entityBatch(start..<end))
                for i in start..<end where entities.overrides[i] == nil && !entities.isHousehold(i) {
                    if let box = entities.ownPOBox(i) { poBoxes.append((i, box)) }
                }
                progress("entities", end, config.entities)
            }
            try writer.commit()
        } catch { writer.abort(); throw error }
        return poBoxes
    }

    // MARK: - Transactions

    static let transactionSchema = Schema([
        Field("txn_id", .int64, nullable: false), Field("originator_id", .int64, nullable: false),
        Field("beneficiary_id", .int64, nullable: false), Field("txn_amount", .double, nullable: false),
        Field("txn_ts", .timestamp, nullable: false), Field("rptd_originator_address", .string),
        Field("rptd_originator_name", .string),
    ])

    /// The slots (0-based txn positions) that hold planted transactions, paired with the
    /// planted transaction each holds; planted transactions take slots in time order.
    func plantedSlots() -> (slots: [Int], order: [Int]) {
        var rng = SeededRandom(seed: config.seed, purpose: 30, index: 0)
        var chosen = Set<Int>()
        while chosen.count < plan.transactions.count { chosen.insert(rng.below(config.transactions)) }
        let order = plan.transactions.indices.sorted {
            (plan.transactions[$0].micros, $0) < (plan.transactions[$1].micros, $1)
        }
        return (chosen.sorted(), order)
    }

    /// Background traffic for one slot: power-law originators and beneficiaries (different
    /// hubs), log-normal amounts, timestamps uniform over the span.
    func background(_ slot: Int, scatterOut: IndexScatter, scatterIn: IndexScatter) -> PlantedTransaction {
        var rng = SeededRandom(seed: config.seed, purpose: 7, index: UInt64(slot))
        let from = scatterOut(rng.skewedIndex(count: config.entities, exponent: 3.0))
        var to = scatterIn(rng.skewedIndex(count: config.entities, exponent: 2.5))
        if to == from { to = (to + 1) % config.entities }
        let amount = max(1, cents(rng.logNormal(median: 1_800, sigma: 1.1)))
        let micros = config.startMicros + Int64(rng.unit() * Double(config.spanMicros))
        return PlantedTransaction(originator: from, beneficiary: to, amount: amount, micros: micros, pattern: -1)
    }

    func writeTransactions(_ path: String, progress: (String, Int, Int) -> Void) throws -> [Int64] {
        let (slots, order) = plantedSlots()
        var txnIDs = [Int64](repeating: 0, count: plan.transactions.count)
        for (k, slot) in slots.enumerated() { txnIDs[order[k]] = Int64(slot) + 1 }
        let scatterOut = IndexScatter(count: config.entities, multiplier: 2_147_483_647, offset: config.seed &* 31)
        let scatterIn = IndexScatter(count: config.entities, multiplier: 3_037_000_493, offset: config.seed &* 17)

        let writer = try CSVWriter(path: path, schema: Self.transactionSchema)
        do {
            for start in stride(from: 0, to: config.transactions, by: config.batchSize) {
                let end = min(config.transactions, start + config.batchSize)
                let rows: [(PlantedTransaction, String, String)] = parallelMap(start..<end) { slot in
                    var lo = 0, hi = slots.count
                    while lo < hi { let mid = (lo + hi) / 2; if slots[mid] < slot { lo = mid + 1 } else { hi = mid } }
                    let t = lo < slots.count && slots[lo] == slot
                        ? plan.transactions[order[lo]]
                        : background(slot, scatterOut: scatterOut, scatterIn: scatterIn)
                    var noise = SeededRandom(seed: config.seed, purpose: 8, index: UInt64(slot))
                    let address = NoisyText.perturb(entities.address(t.originator), isName: false, rng: &noise)
                    let name = NoisyText.perturb(entities.name(t.originator), isName: true, rng: &noise)
                    return (t, address, name)
                }
                let batch = try Table(schema: Self.transactionSchema, columns: [
                    .int64((start..<end).map { Int64($0) + 1 }),
                    .int64(rows.map { EntityFactory.id($0.0.originator) }),
                    .int64(rows.map { EntityFactory.id($0.0.beneficiary) }),
                    .double(rows.map(\.0.amount)),
                    .timestamp(rows.map(\.0.micros)),
                    .string(rows.map(\.1)),
                    .string(rows.map(\.2)),
                ])
                try writer.write(batch)
                progress("transactions", end, config.transactions)
            }
            try writer.commit()
        } catch { writer.abort(); throw error }
        return txnIDs
    }

    // MARK: - Organisations and truth

    func writeOrganisations(_ path: String, truth: String) throws {
        let records = OrganisationRecords.make(config: config)
        let ids = (1...records.count).map(Int64.init)
        let table = try Table([
            ("record_id", .int64(ids)), ("org_name", .string(records.map(\.name))),
            ("address", .string(records.map(\.address))), ("country", .string(records.map(\.country))),
            ("amount", .double(records.map(\.amount))),
        ])
        try CSVWriter.write(table, to: path)
        try CSVWriter.write(try Table([("record_id", .int64(ids)), ("org_id", .int64(records.map { Int64($0.orgID) }))]), to: truth)
    }

    func writeTruth(directory: String, txnIDs: [Int64], poBoxes: [(Int, String)]) throws {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        var ringIDs: [Int64] = [], ringEntities: [Int64] = [], ringTypes: [String] = []
        for (r, ring) in plan.rings.enumerated() {
            for m in ring.members {
                ringIDs.append(Int64(r + 1)); ringEntities.append(EntityFactory.id(m))
                ringTypes.append(ring.sharedTypes.joined(separator: "|"))
            }
        }
        try CSVWriter.write(try Table([("ring_id", .int64(ringIDs)), ("entity_id", .int64(ringEntities)),
                                       ("shared_types", .string(ringTypes))]), to: path("truth_synthetic_identity.csv"))

        let byTxn = plan.transactions.indices.sorted { txnIDs[$0] < txnIDs[$1] }
        try CSVWriter.write(try Table([
            ("pattern_id", .int64(byTxn.map { Int64(plan.transactions[$0].pattern + 1) })),
            ("pattern_type", .string(byTxn.map { plan.patternTypes[plan.transactions[$0].pattern].rawValue })),
            ("txn_id", .int64(byTxn.map { txnIDs[$0] })),
        ]), to: path("truth_patterns.csv"))

        try CSVWriter.write(try Table([
            ("pattern_id", .int64(plan.members.map { Int64($0.pattern + 1) })),
            ("pattern_type", .string(plan.members.map(\.type.rawValue))),
            ("entity_id", .int64(plan.members.map { EntityFactory.id($0.entity) })),
            ("role", .string(plan.members.map(\.role))),
        ]), to: path("truth_pattern_entities.csv"))

        var flagAddress: [String] = [], flagReason: [String] = [], flagEntity: [Int64] = []
        for drop in plan.mailDrops {
            for e in drop.entities.sorted() {
                flagAddress.append(drop.address); flagReason.append(drop.reason); flagEntity.append(EntityFactory.id(e))
            }
        }
        for (index, address) in poBoxes {
            flagAddress.append(address); flagReason.append("po_box"); flagEntity.append(EntityFactory.id(index))
        }
        try CSVWriter.write(try Table([("address", .string(flagAddress)), ("reason", .string(flagReason)),
                                       ("entity_id", .int64(flagEntity))]), to: path("truth_address_flags.csv"))

        try CSVWriter.write(try Table([
            ("entity_id", .int64(plan.riskySeeds.map { EntityFactory.id($0.index) })),
            ("base_risk", .double(plan.riskySeeds.map(\.risk))),
        ]), to: path("truth_risky_seeds.csv"))
    }
}

private func appendOptional(_ b: inout ColumnBuilder, _ s: String?) {
    if let s { b.append(string: s) } else { b.appendNull() }
}

/// Maps a range in parallel chunks (`parallelChunks`), keeping the output in index order, so
/// results do not depend on the thread count.
func parallelMap<T>(_ range: Range<Int>, _ body: (Int) -> T) -> [T] {
    let n = range.count
    let chunks = 64
    var parts = [[T]](repeating: [], count: chunks)
    parts.withUnsafeMutableBufferPointer { out in
        let slots = out
        parallelChunks(count: n, chunks: chunks, minimumChunk: 1) { c, rows in
            slots[c] = rows.map { body(range.lowerBound + $0) }
        }
    }
    return parts.flatMap { $0 }
}
