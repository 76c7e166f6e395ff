// Gold: one table per scenario, computed from the silver entities and transactions.
import Columnar
import GraphAlgorithms
import PropertyGraph

/// Settings of every scenario the gold stage runs.
public struct GoldSettings: Sendable {
    public var structuring = StructuringConfig()
    public var roundTrips = RoundTripConfig()
    /// The risk rule of the `risk_propagation` gold table and its supersteps. The weighted
    /// rule is the default because its scores stay comparable across graphs (bounded by the
    /// largest base risk, decaying); the accelerator's rule is one option away.
    public var riskRule = RiskRule.defaultWeighted
    public var riskIterations = 10
    /// Entities with base risk at least this (and above 0) seed the propagation.
    public var riskSeedThreshold = 0.0
    /// The typology detectors (`typologies`, `typology_accounts`).
    public var typologies = TypologySettings()
    public var addressFlags = AddressFlags.Options()
    public var alerts = Alerts.Options()
    public var transactionDedupe = TransactionDedupe.Options()
    public var entityDedupe = EntityDedupe.Options()
    public var behaviourAnomaly = BehaviourAnomaly.Options()
    /// Customer identifier columns masked in every gold table written (config `privacy:`).
    public var masking = IdentifierMasking()
    public init() {}
}

/// Computes the scenario gold tables.
public enum GoldTables {
    /// The gold table names this stage writes, in dependency order (alerts last).
    public static let names = ["synthetic_identity", "structuring", "structuring_levels", "roundtrips", "typologies", "typology_accounts",
                               "risk_propagation", "transaction_dedupe", "entity_dedupe", "address_flags", "behaviour_anomaly", "alerts"]

