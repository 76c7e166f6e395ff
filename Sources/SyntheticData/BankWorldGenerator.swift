// `amlgraph generate --world bank`: a bank whose legitimate traffic is full of look-alikes,
// with planted laundering instances of every typology and their ground truth.
import Columnar
import Foundation

/// Writes `entities.csv`, `transactions.csv` (the same schemas as `DatasetGenerator`) and
/// the truth: `truth_patterns.csv` (pattern_id, pattern_type, txn_id),
/// `truth_pattern_entities.csv` (pattern_id, pattern_type, entity_id, role) and
/// `truth_pattern_parameters.csv` (the size, window, amounts and retention each instance drew).
///
/// Deterministic: the same configuration gives byte-identical files. Streaming: payments are
/// produced account by account into batches of `config.batchSize` rows (rounded up to
/// whole shuffle blocks of 4,096); memory is the
/// batch, the planted instances and 4 bytes per account. A first pass counts each account's
/// recurring payments so the card-payment budget makes the total exactly
/// `config.transactions`. Planted payments take uniformly drawn row positions, and each block
/// of 4,096 rows is shuffled, so neither row order nor txn id tells planted from ordinary.
/// Complexity: O(accounts + transactions).
public struct BankWorldGenerator {
    public let config: BankWorldConfig
    let population: BankPopulation
    let background: BankBackground
    let plan: BankPlan
    /// Card payments per person come from this budget (see `init`).
    let cardBudget: Int
    let totalCardWeight: Double

    /// Plans the world. Throws when the sizes cannot hold the recurring traffic and the
    /// planted instances.
    public init(config: BankWorldConfig) throws {
        guard config.accounts >= 200 else {
            throw GeneratorError.invalidSize("--entities must be at least 200 for the bank world (got \(config.accounts)): it needs employers, merchants, landlords and planted instances")
        }
        guard config.accounts <= 100_000_000 else {
            throw GeneratorError.invalidSize("--entities must be at most 100,000,000 for the bank world (got \(config.accounts))")
        }
        guard (31...3_660).contains(config.days) else {
            throw GeneratorError.invalidSize("--days must be between 31 and 3,660 for the bank world (got \(config.days)): payroll and rent are monthly")
        }
        guard (1...100_000).contains(config.instances) else {
            throw GeneratorError.invalidSize("--instances must be between 1 and 100,000 (got \(config.instances))")
        }
        guard config.batchSize > 0 else { throw GeneratorError.invalidSize("batch size must be positive") }
        self.config = config
        population = BankPopulation(seed: config.seed, count: config.accounts)
        guard !population.merchants.isEmpty, !population.employers.isEmpty, !population.landlords.isEmpty else {
            throw GeneratorError.invalidSize("\(config.accounts) accounts with seed \(config.seed) have no merchant, employer or landlord: use more accounts")
        }
        background = BankBackground(config: config, population: population)
        plan = BankPlan.make(config: config, population: population)
        let wanted = config.instances * BankTypology.allCases.count
        guard plan.types.count == wanted else {
            throw GeneratorError.invalidSize("\(config.accounts) accounts cannot hold \(config.instances) instances of each typology without sharing accounts (planted \(plan.types.count) of \(wanted)): use fewer --instances or more --entities")
        }
        var recurring = 0, weight = 0.0
        for i in 0..<config.accounts {
            background.emit(i, cards: 0) { _ in recurring += 1 }
            weight += background.cardWeight(i)
        }
        let needed = recurring + plan.payments.count
        guard config.transactions >= needed else {
            throw GeneratorError.invalidSize("--transactions must be at least \(needed) for \(config.accounts) accounts over \(config.days) days (recurring payments \(recurring), planted \(plan.payments.count)); got \(config.transactions)")
        }
        guard config.transactions <= 2_000_000_000 else {
            throw GeneratorError.invalidSize("--transactions must be at most 2,000,000,000 (got \(config.transactions))")
        }
        cardBudget = config.transactions - needed
        totalCardWeight = weight
    }

    /// Number of planted payments.
    public var plantedTransactionCount: Int { plan.payments.count }
    /// Number of planted instances.
    public var plantedInstanceCount: Int { plan.types.count }

