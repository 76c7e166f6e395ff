import Columnar
import Foundation
import PropertyGraph
import XCTest
@testable import AMLPipeline

/// Each detector on small hand-built payment sets: the typology, its look-alikes, and the
/// window, threshold and retention edges. Accounts 98 and 99 exchange two payments a year
/// apart so that the data's period is a year, as in a bank's extract.
final class TypologyTests: XCTestCase {
    let hour: Int64 = 3_600_000_000
    let day: Int64 = 86_400_000_000

    /// (payer, payee, amount, hours after the start)
    typealias Payment = (UInt32, UInt32, Double, Double)

    func view(_ payments: [Payment]) -> TypologyPayments {
        let all = payments + [(98, 99, 500, 0), (98, 99, 500, 365 * 24)]
        return TypologyPayments(vertexCount: 100, src: all.map(\.0), dst: all.map(\.1), amount: all.map(\.2),
                                time: all.map { Int64($0.3 * 3_600_000_000) })
    }

    func accounts(_ f: [TypologyFinding]) -> [[UInt32]] { f.map(\.accounts) }

    // MARK: fan-in / fan-out

    func testFanInFindsManyNewPayersInABurstWithTheLump() {
        let p = view([(1, 0, 5_000, 10), (2, 0, 4_000, 11), (3, 0, 6_000, 12), (4, 0, 5_500, 13), (0, 7, 19_000, 20)])
        let f = FanIn.detect(p)
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f[0].accounts, [0, 1, 2, 3, 4, 7])
        XCTAssertEqual(f[0].roles, ["hub", "originator", "originator", "originator", "originator", "destination"])
        XCTAssertEqual(f[0].variant, "split_then_lump", "19,000 is 93% of the 20,500 gathered")
        XCTAssertEqual(f[0].edges, [0, 1, 2, 3, 4])
        XCTAssertEqual(FanOut.detect(p).count, 0)
    }

    func testFanOutLumpThenSplit() {
        let p = view([(9, 0, 10_000, 0), (0, 1, 3_000, 5), (0, 2, 3_000, 6), (0, 3, 3_500, 7)])
        let f = FanOut.detect(p)
        XCTAssertEqual(f.map(\.variant), ["lump_then_split"])
        XCTAssertEqual(f[0].accounts, [0, 1, 2, 3, 9])
    }

    func testPayrollToTheSameEmployeesIsNotAFanOut() {
        var payroll: [Payment] = []
        for month in 0..<3 { for e in UInt32(1)...6 { payroll.append((0, e, 3_000, Double(month * 30 * 24) + Double(e))) } }
        XCTAssertEqual(FanOut.detect(view(payroll)).count, 0, "recurring pairs are not novel counterparties")
        // One month alone is a fan-out: nothing in the data says it recurs.
        XCTAssertEqual(FanOut.detect(view(Array(payroll.prefix(6)))).count, 1)
    }

    func testManySmallPaymentsToAMerchantAreNotAFanIn() {
        let sales = (1...30).map { (UInt32($0), UInt32(0), 45.0, Double($0)) }
        XCTAssertEqual(FanIn.detect(view(sales)).count, 0, "under the amount floor")
        var settings = FanSettings()
        settings.minAmount = 0
        XCTAssertEqual(FanIn.detect(view(sales), settings: settings).count, 0, "30 payers in the window: more than a fan")
        settings.maxCounterparties = 0
        XCTAssertEqual(FanIn.detect(view(sales), settings: settings).count, 1)
    }

    func testFanWindowEdge() {
        var settings = FanSettings()
        settings.maxBurstProbability = 1
        settings.windowHours = 48
        let inside = view([(1, 0, 2_000, 0), (2, 0, 2_000, 24), (3, 0, 2_000, 48)])
        let outside = view([(1, 0, 2_000, 0), (2, 0, 2_000, 24), (3, 0, 2_000, 48.01)])
        XCTAssertEqual(FanIn.detect(inside, settings: settings).count, 1)
        XCTAssertEqual(FanIn.detect(outside, settings: settings).count, 0)
        // Two payers, however fast, are not a fan.
        XCTAssertEqual(FanIn.detect(view([(1, 0, 2_000, 0), (2, 0, 2_000, 1), (1, 0, 2_000, 2)]), settings: settings).count, 0)
    }

    func testAFewNewPayersAMonthIsOrdinaryForAnActiveAccount() {
        // Three new payers every month all year: the hub's own rate makes three in a month usual.
        let steady = (0..<36).map { (UInt32(1 + $0 % 30), UInt32(0), 2_000.0, Double($0) * 240) }
        XCTAssertEqual(FanIn.detect(view(steady)).count, 0)
        var off = FanSettings()
        off.maxBurstProbability = 1
        XCTAssertGreaterThan(FanIn.detect(view(steady), settings: off).count, 0)
    }

    func testBurstsShorterThanTheDataResolutionAreNotEvidence() {
        // Three new payers a month all year, and three more within an hour; with booking dates
        // only (every time a whole day) three on one day is less telling than three in an hour.
        var pay: [Payment] = (0..<36).map { k -> Payment in (UInt32(1 + k % 30), 0, 2_000, Double(k) * 240) }
        for k in 0..<3 { pay.append((UInt32(40 + k), 0, 2_000, 4_000 + Double(k) * 0.5)) }
        XCTAssertEqual(FanIn.detect(view(pay)).count, 1)
        let daily: [Payment] = pay.map { x -> Payment in
            let days: Double = (x.3 / 24).rounded(.down)
            return (x.0, x.1, x.2, days * 24)
        }
        let p = view(daily)
        XCTAssertEqual(p.resolution, day)
        XCTAssertEqual(FanIn.detect(p).count, 0)
    }

    // MARK: cycles

    func testCycleWithFeesIsFoundOnceFromItsFirstPayment() {
        let p = view([(0, 1, 10_000, 0), (1, 2, 9_500, 5), (2, 3, 9_000, 10), (3, 0, 8_600, 15)])
        let f = Cycles.detect(p)
        XCTAssertEqual(accounts(f), [[0, 1, 2, 3]])
        XCTAssertEqual(f[0].edges, [0, 1, 2, 3])
        XCTAssertEqual(f[0].roles, ["origin", "member", "member", "member"])
    }

    func testCycleRetentionHopDelayAndOrderEdges() {
        XCTAssertEqual(Cycles.detect(view([(0, 1, 10_000, 0), (1, 2, 8_400, 5), (2, 0, 8_000, 10)])).count, 0, "84% kept: below 85%")
        XCTAssertEqual(Cycles.detect(view([(0, 1, 10_000, 0), (1, 2, 8_500, 5), (2, 0, 8_500, 10)])).count, 1, "85% and 100%: inside")
        XCTAssertEqual(Cycles.detect(view([(0, 1, 10_000, 0), (1, 2, 10_100, 5), (2, 0, 9_000, 10)])).count, 0, "more than received")
        XCTAssertEqual(Cycles.detect(view([(0, 1, 10_000, 0), (1, 2, 9_000, 169), (2, 0, 8_600, 170)])).count, 0, "a hop 169 h later")
        XCTAssertEqual(Cycles.detect(view([(0, 1, 10_000, 10), (1, 2, 9_000, 5), (2, 0, 8_600, 20)])).count, 0, "out of time order")
        XCTAssertEqual(Cycles.detect(view([(0, 1, 10, 0), (1, 2, 9.5, 5), (2, 0, 9, 10)])).count, 0, "a token loop")
        XCTAssertEqual(Cycles.detect(view([(0, 1, 1_050, 0), (1, 2, 990, 5), (2, 0, 940, 10)])).count, 1,
                       "the floor is on the first payment; later hops follow from the retention")
        var long = CycleSettings()
        long.maxLength = 3
        XCTAssertEqual(Cycles.detect(view([(0, 1, 10_000, 0), (1, 2, 9_500, 5), (2, 3, 9_000, 10), (3, 0, 8_600, 15)]), settings: long).count, 0)
    }

    func testFriendsPayingBackAreNotATwoAccountCycle() {
        XCTAssertEqual(Cycles.detect(view([(0, 1, 2_000, 0), (1, 0, 2_000, 30)])).count, 0, "the full amount back is a repayment")
        XCTAssertEqual(Cycles.detect(view([(0, 1, 20_000, 0), (1, 0, 18_000, 30)])).map(\.variant), ["length_2"])
    }

    // MARK: scatter-gather / gather-scatter

    func testScatterGatherAndItsLookAlike() {
        let sg = view([(0, 1, 5_000, 0), (0, 2, 5_000, 1), (0, 3, 5_000, 2), (1, 4, 4_700, 10), (2, 4, 4_600, 11), (3, 4, 4_800, 12)])
        let f = ScatterGather.detect(sg)
        XCTAssertEqual(accounts(f), [[0, 1, 2, 3, 4]])
        XCTAssertEqual(f[0].roles, ["source", "intermediary", "intermediary", "intermediary", "destination"])
        XCTAssertEqual(f[0].edges.count, 6)
        // An employer pays staff who pay the same landlord: a third of a salary, not 85%-100%.
        let rent = view([(0, 1, 3_000, 0), (0, 2, 3_000, 0), (0, 3, 3_000, 0), (1, 4, 1_000, 24), (2, 4, 1_000, 25), (3, 4, 1_000, 26)])
        XCTAssertEqual(ScatterGather.detect(rent).count, 0)
        // Two intermediaries are too few.
        XCTAssertEqual(ScatterGather.detect(view([(0, 1, 5_000, 0), (0, 2, 5_000, 1), (1, 4, 4_700, 10), (2, 4, 4_600, 11)])).count, 0)
    }

    func testGatherScatterBalances() {
        let gs = view([(1, 0, 5_000, 0), (2, 0, 5_000, 1), (3, 0, 5_000, 2), (0, 4, 4_800, 10), (0, 5, 4_700, 11), (0, 6, 4_900, 12)])
        let f = GatherScatter.detect(gs)
        XCTAssertEqual(accounts(f), [[0, 1, 2, 3, 4, 5, 6]])
        XCTAssertEqual(f[0].roles, ["hub", "originator", "originator", "originator", "beneficiary", "beneficiary", "beneficiary"])
        let unbalanced = view([(1, 0, 5_000, 0), (2, 0, 5_000, 1), (3, 0, 5_000, 2), (0, 4, 1_500, 10), (0, 5, 1_500, 11), (0, 6, 1_500, 12)])
        XCTAssertEqual(GatherScatter.detect(unbalanced).count, 0, "pays out 30% of what came in")
    }

    // MARK: bipartite / stack

    func testBipartiteAllToAllInABurst() {
        var pay: [Payment] = []
        for (k, o) in [UInt32(0), 1].enumerated() { for (j, b) in [UInt32(2), 3, 4].enumerated() { pay.append((o, b, 4_000, Double(k * 3 + j))) } }
        let f = Bipartite.detect(view(pay))
        XCTAssertEqual(accounts(f), [[0, 1, 2, 3, 4]])
        XCTAssertEqual(f[0].variant, "2x3")
        XCTAssertEqual(f[0].edges.count, 6)
        // The same payments every month are recurring relationships (two firms, three suppliers).
        var monthly: [Payment] = []
        for m in 0..<3 { for x in pay { monthly.append((x.0, x.1, x.2, x.3 + Double(m * 720))) } }
        XCTAssertEqual(Bipartite.detect(view(monthly)).count, 0)
        // A 2x2 biclique spread over a month between accounts that pay around is chance.
        var spread: [Payment] = [(0, 2, 4_000, 0), (1, 2, 4_000, 200), (0, 3, 4_000, 400), (1, 3, 4_000, 600)]
        for k in 0..<40 { spread.append((UInt32(10 + k), UInt32(2 + k % 2), 2_000, Double(k) * 200)) }
        XCTAssertEqual(Bipartite.detect(view(spread)).count, 0)
    }

    func testStackOfTwoLayersSubsumesItsBipartiteLayers() throws {
        var pay: [Payment] = []
        var t = 0.0
        for o in [UInt32(0), 1] { for m in [UInt32(2), 3] { pay.append((o, m, 4_000, t)); t += 1 } }
        for m in [UInt32(2), 3] { for b in [UInt32(4), 5] { pay.append((m, b, 3_800, t + 10)); t += 1 } }
        let p = view(pay)
        let f = Stack.detect(p)
        XCTAssertEqual(accounts(f), [[0, 1, 2, 3, 4, 5]])
        XCTAssertEqual(f[0].roles, ["originator", "originator", "intermediary", "intermediary", "beneficiary", "beneficiary"])
        XCTAssertEqual(f[0].edges.count, 8)
        var settings = TypologySettings()
        settings.enabled = ["stack", "bipartite"]
        let run = try TypologyDetection.run(p, graph: nil, settings: settings)
        XCTAssertEqual(run.findings.map(\.kind), [.stack], "each layer is evidence of the stack")
    }

    // MARK: structuring

    func testStructuringDepositsAndWithdrawals() throws {
        let deposits = view([(1, 0, 9_000, 0), (2, 0, 9_500, 20), (3, 0, 8_000, 40)])
        let f = try StructuringTypology.detect(deposits)
        XCTAssertEqual(f.map(\.variant), ["deposits"])
        XCTAssertEqual(f[0].accounts, [0, 1, 2, 3])
        // One counterparty, three payments: withdrawals out of 0 and deposits into 1.
        let both = try StructuringTypology.detect(view([(0, 1, 9_900, 0), (0, 1, 9_800, 1), (0, 1, 9_700, 2)]))
        XCTAssertEqual(both.map(\.variant), ["deposits", "withdrawals"])
        XCTAssertEqual(both.map(\.accounts), [[1, 0], [0, 1]])
    }

    func testStructuringEdgesAndLookAlikes() throws {
        XCTAssertEqual(try StructuringTypology.detect(view([(1, 0, 9_000, 0), (2, 0, 9_500, 20)])).count, 0, "two payments")
        XCTAssertEqual(try StructuringTypology.detect(view([(1, 0, 6_999, 0), (2, 0, 6_999, 20), (3, 0, 6_999, 40)])).count, 0, "under 70%")
        XCTAssertEqual(try StructuringTypology.detect(view([(1, 0, 10_000, 0), (2, 0, 10_000, 20), (3, 0, 10_000, 40)])).count, 0, "at the threshold: reported")
        XCTAssertEqual(try StructuringTypology.detect(view([(1, 0, 9_000, 0), (2, 0, 9_000, 100), (3, 0, 9_000, 168.01)])).count, 0, "over 7 days")
        // Three tenants paying a near-threshold rent every month.
        var rent: [Payment] = []
        for m in 0..<6 { for k in UInt32(1)...3 { rent.append((k, 0, 9_200, Double(m * 720) + Double(k))) } }
        XCTAssertEqual(try StructuringTypology.detect(view(rent)).count, 0)
    }

    // MARK: rapid pass-through

    func testRapidPassThrough() {
        let mule = view([(1, 0, 5_000, 0), (0, 2, 4_800, 2), (3, 0, 7_000, 100), (0, 4, 3_000, 101), (0, 5, 3_500, 103)])
        let f = RapidPassThrough.detect(mule)
        XCTAssertEqual(accounts(f), [[0, 1, 3, 2, 4, 5]])
        XCTAssertEqual(f[0].variant, "repeated")
        XCTAssertEqual(RapidPassThrough.detect(view([(1, 0, 5_000, 0), (0, 1, 4_800, 2), (3, 0, 7_000, 100), (0, 3, 6_900, 101)])).count, 0,
                       "money back to the payer is a refund")
        XCTAssertEqual(RapidPassThrough.detect(view([(1, 0, 5_000, 0), (0, 2, 4_800, 24.5)])).count, 0, "forwarded after 24.5 h")
        XCTAssertEqual(RapidPassThrough.detect(view([(1, 0, 5_000, 0), (0, 2, 1_500, 2)])).count, 0, "30% forwarded")
        XCTAssertEqual(RapidPassThrough.detect(view([(1, 0, 5_000, 0), (0, 2, 4_800, 2)])).map(\.variant), ["single"], "one movement in and out")
        // A salary swept on to family every payday: both pairs recur monthly, so neither counts.
        var sweep: [Payment] = []
        for m in 0..<3 { sweep += [(1, 0, 3_000, Double(m * 720)), (0, 2, 2_700, Double(m * 720) + 4)] }
        XCTAssertEqual(RapidPassThrough.detect(view(sweep)).count, 0)
        var twice = RapidPassThroughSettings()
        twice.minEvents = 2
        XCTAssertEqual(RapidPassThrough.detect(view([(1, 0, 5_000, 0), (0, 2, 4_800, 2)]), settings: twice).count, 0)
    }

    // MARK: subsumption, tables, ids

    func testScatterGatherSourceIsNotAlsoAFanOut() throws {
        let p = view([(0, 1, 5_000, 0), (0, 2, 5_000, 1), (0, 3, 5_000, 2), (1, 4, 4_700, 10), (2, 4, 4_600, 11), (3, 4, 4_800, 12)])
        var all = TypologySettings()
        all.enabled = ["fan_out", "fan_in", "scatter_gather"]
        XCTAssertEqual(try TypologyDetection.run(p, graph: nil, settings: all).findings.map(\.kind), [.scatterGather])
        all.subsumeShare = 0
        XCTAssertEqual(Set(try TypologyDetection.run(p, graph: nil, settings: all).findings.map(\.kind)), [.scatterGather, .fanIn, .fanOut])
        all.enabled = ["fan_out", "nonsense"]
        XCTAssertThrowsError(try all.kinds())
    }

    func testTablesKeepStringIdsAsGiven() throws {
        let ids = ["ACC-9", "ACC-1", "ACC-2", "ACC-3", "ACC-4"]
        let tx = try Table([
            ("txn_id", .string(["T1", "T2", "T3", "T4", "T5", "T6", "P1", "P2"])),
            ("originator_id", .string(["ACC-9", "ACC-9", "ACC-9", "ACC-1", "ACC-2", "ACC-3", "X", "X"])),
            ("beneficiary_id", .string(["ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-4", "ACC-4", "Y", "Y"])),
            ("txn_amount", .double([5_000, 5_000, 5_000, 4_700, 4_600, 4_800, 10, 10])),
            ("txn_ts", .timestamp([0, 1, 2, 10, 11, 12, 0, 365 * 24].map { $0 * hour })),
        ])
        var settings = TypologySettings()
        settings.enabled = ["scatter_gather"]
        let out = try TypologyDetection.detect(transactions: tx, settings: settings)
        let instances = out.tables[0].1, members = out.tables[1].1
        XCTAssertEqual(instances.value(row: 0, column: 3), .string("ACC-9|ACC-1|ACC-2|ACC-3|ACC-4"))
        XCTAssertEqual(instances.value(row: 0, column: 6), .string("T1|T2|T3|T4|T5|T6"))
        XCTAssertEqual(try members.column("account_id").type, .string)
        XCTAssertEqual((0..<members.rowCount).map { members.value(row: $0, column: 2).stringValue! }, ids)
        XCTAssertEqual(instances.columnNames, ["instance_id", "typology", "variant", "accounts", "roles", "account_count", "txn_ids", "amounts",
                                               "txn_count", "total_amount", "first_ts", "last_ts", "span_hours", "score"])
    }

    func testSettingsRoundTripThroughJSON() throws {
        var s = TypologySettings()
        s.cycle.maxLength = 5
        s.fanIn.windowHours = 24
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = try encoder.encode(s)
        XCTAssertEqual(try decoder.decode(TypologySettings.self, from: data), s)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"scatter_gather\"") && text.contains("\"min_counterparties\""), text)
    }

    func testPartialSettingsKeepTheDefaults() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let s = try decoder.decode(TypologySettings.self, from: Data(#"{"cycle": {"max_length": 5}, "enabled": ["cycle"]}"#.utf8))
        var want = TypologySettings()
        want.cycle.maxLength = 5
        want.enabled = ["cycle"]
        XCTAssertEqual(s, want)
        let a = try decoder.decode(Alerts.Options.self, from: Data(#"{"top_n": 100, "weights": {"fan_in": 50}}"#.utf8))
        XCTAssertEqual(a.topN, 100)
        XCTAssertEqual(a.weight(.fanIn), 50)
        XCTAssertEqual(a.minScore, Alerts.Options().minScore)
    }

    func testOutOfRangeSettingsAreErrorsNamingTheKey() {
        var s = TypologySettings()
        XCTAssertNoThrow(try s.validate())
        s.cycle.minRetention = 1.2
        XCTAssertThrowsError(try s.validate()) { XCTAssertTrue("\($0)".contains("cycle.retention"), "\($0)") }
        s = TypologySettings()
        s.fanIn.windowHours = -1
        XCTAssertThrowsError(try s.validate()) { XCTAssertTrue("\($0)".contains("fan_in.window_hours"), "\($0)") }
        s = TypologySettings()
        s.structuring.maxBurstProbability = .nan
        XCTAssertThrowsError(try TypologyDetection.run(view([]), graph: nil, settings: s))
        s = TypologySettings()
        s.cycle.maxLength = 11
        XCTAssertThrowsError(try s.validate())
    }

    func testBurstProbability() {
        // λ = 2 over the span: P(X ≥ 3) = 1 − e^-2 (1 + 2 + 2) ≈ 0.3233, times T/s = 10.
        let p = BurstSignificance.probability(k: 3, n: 20, span: 10 * day, period: 100 * day)
        XCTAssertEqual(p, 1, accuracy: 1e-12)
        XCTAssertEqual(BurstSignificance.poissonTail(3, 2), 1 - exp(-2) * 5, accuracy: 1e-12)
        XCTAssertEqual(BurstSignificance.poissonTail(3, 0.01), 1 - exp(-0.01) * (1 + 0.01 + 0.00005), accuracy: 1e-15)
    }
}
