// Which silver columns the gold scenarios read, from their settings: the pipeline keeps (or
// reads back) only these, so gold does not hold silver's lineage and unused text columns.
import Columnar
import EntityResolution

/// The silver columns `GoldTables.build` reads under given settings, per input kind.
///
/// `named` are the columns a scenario names in its settings (ids, amounts, times, the names and
/// addresses it reports); `referenced` are the identifiers the entity-resolution models and
/// training plans mention (comparison and term-frequency columns, every word of a blocking or
/// deterministic rule and of a custom level's SQL), kept when silver has a column of that name.
/// Keeping a column no scenario reads is harmless; leaving one out is not, so `referenced` is a
/// superset by construction.
public struct GoldColumns: Sendable, Equatable {
    public var named: [InputKind: Set<String>]
    public var referenced: [InputKind: Set<String>]
    /// Kinds kept whole: a rule or SQL level quotes a column name (it may hold any character).
    public var whole: Set<InputKind> = []

    /// The columns of each kind under `settings`. O(settings' text).
    public init(settings: GoldSettings) {
        let s = settings
        let transactions: Set<String> = [
            // payment graph (structuring, round trips, typologies, risk), behaviour anomaly
            "originator_id", "beneficiary_id", "txn_id", "txn_amount", "txn_ts",
            s.structuring.amountColumn, s.structuring.timeColumn, s.structuring.txnIDColumn,
            s.roundTrips.amountColumn, s.roundTrips.timeColumn, s.roundTrips.txnIDColumn,
            // transaction_dedupe's output columns
            "rptd_originator_name", "rptd_originator_address",
        ]
        let e = EntityColumns()
        let entities: Set<String> = [
            "entity_id", "risk_score", s.structuring.nameColumn, s.roundTrips.nameColumn,
            // synthetic_identity, address_flags, alerts
            e.id, e.name, e.address, e.email, e.phone, e.ssn, "entity_type",
        ]
        // entity_dedupe's output columns
        let dedupe: Set<String> = ["record_id", "org_name", "address", "country", "amount"]
        named = [.transactions: transactions, .entities: entities, .dedupe: dedupe]
        func quotes(_ m: FellegiSunterModel, _ p: TrainingPlan) -> Bool {
            Self.texts(model: m, plan: p).contains { $0.contains("\"") || $0.contains("`") }
        }
        if quotes(s.transactionDedupe.model, s.transactionDedupe.training) { whole.insert(.transactions) }
        if quotes(s.entityDedupe.model, s.entityDedupe.training) { whole.insert(.dedupe) }
        // A saved transaction-dedupe model (`modelFile`) is what predicts: its columns count too.
        var savedModelWords: Set<String> = []
        if let file = s.transactionDedupe.modelFile, let saved = try? SplinkModelJSON.read(path: file) {
            if quotes(saved, s.transactionDedupe.training) { whole.insert(.transactions) }
            savedModelWords = Self.words(model: saved, plan: s.transactionDedupe.training)
        }
        referenced = [
            .transactions: Self.words(model: s.transactionDedupe.model, plan: s.transactionDedupe.training).union(savedModelWords),
            // address_flags reads silver's address_norm when present
            .entities: ["address_norm"],
            .dedupe: Self.words(model: s.entityDedupe.model, plan: s.entityDedupe.training),
        ]
    }

    /// The columns of `schema` (a silver table of `kind`) to keep for gold, in schema order;
    /// every column when one that a setting names is missing, so that the scenario's error
    /// lists the table's columns as before. O(columns).
    public func keep(_ kind: InputKind, schema: Schema) -> [String] {
        let names = named[kind] ?? []
        guard !whole.contains(kind), names.allSatisfy({ schema.index(of: $0) != nil }) else { return schema.names }
        let wanted = names.union(referenced[kind] ?? [])
        return schema.names.filter { wanted.contains($0) }
    }

    /// `table` with only the columns `keep` lists (storage shared, nothing copied). O(columns).
    public func project(_ kind: InputKind, _ table: Table) throws -> Table {
        let names = keep(kind, schema: table.schema)
        return names.count == table.columnCount ? table : try table.select(names)
    }

    /// Every identifier a model or training plan mentions: comparison, term-frequency and exact
    /// columns, the unique id, and each word of its rules and custom SQL levels.
    static func words(model: FellegiSunterModel, plan: TrainingPlan) -> Set<String> {
        var out: Set<String> = [model.uniqueIdColumn]
        for c in model.comparisons {
            out.insert(c.column)
            for level in c.levels {
                if let t = level.tfColumn { out.insert(t) }
                if let t = level.exactColumn { out.insert(t) }
            }
        }
        for text in texts(model: model, plan: plan) { out.formUnion(identifiers(text)) }
        // A custom level reads column x as x_l / x_r.
        for w in out where w.hasSuffix("_l") || w.hasSuffix("_r") { out.insert(String(w.dropLast(2))) }
        return out
    }

    /// The rules and custom SQL levels of a model and its training plan.
    static func texts(model: FellegiSunterModel, plan: TrainingPlan) -> [String] {
        model.blockingRules + plan.deterministicRules + plan.emBlockingRules
            + model.comparisons.flatMap { $0.levels.compactMap(\.sqlCondition) }
    }

    /// The words of `text` made of ASCII letters, digits and underscores. O(length).
    static func identifiers(_ text: String) -> Set<String> {
        var out: Set<String> = [], word: [UInt8] = []
        for c in text.utf8 + [0x20] {
            if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F {
                word.append(c)
            } else if !word.isEmpty {
                out.insert(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        return out
    }
}
