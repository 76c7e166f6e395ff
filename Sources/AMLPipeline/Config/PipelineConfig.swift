// `amlgraph pipeline --config FILE`: a bank's inputs as they are, every scenario's settings,
// the alert rules and the quality gate, in one YAML or JSON file read strictly.
import Columnar
import Foundation
import Matrix
import Yams

/// The whole pipeline config, validated when read: unknown keys anywhere are errors naming
/// the nearest valid key, malformed values name the key, line and column.
public struct PipelineConfig: Sendable {
    /// The config file (paths in it are relative to its folder).
    public var file: String
    /// The inputs given, by kind.
    public var inputs: [InputKind: InputSpec] = [:]
    /// Every scenario's settings.
    public var gold = GoldSettings()
    /// The quality gate.
    public var quality = QualitySection()

    public init(file: String) { self.file = file }

    /// Top-level keys.
    public static let topKeys = ["inputs", "scenarios", "alerts", "quality", "privacy"]

    /// The scenarios the config knows: one line each.
    public static let scenarios: [ScenarioEntry] = [
        ScenarioEntry("structuring", StructuringSection.self) { s, g in s.apply(to: &g.structuring) },
        ScenarioEntry("roundtrips", RoundTripsSection.self) { s, g in s.apply(to: &g.roundTrips) },
        ScenarioEntry("risk_propagation", RiskPropagationSection.self) { s, g in s.apply(to: &g) },
        ScenarioEntry("address_flags", AddressFlagsSection.self) { s, g in g.addressFlags.minShared = s.minShared },
        ScenarioEntry("behaviour_anomaly", BehaviourAnomalySection.self) { s, g in
            g.behaviourAnomaly.threshold = s.threshold
            g.behaviourAnomaly.nearThresholdFrom = s.nearThresholdFrom
            g.behaviourAnomaly.forwardWindowMicros = SettingsCheck.micros(s.forwardWindow)
            g.behaviourAnomaly.scorer = RobustMahalanobis(support: s.support, shrinkage: s.shrinkage)
        },
        ScenarioEntry("transaction_dedupe", TransactionDedupeSection.self) { s, g in
            g.transactionDedupe.threshold = s.threshold
            g.transactionDedupe.modelFile = s.model.isEmpty ? nil : s.model
        },
        ScenarioEntry("entity_dedupe", DedupeSection.self) { s, g in g.entityDedupe.threshold = s.threshold },
        ScenarioEntry("typologies", TypologySection<TypologyRunSettings>.self) { s, g in
            g.typologies.enabled = s.value.enabled
            g.typologies.recurringSpanHours = s.value.recurringSpanHours
            g.typologies.subsumeShare = s.value.subsumeShare
        },
        ScenarioEntry("fan_in", TypologySection<FanSettings>.self) { s, g in g.typologies.fanIn = s.value },
        ScenarioEntry("fan_out", TypologySection<FanSettings>.self) { s, g in g.typologies.fanOut = s.value },
        ScenarioEntry("cycle", TypologySection<CycleSettings>.self) { s, g in g.typologies.cycle = s.value },
        ScenarioEntry("scatter_gather", TypologySection<ScatterGatherSettings>.self) { s, g in g.typologies.scatterGather = s.value },
        ScenarioEntry("gather_scatter", TypologySection<GatherScatterSettings>.self) { s, g in g.typologies.gatherScatter = s.value },
        ScenarioEntry("bipartite", TypologySection<BipartiteSettings>.self) { s, g in g.typologies.bipartite = s.value },
        ScenarioEntry("stack", TypologySection<StackSettings>.self) { s, g in g.typologies.stack = s.value },
        ScenarioEntry("structuring_typology", TypologySection<StructuringTypologySettings>.self) { s, g in g.typologies.structuring = s.value },
        ScenarioEntry("rapid_pass_through", TypologySection<RapidPassThroughSettings>.self) { s, g in g.typologies.rapidPassThrough = s.value },
    ]

    /// Reads and validates the config at `path`.
    public static func read(_ path: String) throws -> PipelineConfig {
        try parse(ConfigDocument.load(path))
    }