    /// Writes every file into `directory` (created if missing); each file is committed
    /// atomically. `progress` receives (stage, rows done, rows total).
    public func write(to directory: String, progress: (String, Int, Int) -> Void = { _, _, _ in }) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try writeEntities(path("entities.csv"), progress: progress)
        let txnIDs = try writeTransactions(path("transactions.csv"), progress: progress)
        try writeTruth(directory: directory, txnIDs: txnIDs)
    }

    // MARK: - Entities

    var idType: DataType { config.stringIDs ? .string : .int64 }

    var entitySchema: Schema {
        Schema([
            Field("entity_id", idType, nullable: false), Field("name", .string), Field("address", .string),
            Field("email_addr", .string), Field("phone_number", .string), Field("ssn", .string),
            Field("entity_type", .string), Field("risk_score", .double),
        ])
    }

    func idColumn(_ indices: [Int]) -> Column {
        config.stringIDs ? .string(indices.map(population.stringID)) : .int64(indices.map(EntityFactory.id))
    }

    func writeEntities(_ path: String, progress: (String, Int, Int) -> Void) throws {
        let launderers = Set(plan.members.map(\.entity))
        let writer = try CSVWriter(path: path, schema: entitySchema)
        do {
            for start in stride(from: 0, to: config.accounts, by: config.batchSize) {
                let end = min(config.accounts, start + config.batchSize)
                let records = parallelMap(start..<end) { population.factory.record($0) }
                var name = ColumnBuilder(type: .string), address = ColumnBuilder(type: .string)
                var email = ColumnBuilder(type: .string), phone = ColumnBuilder(type: .string)
                var ssn = ColumnBuilder(type: .string), kind = ColumnBuilder(type: .string)
                var risk = ColumnBuilder(type: .double)
                for (k, r) in records.enumerated() {
                    name.append(string: r.name); address.append(string: r.address)
                    append(&email, r.email); append(&phone, r.phone); append(&ssn, r.ssn)
                    kind.append(string: r.kind.rawValue)
                    if let score = population.kycScore(start + k, launderer: launderers.contains(start + k)) {
                        risk.append(double: score)
                    } else {
                        risk.appendNull()
                    }
                }
                try writer.write(try Table(schema: entitySchema, columns: [
                    idColumn(Array(start..<end)), name.finish(), address.finish(), email.finish(), phone.finish(),
                    ssn.finish(), kind.finish(), risk.finish(),
                ]))
                progress("entities", end, config.accounts)
            }
            try writer.commit()
        } catch { writer.abort(); throw error }
    }

    // MARK: - Transactions

    var transactionSchema: Schema {
        Schema([
            Field("txn_id", .int64, nullable: false), Field("originator_id", idType, nullable: false),
            Field("beneficiary_id", idType, nullable: false), Field("txn_amount", .double, nullable: false),
            Field("txn_ts", .timestamp, nullable: false), Field("rptd_originator_address", .string),
            Field("rptd_originator_name", .string),
        ])
    }

    /// Rows shuffled together; batches are whole multiples of it.
    static let shuffleBlock = 4_096

    /// `config.batchSize` rounded up to whole shuffle blocks.
    var transactionBatch: Int { (config.batchSize + Self.shuffleBlock - 1) / Self.shuffleBlock * Self.shuffleBlock }

    /// The row positions (0-based) that hold planted payments, sorted; planted payment `k`
    /// (in plan order) takes the k-th.
    func plantedSlots() -> [Int] {
        var rng = SeededRandom(seed: config.seed, purpose: 130, index: 0)
        var chosen = Set<Int>()
        while chosen.count < plan.payments.count { chosen.insert(rng.below(config.transactions)) }
        return chosen.sorted()
    }

    /// Writes the payments; returns each planted payment's txn id.
    func writeTransactions(_ path: String, progress: (String, Int, Int) -> Void) throws -> [Int64] {
        let slots = plantedSlots()
        var txnIDs = [Int64](repeating: 0, count: plan.payments.count)
        var stream = BackgroundStream(generator: self)
        var nextPlanted = 0
        let writer = try CSVWriter(path: path, schema: transactionSchema)
        do {
            for start in stride(from: 0, to: config.transactions, by: transactionBatch) {
                let end = min(config.transactions, start + transactionBatch)
                var rows: [BankPayment] = []
                var planted: [Int] = []   // plan index per row, -1 for background
                rows.reserveCapacity(end - start)
                for slot in start..<end {
                    if nextPlanted < slots.count, slots[nextPlanted] == slot {
                        rows.append(plan.payments[nextPlanted]); planted.append(nextPlanted); nextPlanted += 1
                    } else {
                        rows.append(stream.next()); planted.append(-1)
                    }
                }
                // Shuffle within blocks of `shuffleBlock` rows by a keyed hash of the slot: row
                // order carries no trace of which account's schedule (or which instance) a
                // payment came from, and the blocks do not depend on the batch size.
                let key = { (slot: Int) in SeededRandom.mix(config.seed ^ UInt64(slot) &* 0x9E37_79B9_7F4A_7C15) }
                let order = (start..<end).sorted {
                    ($0 / Self.shuffleBlock, key($0), $0) < ($1 / Self.shuffleBlock, key($1), $1)
                }.map { $0 - start }
                for (position, k) in order.enumerated() where planted[k] >= 0 { txnIDs[planted[k]] = Int64(start + position) + 1 }
                let texts: [(String, String)] = parallelMap(0..<order.count) { position in
                    let p = rows[order[position]]
                    var noise = SeededRandom(seed: config.seed, purpose: 131, index: UInt64(start + position))
                    return (NoisyText.perturb(population.factory.address(p.from), isName: false, rng: &noise),
                            NoisyText.perturb(population.factory.name(p.from), isName: true, rng: &noise))
                }
                let ordered = order.map { rows[$0] }
                try writer.write(try Table(schema: transactionSchema, columns: [
                    .int64((start..<end).map { Int64($0) + 1 }),
                    idColumn(ordered.map(\.from)), idColumn(ordered.map(\.to)),
                    .double(ordered.map(\.amount)), .timestamp(ordered.map(\.micros)),
                    .string(texts.map(\.0)), .string(texts.map(\.1)),
                ]))
                progress("transactions", end, config.transactions)
            }
            try writer.commit()
        } catch { writer.abort(); throw error }
        return txnIDs
    }

    // MARK: - Truth

    func writeTruth(directory: String, txnIDs: [Int64]) throws {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let byTxn = plan.payments.indices.sorted { txnIDs[$0] < txnIDs[$1] }
        try CSVWriter.write(try Table([
            ("pattern_id", .int64(byTxn.map { Int64(plan.paymentPattern[$0] + 1) })),
            ("pattern_type", .string(byTxn.map { plan.types[plan.paymentPattern[$0]].rawValue })),
            ("txn_id", .int64(byTxn.map { txnIDs[$0] })),
        ]), to: path("truth_patterns.csv"))

        try CSVWriter.write(try Table([
            ("pattern_id", .int64(plan.members.map { Int64($0.pattern + 1) })),
            ("pattern_type", .string(plan.members.map { plan.types[$0.pattern].rawValue })),
            ("entity_id", idColumn(plan.members.map(\.entity))),
            ("role", .string(plan.members.map(\.role))),
        ]), to: path("truth_pattern_entities.csv"))

        var accounts = [Int](repeating: 0, count: plan.types.count)
        var payments = [Int](repeating: 0, count: plan.types.count)
        var low = [Double](repeating: .infinity, count: plan.types.count)
        var high = [Double](repeating: 0, count: plan.types.count)
        for m in plan.members { accounts[m.pattern] += 1 }
        for (k, p) in plan.payments.enumerated() {
            let i = plan.paymentPattern[k]
            payments[i] += 1; low[i] = min(low[i], p.amount); high[i] = max(high[i], p.amount)
        }
        try CSVWriter.write(try Table([
            ("pattern_id", .int64(plan.types.indices.map { Int64($0 + 1) })),
            ("pattern_type", .string(plan.types.map(\.rawValue))),
            ("variant", .string(plan.parameters.map(\.variant))),
            ("accounts", .int64(accounts.map(Int64.init))),
            ("transactions", .int64(payments.map(Int64.init))),
            ("window_hours", .double(plan.parameters.map { ($0.windowHours * 100).rounded() / 100 })),
            ("retention", .double(plan.parameters.map { ($0.retention * 1_000).rounded() / 1_000 })),
            ("min_amount", .double(low)), ("max_amount", .double(high)),
        ]), to: path("truth_pattern_parameters.csv"))
    }
}

