// Gold tables updated from their previous version instead of recomputed over all history
// (issue 14, incremental days). Today: `transaction_dedupe` with a saved model. Each complete
// run records, in the `runs` table's `gold_inputs` (as GoldReuse does for the entity-only
// tables), the table's Delta version, the silver transactions version and row count it was
// computed from, its settings and the build; a later run whose silver transactions are those
// rows plus appended ones extends the table instead of recomputing it.
import Columnar
import DeltaLake
import Foundation

enum GoldIncrement {
    /// The fingerprint of `transaction_dedupe` computed from the first `rows` transactions of
    /// silver at `silverVersion` under `settings`: nil when the settings train a model each
    /// run (then nothing can be extended). The saved model enters as an FNV-1a 64 hash of the
    /// file's bytes. O(model file).
    static func dedupeFingerprint(silverVersion: Int64, rows: Int, settings: GoldSettings) -> String? {
        let options = settings.transactionDedupe
        guard let file = options.modelFile, let bytes = FileManager.default.contents(atPath: file) else { return nil }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes + Array("|\(options.threshold)|\(String(describing: settings.masking))".utf8) {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01b3
        }
        return "silver/transactions@\(silverVersion);rows=\(rows);model=\(String(h, radix: 16));build=\(GoldReuse.buildIdentity)"
    }

    /// The previous `transaction_dedupe` table, when the lake's latest complete run recorded
    /// one computed from silver transactions as they stand before this run (`silverVersion`,
    /// the first `rows` rows of this run's transactions) with the same saved model, threshold,
    /// masking and build, the gold table is still at the version recorded, the model can be
    /// updated (`TransactionDedupe.updatable`) and masking leaves the columns read back as
    /// computed. O(runs + the table).
    static func previousDedupe(lake: String, silverVersion: Int64, rows: Int, settings: GoldSettings) -> TransactionDedupe.Previous? {
        guard TransactionDedupe.updatable(settings.transactionDedupe),
              !["txn_id", "cluster_id", "match_probability"].contains(where: settings.masking.masks),
              let fingerprint = dedupeFingerprint(silverVersion: silverVersion, rows: rows, settings: settings) else { return nil }
        let root = (lake as NSString).appendingPathComponent("gold/transaction_dedupe")
        guard let entry = GoldReuse.recorded(lake: lake)["gold/transaction_dedupe"], let snapshot = try? Snapshot.load(root),
              entry == "\(snapshot.version)|\(fingerprint)",
              let table = try? DeltaTable.read(root) else { return nil }
        return .init(table: table, rows: rows)
    }
}

/// What a gold run may start from (the previous tables it can extend) and what it did with
/// them, for the run's notices. Handed to `GoldTables.build` by the pipeline.
public final class GoldIncrementState: @unchecked Sendable {
    /// The previous `transaction_dedupe` table to extend (nil: compute it over all payments).
    public var previousDedupe: TransactionDedupe.Previous?
    /// One line per table updated instead of recomputed.
    public var notices: [String] = []
    public init(previousDedupe: TransactionDedupe.Previous? = nil) { self.previousDedupe = previousDedupe }
}

extension GoldTables {
    /// `transaction_dedupe`: extended from `state`'s previous table when there is one (saying
    /// so in `state.notices`), else computed over all `transactions`.
    static func transactionDedupe(_ transactions: Table, settings: GoldSettings, state: GoldIncrementState?) throws -> Table {
        if let previous = state?.previousDedupe,
           let updated = try TransactionDedupe.update(transactions: transactions, previous: previous, options: settings.transactionDedupe) {
            state?.notices.append("gold: transaction_dedupe updated from the previous run's table with the saved model "
                                  + "(\(updated.newRows) new payments, \(updated.pairs) pairs with a new payment scored)")
            return updated.table
        }
        return try TransactionDedupe.detect(transactions: transactions, options: settings.transactionDedupe)
    }
}