    /// Every scenario over `entities` (the accelerator's entity schema) and `transactions`
    /// (txn_id, originator_id, beneficiary_id, txn_amount, txn_ts, and for the transaction
    /// dedupe the reported originator columns with their `_norm` forms). `organisations` are
    /// silver `dedupe` records for `entity_dedupe` (its table is empty without them). `extra` are gold tables
    /// computed elsewhere (entity resolution, behaviour anomaly) that the alerts should use.
    /// Returns (name, table) pairs in `names` order. Payments to or from unknown entities are
    /// dropped from the graph (silver has already quarantined them). `reuse` holds entity-only
    /// tables (`synthetic_identity`, `address_flags`, `entity_dedupe`) already computed from
    /// the same inputs and settings: they are returned as given, not recomputed. `increment`
    /// holds previous tables that can be extended instead of recomputed (see `GoldIncrement`).
    public static func build(entities: Table, transactions: Table, organisations: Table? = nil, extra: [String: Table] = [:],
                             settings: GoldSettings = .init(), reuse: [String: Table] = [:], increment: GoldIncrementState? = nil,
                             progress: (String) -> Void = { _ in }) throws -> [(String, Table)] {
        var out: [(String, Table)] = []

        let synthetic: Table
        if let t = reuse["synthetic_identity"] { synthetic = t } else {
            progress("synthetic_identity")
            synthetic = try SyntheticIdentity.detect(entities: entities)
        }
        out.append(("synthetic_identity", synthetic))

        progress("payment graph")
        var builder = GraphBuilder()
        builder.srcColumn = "originator_id"
        builder.dstColumn = "beneficiary_id"
        builder.idColumn = "entity_id"
        builder.dropDanglingEdges = true
        builder.edgesName = "silver transactions"
        builder.verticesName = "silver entities"
        // The graph carries only the columns its detectors read (structuring, round trips,
        // typologies, risk): building it gathers every vertex column, and the text columns of
        // silver (names, addresses, reported originators, lineage) are not among them.
        let graph = try builder.build(edges: graphColumns(transactions, ["originator_id", "beneficiary_id", "txn_id", "txn_amount", "txn_ts",
                                                                        settings.structuring.amountColumn, settings.structuring.timeColumn,
                                                                        settings.structuring.txnIDColumn, settings.roundTrips.amountColumn,
                                                                        settings.roundTrips.timeColumn, settings.roundTrips.txnIDColumn]),
                                      vertices: graphColumns(entities, ["entity_id", "risk_score", settings.structuring.nameColumn,
                                                                       settings.roundTrips.nameColumn]))
        graph.prepareAdjacency()

        progress("structuring")
        let structuringAlerts = try Structuring.detect(graph, config: settings.structuring)
        let structuring = try Structuring.table(structuringAlerts, graph: graph, config: settings.structuring)
        out.append(("structuring", structuring))
        out.append(("structuring_levels", try Structuring.levelsTable(structuringAlerts, graph: graph, config: settings.structuring)))

        progress("roundtrips")
        let trips = try RoundTrips.detect(graph, config: settings.roundTrips)
        let roundtrips = try RoundTrips.table(trips, graph: graph, config: settings.roundTrips)
        out.append(("roundtrips", roundtrips))

        progress("typologies")
        let typologyRun = try TypologyDetection.run(graph, settings: settings.typologies)
        let typologyTables = try TypologyTables.tables(typologyRun, graph: graph)
        out += typologyTables

        progress("risk_propagation")
        let riskColumn = try graph.vertexProperties.column("risk_score")
        let base = (0..<riskColumn.count).map { riskColumn.value(at: $0).doubleValue ?? 0 }
        let amountColumn = try graph.edgeProperties.column("txn_amount")
        let amounts = (0..<amountColumn.count).map { amountColumn.value(at: $0).doubleValue ?? 0 }
        let risk = try RiskPropagation.run(graph: graph, baseRisk: base, rule: settings.riskRule,
                                           maxIterations: settings.riskIterations, amounts: amounts,
                                           seedThreshold: settings.riskSeedThreshold).table()
        out.append(("risk_propagation", risk))

        progress("transaction_dedupe")
        out.append(("transaction_dedupe", try transactionDedupe(transactions, settings: settings, state: increment)))

        if let t = reuse["entity_dedupe"] { out.append(("entity_dedupe", t)) } else {
            progress("entity_dedupe")
            out.append(("entity_dedupe", try organisations.map { try EntityDedupe.detect(records: $0, options: settings.entityDedupe) } ?? EntityDedupe.empty()))
        }

        let flags: Table
        if let t = reuse["address_flags"] { flags = t } else {
            progress("address_flags")
            // Silver's address_norm is AddressFlags.normalize(address): read, not recomputed.
            let normalized = entities.schema.index(of: "address_norm") != nil ? "address_norm" : nil
            flags = try AddressFlags.detect(entities: entities, normalizedColumn: normalized, options: settings.addressFlags)
        }
        out.append(("address_flags", flags))

        progress("behaviour_anomaly")
        // Behaviour only: the typology findings are alert reasons of their own and are not fed
        // back into the profile, so no finding counts twice.
        let anomaly = try BehaviourAnomaly.detect(transactions: transactions, entities: entities, options: settings.behaviourAnomaly)
        out.append(("behaviour_anomaly", anomaly))

        progress("alerts")
        var inputs = AlertInputs(entities: try entities.select(["entity_id", "name"]))
        inputs.syntheticIdentity = synthetic
        // The mule-chain structuring is part of the typology run, and every round trip with
        // amounts that balance is a cycle there: the structuring and roundtrips tables are not
        // alert inputs again.
        inputs.typologies = typologyTables[0].1
        inputs.typologyAccounts = typologyTables[1].1
        inputs.risk = risk
        inputs.addressFlags = flags
        inputs.behaviourAnomaly = extra["behaviour_anomaly"] ?? anomaly
        out.append(("alerts", try Alerts.build(inputs, options: settings.alerts)))
        return out
    }

    /// `table` with only `names` (in table order, each once), or the whole table when one of
    /// them is missing, so that a detector's error still lists every column. O(columns).
    static func graphColumns(_ table: Table, _ names: [String]) throws -> Table {
        let wanted = Set(names)
        guard wanted.allSatisfy({ table.schema.index(of: $0) != nil }) else { return table }
        return try table.select(table.columnNames.filter { wanted.contains($0) })
    }
}
