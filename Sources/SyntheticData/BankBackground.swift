// The legitimate traffic of the bank world, built to look like laundering shapes without
// being laundering: payroll runs are fan-outs, popular merchants and landlords are fan-ins,
// friends paying each other back are 2-cycles, supplier payment runs are company fan-outs at
// invoice-sized amounts, a few people pass most of each salary straight on to family, and a
// few make genuine payments just under the threshold.
import Foundation

/// One payment before it is given a txn id (account indices, not ids).
struct BankPayment: Sendable {
    var from: Int
    var to: Int
    var amount: Double
    var micros: Int64
}

/// Draws each account's ordinary payments from that account's own random streams, so any
/// account's traffic can be regenerated alone and the output is the same however it is
/// batched. Every payment belongs to exactly one account's schedule (the payer's, except
/// salaries and repayments, which belong to the employee's and the lender's).
struct BankBackground: Sendable {
    let config: BankWorldConfig
    let population: BankPopulation

    /// The weight of an account in the card-payment budget (0 for companies): people differ
    /// in how much they spend by card.
    func cardWeight(_ i: Int) -> Double {
        guard population.kind(i) == .person else { return 0 }
        var rng = SeededRandom(seed: config.seed, purpose: 119, index: UInt64(i))
        return rng.logNormal(median: 1, sigma: 0.6)
    }

    /// Emits account `i`'s scheduled payments, then `cards` card payments. The scheduled part
    /// does not depend on `cards`, so a counting pass with `cards: 0` sees the same schedule.
    /// O(payments emitted).
    func emit(_ i: Int, cards: Int, _ out: (BankPayment) -> Void) {
        var rng = SeededRandom(seed: config.seed, purpose: 110, index: UInt64(i))
        if population.kind(i) == .person {
            person(i, &rng, out)
            for _ in 0..<cards {
                guard let m = population.pick(population.merchants, exponent: 3, &rng, excluding: i) else { break }
                let amount = min(2_500, max(1, rng.logNormal(median: 35, sigma: 1.0)))
                pay(i, m, amount, uniformTime(&rng, hours: 7...23), out)
            }
        } else {
            company(i, &rng, out)
        }
    }

    // MARK: - People

    private func person(_ i: Int, _ rng: inout SeededRandom, _ out: (BankPayment) -> Void) {
        let months = config.months
        // Salary: the same amount from the same employer on the employer's payday.
        if rng.chance(0.85), let employer = population.pick(population.employers, exponent: 2.5, &rng, excluding: i) {
            var payday = SeededRandom(seed: config.seed, purpose: 111, index: UInt64(employer))
            let day = payday.int(in: 22...27), hour = 5 + payday.unit() * 3
            let salary = min(25_000, max(900, rng.logNormal(median: 2_600, sigma: 0.45)))
            let bonusMonth = rng.chance(0.3) ? rng.below(max(1, months)) : -1
            // A few people sweep most of each salary on to a family member's account within
            // hours: recurring, from an employer, but in-and-out like a pass-through.
            let sweep = rng.chance(0.02) ? population.pick(population.persons, exponent: 1, &rng, excluding: i) : nil
            let sweepShare = 0.8 + rng.unit() * 0.17
            for m in 0..<months {
                let amount = m == bonusMonth ? salary * (1.5 + rng.unit()) : salary
                let t = BankCalendar.monthDay(config.startMicros, month: m, dayOfMonth: day, hour: hour) + Int64(rng.below(30)) * BankCalendar.minute
                pay(employer, i, amount, t, out)
                if let sweep { pay(i, sweep, amount * sweepShare, t + Int64((1 + rng.unit() * 11) * Double(BankCalendar.hour)), out) }
            }
        }
        // Rent to a landlord (a letting company or a private landlord), early each month.
        if rng.chance(0.35), let landlord = population.pick(population.landlords, exponent: 1.8, &rng, excluding: i) {
            let rent = min(6_000, max(300, rng.logNormal(median: 1_100, sigma: 0.35)))
            let day = rng.int(in: 0...2)
            for m in 0..<months {
                pay(i, landlord, rent, BankCalendar.monthDay(config.startMicros, month: m, dayOfMonth: day, hour: 8 + rng.unit() * 12), out)
            }
        }
        // Subscriptions: the same small amount to the same merchant every month.
        let subscriptions = rng.chance(0.7) ? 0 : rng.chance(0.7) ? 1 : 2
        for _ in 0..<subscriptions {
            guard let m = population.pick(population.merchants, exponent: 2, &rng, excluding: i) else { break }
            let amount = min(300, max(3, rng.logNormal(median: 25, sigma: 0.7)))
            let day = rng.int(in: 0...27)
            for month in 0..<months {
                pay(i, m, amount, BankCalendar.monthDay(config.startMicros, month: month, dayOfMonth: day, hour: 1 + rng.unit()), out)
            }
        }
        // Friends: a payment, usually paid back (in full or in part) within ten days.
        if rng.chance(0.6) {
            for _ in 0..<rng.int(in: 1...6) {
                guard let friend = population.pick(population.persons, exponent: 1, &rng, excluding: i) else { break }
                let amount = min(2_000, max(5, rng.logNormal(median: 60, sigma: 0.9)))
                let t = uniformTime(&rng, hours: 8...23, lastDay: config.days - 11)
                pay(i, friend, amount, t, out)
                if rng.chance(0.7) {
                    let back = rng.chance(0.6) ? amount : amount * (0.3 + rng.unit() * 0.7)
                    pay(friend, i, back, t + Int64(rng.unit() * 10 * Double(BankCalendar.day)) + BankCalendar.hour, out)
                }
            }
        }
        // A one-off large purchase (car, renovation, deposit) from a company.
        if rng.chance(0.04), let seller = population.pick(population.sellers, exponent: 1.5, &rng, excluding: i) {
            pay(i, seller, logUniform(&rng, 8_000, 150_000), uniformTime(&rng, hours: 9...17), out)
        }
        // Genuine payments just under the reporting threshold (tuition instalments, a car
        // deposit): one to three to the same company within two months.
        if rng.chance(0.012), let payee = population.pick(population.sellers, exponent: 1.5, &rng, excluding: i) {
            var t = uniformTime(&rng, hours: 9...17, lastDay: config.days - 62)
            for _ in 0..<rng.int(in: 1...3) {
                pay(i, payee, config.reportingThreshold * (0.7 + rng.unit() * 0.2999), t, out)
                t += Int64(1 + rng.below(30)) * BankCalendar.day
            }
        }
    }

