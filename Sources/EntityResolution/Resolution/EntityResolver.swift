import Columnar
import Foundation

/// Resolves the records of one table (or two, concatenated, for the link types): trains a
/// Fellegi-Sunter model, generates and scores blocked pairs, clusters them and explains them.
/// The library call behind `amlgraph resolve` and the pipeline's dedupe gold tables; each
/// step follows Splink's semantics (see the step's own documentation).
public struct EntityResolver {
    public var model: FellegiSunterModel
    public let table: Table
    /// 0 for rows of the first input, 1 for the second (link types).
    public let source: [UInt8]
    /// The unique-id column, the identity of each record in every output.
    public let ids: Column
    let order: [Int]
    /// The compared columns, prepared once and shared by every training and scoring step.
    let prepared: Scorer
    /// Each blocking rule's keys over `table`, shared by λ, EM and prediction.
    let keyCache = BlockingKeyCache()

    /// `source` defaults to every row from the first input. Throws when the unique-id column
    /// or a compared column is missing, or a link type other than dedupe_only has one input.
    public init(model: FellegiSunterModel, table: Table, source: [UInt8]? = nil) throws {
        self.model = model
        let table = try ResolutionInputs.applyOverrides(table, model.columnTypes, label: "input")
        self.table = table
        self.source = source ?? [UInt8](repeating: 0, count: table.rowCount)
        guard self.source.count == table.rowCount else {
            throw EntityResolutionError.blocking("source has \(self.source.count) entries for \(table.rowCount) records")
        }
        if model.linkType != .dedupeOnly && !self.source.contains(1) {
            throw EntityResolutionError.blocking("link_type \(model.linkType.rawValue) needs a second input")
        }
        guard table.schema.names.contains(model.uniqueIdColumn) else {
            throw EntityResolutionError.blocking("unique_id_column_name '\(model.uniqueIdColumn)' is not a column (columns: \(table.schema.names.joined(separator: ", ")))")
        }
        ids = try table.column(model.uniqueIdColumn)
        order = Blocker.order(ids: ids, source: self.source, linkType: model.linkType)
        prepared = try Scorer(model: model, table: table)  // also checks every compared column exists
    }

    /// A scorer for `model`, on the prepared columns when the comparisons are unchanged.
    func scorer(_ model: FellegiSunterModel) throws -> Scorer {
        try prepared.reusing(for: model) ?? Scorer(model: model, table: table)
    }

    /// Candidate pairs of OR-ed rules, with pairs per rule (first producer), as `Blocker`.
    public func block(_ rules: [String], extra: [MinHashLSH] = []) throws -> (pairs: CandidatePairs, counts: [(String, Int)]) {
        let lsh = extra.map { l in (name: l.name, pairs: { (t: Table) throws -> [(Int32, Int32)] in try l.candidates(t) }) }
        let (p, c) = try Blocker(rules: try rules.map(BlockingRule.init), extra: lsh)
            .pairs(table, order: order, source: source, linkType: model.linkType, keyCache: keyCache)
        return (p, c)
    }

    /// How many distinct pairs the OR-ed `rules` produce. One pure-equality rule on a dedupe is
    /// counted from its key groups (Σ k(k−1)/2) without materialising the pairs, so λ can be
    /// estimated from rules that hold for millions of pairs; anything else is blocked and
    /// counted. O(n) for the counted case, O(n + pairs) otherwise.
    public func pairCount(_ rules: [String]) throws -> Int {
        if rules.count == 1, model.linkType == .dedupeOnly {
            let rule = try BlockingRule(rules[0])
            if rule.residual == nil, !rule.keys.isEmpty {
                let ids = try keyCache.keys(rule, table)
                // Symmetric keys (the same on both sides): count the rows per key id.
                if ids.left == ids.right {
                    var groups: [UInt32: Int] = [:]
                    for id in ids.left where id != BlockingKeys.null { groups[id, default: 0] += 1 }
                    return groups.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
                }
            }
        }
        return try block(rules).pairs.count
    }