/// The ordinary payments in account order, each account's schedule generated when the
/// previous one is used up; card payments are apportioned by cumulative weight so their
/// total is exactly the budget.
private struct BackgroundStream {
    let generator: BankWorldGenerator
    var account = 0
    var cumulativeWeight = 0.0
    var cardsGiven = 0
    var buffer: [BankPayment] = []
    var position = 0

    init(generator: BankWorldGenerator) { self.generator = generator }

    mutating func next() -> BankPayment {
        while position == buffer.count {
            precondition(account < generator.config.accounts, "background stream exhausted")
            buffer.removeAll(keepingCapacity: true)
            position = 0
            cumulativeWeight += generator.background.cardWeight(account)
            let total = generator.totalCardWeight
            let due = cumulativeWeight >= total
                ? generator.cardBudget
                : min(generator.cardBudget, Int((Double(generator.cardBudget) * cumulativeWeight / total).rounded(.down)))
            let cards = max(0, due - cardsGiven)
            cardsGiven += cards
            generator.background.emit(account, cards: cards) { buffer.append($0) }
            account += 1
        }
        defer { position += 1 }
        return buffer[position]
    }
}

private func append(_ b: inout ColumnBuilder, _ s: String?) {
    if let s { b.append(string: s) } else { b.appendNull() }
}