    // MARK: - Companies

    private func company(_ i: Int, _ rng: inout SeededRandom, _ out: (BankPayment) -> Void) {
        let months = config.months
        // Supplier invoices, paid in the company's monthly (or fortnightly) payment run.
        let runDay = rng.int(in: 0...13), runHour = 9 + rng.unit() * 8
        for _ in 0..<rng.int(in: 1...3) {
            guard let supplier = population.pick(population.suppliers, exponent: 1.5, &rng, excluding: i) else { break }
            let base = min(400_000, max(100, rng.logNormal(median: 4_000, sigma: 1.1)))
            let fortnightly = rng.chance(0.15)
            for m in 0..<months {
                for half in 0..<(fortnightly ? 2 : 1) {
                    let t = BankCalendar.monthDay(config.startMicros, month: m, dayOfMonth: runDay + 14 * half, hour: runHour)
                    pay(i, supplier, base * (0.6 + rng.unit() * 0.8), t + Int64(rng.below(20)) * BankCalendar.minute, out)
                }
            }
        }
        // Office rent.
        if rng.chance(0.3), let landlord = population.pick(population.landlords, exponent: 1.8, &rng, excluding: i) {
            let rent = min(100_000, max(500, rng.logNormal(median: 4_000, sigma: 0.8)))
            for m in 0..<months {
                pay(i, landlord, rent, BankCalendar.monthDay(config.startMicros, month: m, dayOfMonth: 0, hour: 10), out)
            }
        }
    }

    // MARK: - Helpers

    private func pay(_ from: Int, _ to: Int, _ amount: Double, _ micros: Int64, _ out: (BankPayment) -> Void) {
        guard from != to else { return }
        let end = config.startMicros + config.spanMicros - 1
        out(BankPayment(from: from, to: to, amount: max(0.01, cents(amount)), micros: min(end, max(config.startMicros, micros))))
    }

    /// A uniform day in the span (up to `lastDay`), at a uniform time within `hours`.
    private func uniformTime(_ rng: inout SeededRandom, hours: ClosedRange<Int>, lastDay: Int? = nil) -> Int64 {
        let days = max(1, min(config.days, lastDay ?? config.days))
        let day = Int64(rng.below(days))
        let hour = Double(hours.lowerBound) + rng.unit() * Double(hours.upperBound - hours.lowerBound)
        return config.startMicros + day * BankCalendar.day + Int64(hour * Double(BankCalendar.hour))
    }
}

/// A log-uniform draw in [lo, hi): every order of magnitude equally likely.
func logUniform(_ rng: inout SeededRandom, _ lo: Double, _ hi: Double) -> Double {
    lo * pow(hi / lo, rng.unit())
}