    /// Validates a parsed document.
    public static func parse(_ doc: ConfigDocument) throws -> PipelineConfig {
        var config = PipelineConfig(file: doc.file)
        let folder = (doc.file as NSString).deletingLastPathComponent
        for entry in try doc.entries(doc.root, path: "", allowed: topKeys) {
            switch entry.key {
            case "inputs":
                for input in try doc.entries(entry.value, path: "inputs", allowed: InputKind.allCases.map(\.rawValue)) {
                    let kind = InputKind(rawValue: input.key)!
                    var spec = try doc.section(InputSpec.self, input.value, path: "inputs.\(input.key)")
                    let canonical = kind.schema.names
                    if let columns = input.value.mapping?["columns"] {
                        for c in try doc.entries(columns, path: "inputs.\(input.key).columns", allowed: canonical) where c.value.string == nil {
                            throw doc.error(c.value, "inputs.\(input.key).columns.\(c.key)", "expected the file's column name")
                        }
                    }
                    if let values = input.value.mapping?["values"] {
                        _ = try doc.entries(values, path: "inputs.\(input.key).values", allowed: canonical)
                    }
                    if !spec.path.hasPrefix("/") { spec.path = (folder.isEmpty ? spec.path : (folder as NSString).appendingPathComponent(spec.path)) }
                    config.inputs[kind] = spec
                }
            case "scenarios":
                for s in try doc.entries(entry.value, path: "scenarios", allowed: scenarios.map(\.name)) {
                    let scenario = scenarios.first { $0.name == s.key }!
                    let apply = try scenario.decode(doc, s.value, "scenarios.\(s.key)")
                    apply(&config.gold)
                }
                if let model = config.gold.transactionDedupe.modelFile, !model.hasPrefix("/"), !folder.isEmpty {
                    config.gold.transactionDedupe.modelFile = (folder as NSString).appendingPathComponent(model)
                }
                // The detectors' own range checks, across sections (ordered bands, lengths).
                do { try config.gold.typologies.validate() } catch {
                    throw doc.error(entry.value, "scenarios", "\(error)")
                }
            case "alerts":
                try doc.section(AlertsSection.self, entry.value, path: "alerts").apply(to: &config.gold.alerts)
            case "privacy":
                config.gold.masking = try doc.section(IdentifierMasking.self, entry.value, path: "privacy")
            default:
                config.quality = try doc.section(QualitySection.self, entry.value, path: "quality")
            }
        }
        for kind in InputKind.allCases where !kind.isOptional && config.inputs[kind] == nil {
            throw SettingsFileError(file: doc.file, message: "inputs.\(kind.rawValue): missing (every config names its \(kind.rawValue) file)")
        }
        return config
    }

    /// The commented default config `amlgraph config init` writes: every key with its
    /// default and what it means.
    public static func template() -> String {
        var out = """
        # amlgraph pipeline config (YAML; JSON works too). Run: amlgraph pipeline --config THIS_FILE --lake lake
        # Unknown keys are errors. Paths are relative to this file.
        inputs:

        """
        let examples: [InputKind: (String, [(String, String)])] = [
            .transactions: ("raw/transactions.csv", InputKind.transactions.schema.names.map { ($0, $0) }),
            .entities: ("raw/entities.csv", InputKind.entities.schema.names.map { ($0, $0) }),
            .dedupe: ("raw/dedupe.csv", InputKind.dedupe.schema.names.map { ($0, $0) }),
        ]
        for kind in [InputKind.transactions, .entities, .dedupe] {
            let (path, columns) = examples[kind]!
            out += "  \(kind.rawValue):\(kind.isOptional ? "   # optional" : "")\n"
            let d = InputSpec()
            let defaults: [String: String] = ["path": path, "delimiter": "\"\(d.delimiter)\"", "encoding": d.encoding,
                                              "timestamp_format": "\"\(d.timestampFormat)\"", "timezone": d.timezone]
            for (key, text) in InputSpec.documentation where defaults[key] != nil {
                out += "    \(key): \(defaults[key]!)".padding(toLength: 44, withPad: " ", startingAt: 0) + " # \(text)\n"
            }
            out += "    columns:                                 # canonical name: the file's column\n"
            for (c, f) in columns { out += "      \(c): \(f)\n" }
            out += kind == .entities
                ? "    values:                                  # the file's spellings, matched case-insensitively\n      entity_type: {Individual: Person, Business: Company}\n"
                : "    values: {}                               # canonical column: {the file's value: canonical value}\n"
        }
        out += "scenarios:\n"
        for s in scenarios {
            out += "  \(s.name):\n" + body(s.section, indent: "    ")
        }
        out += "alerts:\n" + body(AlertsSection.self, indent: "  ")
        out += "quality:\n" + body(QualitySection.self, indent: "  ")
        out += "privacy:\n" + body(IdentifierMasking.self, indent: "  ")
        return out
    }

    /// `line` and its comment, aligned at column 45 unless the line is longer (never cut).
    static func commented(_ line: String, _ text: String) -> String {
        (line.count < 44 ? line.padding(toLength: 44, withPad: " ", startingAt: 0) : line) + " # \(text)\n"
    }

    /// A value on one line: scalars as people write them, mappings and lists in YAML's flow style.
    static func flow(_ v: Node) -> String {
        if let m = v.mapping { return "{" + m.map { "\($0.key.string ?? ""): \(flow($0.value))" }.joined(separator: ", ") + "}" }
        if let q = v.sequence { return "[" + q.map(flow).joined(separator: ", ") + "]" }
        if let s = v.string, v.scalar?.style != .plain || s.isEmpty { return "\"\(s)\"" }
        // Numbers as people write them (10000, 0.8), not Yams' 1e+4.
        if let s = v.string, let d = Double(s), d.isFinite, s.contains("e") {
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        }
        return v.string ?? "\(v)"
    }

    static func body(_ type: any ConfigSection.Type, indent: String) -> String {
        func render<S: ConfigSection>(_ t: S.Type) -> String {
            guard let node = try? Yams.compose(yaml: (try? YAMLEncoder().encode(S())) ?? ""), let mapping = node.mapping else { return "" }
            var out = ""
            for (key, text) in S.documentation {
                let value = mapping[key].map(flow) ?? ""
                out += commented("\(indent)\(key): \(value)", text)
            }
            return out
        }
        return render(type)
    }
}
