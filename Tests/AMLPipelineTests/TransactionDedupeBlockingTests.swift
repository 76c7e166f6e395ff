import Columnar
import XCTest
@testable import AMLPipeline

/// Transaction dedupe does not pair every two payments of a repeated amount: its candidate pairs
/// are exactly the pairs with an equal amount and an equal name (2) or address (4) prefix,
/// counted here by brute force, and it still clusters each payer's payments.
final class TransactionDedupeBlockingTests: XCTestCase {
    /// 40 payers each paying the same amount (rent) 10 times, with spelling noise, plus 5
    /// payments of another amount. Names and addresses as silver normalises them.
    private func table() throws -> (Table, [Int]) {
        // Deterministic random words, so payers share no more than chance prefixes.
        var state: UInt64 = 7
        func word(_ n: Int) -> String {
            String((0..<n).map { _ -> Character in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Character(UnicodeScalar(UInt8(97 + Int((state >> 33) % 26))))
            })
        }
        var ids: [Int64] = [], amounts: [Double] = [], names: [String] = [], addresses: [String] = [], payer: [Int] = []
        for p in 0..<40 {
            let name = [word(6), word(7)].sorted().joined(separator: " ")
            let address = "\(word(3)) \(word(8)) street \(word(6))"
            for k in 0..<10 {
                // One spelling in three doubles a letter after the prefixes.
                let n = k % 3 == 1 ? name.replacingOccurrences(of: " ", with: "  ") + "e" : name
                let a = k % 3 == 2 ? address.replacingOccurrences(of: "street", with: "streeet") : address
                ids.append(Int64(ids.count + 1)); amounts.append(900); names.append(n); addresses.append(a); payer.append(p)
            }
        }
        for k in 0..<5 {
            ids.append(Int64(ids.count + 1)); amounts.append(12.5); names.append("alice smith"); addresses.append("1 oak street leeds")
            payer.append(100 + k)
        }
        let t = try Table([
            ("txn_id", .int64(ids)), ("originator_id", .int64(payer.map { Int64($0) })), ("txn_amount", .double(amounts)),
            ("rptd_originator_name", .string(names)), ("rptd_originator_address", .string(addresses)),
            ("rptd_originator_name_tokens", .string(names)), ("rptd_originator_address_norm", .string(addresses)),
        ])
        return (t, payer)
    }

    func testCandidatePairsAreTheAmountPlusPrefixBlocks() throws {
        let (t, _) = try table()
        let amount = try t.column("txn_amount"), name = try t.column("rptd_originator_name_tokens")
        let address = try t.column("rptd_originator_address_norm")
        func text(_ c: Column, _ i: Int) -> String { if case let .string(s) = c.value(at: i) { return s }; return "" }
        var expected = 0, sameAmount = 0
        for i in 0..<t.rowCount {
            for j in (i + 1)..<t.rowCount where amount.value(at: i) == amount.value(at: j) {
                sameAmount += 1
                if text(name, i).prefix(2) == text(name, j).prefix(2) || text(address, i).prefix(4) == text(address, j).prefix(4) { expected += 1 }
            }
        }
        let options = TransactionDedupe.Options()
        let resolved = try DedupeClusters.resolve(t, model: options.model, plan: options.training, threshold: options.threshold)
        XCTAssertEqual(resolved.candidatePairs, expected)
        XCTAssertLessThan(expected, sameAmount / 4, "the prefixes must cut the equal-amount block")
    }

    func testEachPayerIsOneCluster() throws {
        let (t, payer) = try table()
        let out = try TransactionDedupe.detect(transactions: t)
        let txn = try out.column("txn_id"), cluster = try out.column("cluster_id")
        var clusterOf: [Int64: Int64] = [:]
        for r in 0..<out.rowCount {
            if case let .int(a) = txn.value(at: r), case let .int(c) = cluster.value(at: r) { clusterOf[a] = c }
        }
        // Rent payers: their 10 payments form one cluster of their own.
        for p in 0..<40 {
            let members = (0..<payer.count).filter { payer[$0] == p }.map { Int64($0 + 1) }
            let labels = Set(members.compactMap { clusterOf[$0] })
            XCTAssertEqual(labels.count, 1, "payer \(p)")
            XCTAssertEqual(members.count, clusterOf.values.filter { $0 == labels.first }.count, "payer \(p)")
        }
    }
}