    /// Runs `plan` on the model with Splink 5's semantics: λ (if deterministic rules are
    /// given), then u (see `estimateU`), then one EM session per rule. Each session blocks on
    /// its rule, drops the comparisons that read any column the rule uses, starts from the model's
    /// current m and the blocking-adjusted λ (`blockingAdjustedLambda`), includes TF
    /// adjustments in the E-step, and afterwards every level's m becomes the median of the
    /// sessions so far that observed it (`applyEMSessions`), so later sessions start from the
    /// earlier ones' m. λ stays the deterministic estimate. `log` receives one line per step.
    /// Cost: the blocked pairs of each rule times the iterations, plus the u sample.
    public mutating func train(_ plan: TrainingPlan, log: (String) -> Void = { _ in }) throws {
        if !plan.deterministicRules.isEmpty {
            let count = try pairCount(plan.deterministicRules)
            let right = source.filter { $0 == 1 }.count
            model.lambda = estimateLambda(pairCount: count, recall: plan.recall, recordCount: table.rowCount,
                                          rightCount: right == 0 ? nil : right, linkType: model.linkType)
            log("λ = \(model.lambda) from \(count) deterministic pairs, recall \(plan.recall)")
        }
        let uScorer = try scorer(model)
        estimateU(model: &model, scorer: uScorer, recordCount: table.rowCount,
                  source: source, maxPairs: plan.maxPairs, seed: plan.seed)
        if let error = uScorer.evaluationError { throw EntityResolutionError.blocking("evaluating a comparison level's SQL: \(error)") }
        log("u estimated from the pairs of a record sample sized for \(plan.maxPairs) pairs (seed \(plan.seed))")
        var sessions: [EMSession] = []
        for rule in plan.emBlockingRules {
            let parsed = try BlockingRule(rule)
            let (p, _) = try block([rule])
            if p.count == 0, plan.skipEmptyEMRules {
                log("EM '\(rule)': no pairs, session skipped")
                continue
            }
            guard p.count > 0 else {
                throw EntityResolutionError.blocking("EM blocking rule '\(rule)' produced no record pairs; EM needs pairs to estimate m (choose a looser rule)")
            }
            let blockedColumns = Set(parsed.expression.columnReferences.map(\.name))
            // Splink leaves out of the session every comparison that reads a column the rule uses.
            let inputs = Set(table.columnNames)
            let skip = Set(model.comparisons.indices.filter { !model.comparisons[$0].inputColumns(inputs).isDisjoint(with: blockedColumns) })
            let scorer = try scorer(model)
            let levels = scorer.levels(p)
            if let error = scorer.evaluationError { throw EntityResolutionError.blocking("evaluating a comparison level's SQL: \(error)") }
            let start = blockingAdjustedLambda(model: model, blockedColumns: blockedColumns)
            let r = expectationMaximisation(model: model, levels: levels, skip: skip, startLambda: start,
                                            tfAdjustment: scorer.tfAdjustments(p, levels: levels, excluding: skip))
            log("EM '\(rule)': \(p.count) pairs, λ from \(start) to \(r.lambda) in \(r.iterations) iterations")
            sessions.append(r)
            applyEMSessions(sessions, to: &model)
        }
    }

    /// The prediction: the model's blocking rules (plus LSH rules) and every pair scored.
    public func predict(extra: [MinHashLSH] = []) throws -> Prediction {
        let (pairs, counts) = try block(model.blockingRules, extra: extra)
        let scorer = try scorer(model)
        let scored = scorer.score(pairs)
        if let error = scorer.evaluationError { throw EntityResolutionError.blocking("evaluating a comparison level's SQL: \(error)") }
        return Prediction(pairs: pairs, ruleCounts: counts, scored: scored)
    }

    /// The prediction's pairs at or above `threshold` (in `predict()`'s order) with their match
    /// probabilities, and how many candidate pairs were scored. Each probability is the one
    /// `predict()` gives (the same scorer on the same pair); the pairs are scored in slices of
    /// `slice` pairs and only the survivors kept, so memory holds the candidate pairs and one
    /// slice's levels and weights, not those of every pair. O(pairs · comparisons · metric cost).
    public func predict(atLeast threshold: Double, slice: Int = 1 << 22) throws -> (pairs: CandidatePairs, probability: [Double], candidates: Int) {
        let (pairs, _) = try block(model.blockingRules)
        let scorer = try scorer(model)
        var kept = CandidatePairs(), probability: [Double] = []
        var start = 0
        while start < pairs.count {
            let end = min(pairs.count, start + max(1, slice))
            var part = CandidatePairs()
            part.left = Array(pairs.left[start..<end])
            part.right = Array(pairs.right[start..<end])
            part.matchKey = Array(pairs.matchKey[start..<end])
            let scored = scorer.score(part)
            for p in 0..<part.count where scored.matchProbability[p] >= threshold {
                kept.left.append(part.left[p]); kept.right.append(part.right[p]); kept.matchKey.append(part.matchKey[p])
                probability.append(scored.matchProbability[p])
            }
            start = end
        }
        if let error = scorer.evaluationError { throw EntityResolutionError.blocking("evaluating a comparison level's SQL: \(error)") }
        return (kept, probability, pairs.count)
    }

    /// Cluster id per record: connected components over pairs at or above `threshold`, each
    /// cluster named by the unique id of its first record in input order.
    public func clusters(_ prediction: Prediction, threshold: Double) -> Column {
        ids.gather(clusterPairs(recordCount: table.rowCount, pairs: prediction.pairs,
                                probability: prediction.scored.matchProbability, threshold: threshold))
    }

    /// Splink's prediction columns for the pairs at or above `threshold` (every pair when
    /// nil): match_weight, match_probability, <id>_l, <id>_r, source_dataset_l/_r (link
    /// types), gamma_<column> per comparison, match_key.
    public func pairsTable(_ prediction: Prediction, threshold: Double?) throws -> Table {
        let scored = prediction.scored, pairs = prediction.pairs
        let keep = (0..<pairs.count).filter { threshold == nil || scored.matchProbability[$0] >= threshold! }
        var cols: [(String, Column)] = [
            ("match_weight", .double(keep.map { scored.matchWeight[$0] })),
            ("match_probability", .double(keep.map { scored.matchProbability[$0] })),
            (model.uniqueIdColumn + "_l", ids.gather(keep.map { Int(pairs.left[$0]) })),
            (model.uniqueIdColumn + "_r", ids.gather(keep.map { Int(pairs.right[$0]) })),
        ]
        if model.linkType != .dedupeOnly {
            cols.append(("source_dataset_l", .int64(keep.map { Int64(source[Int(pairs.left[$0])]) })))
            cols.append(("source_dataset_r", .int64(keep.map { Int64(source[Int(pairs.right[$0])]) })))
        }
        for (c, cmp) in model.comparisons.enumerated() {
            cols.append(("gamma_" + cmp.column, .int64(keep.map { Int64(cmp.gamma(Int(scored.levels[c][$0]))) })))
        }
        cols.append(("match_key", .int64(keep.map { Int64(pairs.matchKey[$0]) })))
        return try Table(cols)
    }

    /// The waterfall of the pairs at or above `threshold`: one row per term (prior, then each
    /// comparison) with its level, m, u, weight and TF adjustment.
    public func explainTable(_ prediction: Prediction, threshold: Double) throws -> Table {
        let explainer = try scorer(model)
        var a: [Value] = [], b: [Value] = [], term: [String] = [], level: [String] = []
        var m: [Double?] = [], u: [Double?] = [], w: [Double] = [], tf: [Double] = []
        for p in 0..<prediction.pairs.count where prediction.scored.matchProbability[p] >= threshold {
            let i = Int(prediction.pairs.left[p]), j = Int(prediction.pairs.right[p])
            for row in explainer.explain(i, j) {
                a.append(ids.value(at: i)); b.append(ids.value(at: j)); term.append(row.term); level.append(row.level)
                m.append(row.m); u.append(row.u); w.append(row.weight); tf.append(row.tf)
            }
        }
        func optional(_ x: [Double?]) throws -> Column { try Column(type: .double, values: x.map { $0.map(Value.double) ?? .null }) }
        return try Table([
            (model.uniqueIdColumn + "_l", try Column(type: ids.type, values: a)),
            (model.uniqueIdColumn + "_r", try Column(type: ids.type, values: b)),
            ("term", .string(term)), ("level", .string(level)), ("m", try optional(m)), ("u", try optional(u)),
            ("weight", .double(w)), ("tf_adjustment", .double(tf)),
        ])
    }
}

/// Scored candidate pairs and the pairs each blocking rule produced first.
public struct Prediction: Sendable {
    public var pairs: CandidatePairs
    public var ruleCounts: [(String, Int)]
    public var scored: ScoredPairs
}
