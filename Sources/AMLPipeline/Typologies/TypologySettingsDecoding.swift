// Settings decode with every key optional: a config file names only what it changes, and a
// missing key keeps the documented default. (Unknown keys are the config reader's to refuse.)

extension BipartiteSettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: minOriginators), forKey: .minOriginators) { minOriginators = v }
        if let v = try c.decodeIfPresent(type(of: minBeneficiaries), forKey: .minBeneficiaries) { minBeneficiaries = v }
        if let v = try c.decodeIfPresent(type(of: maxSide), forKey: .maxSide) { maxSide = v }
        if let v = try c.decodeIfPresent(type(of: windowHours), forKey: .windowHours) { windowHours = v }
        if let v = try c.decodeIfPresent(type(of: minAmount), forKey: .minAmount) { minAmount = v }
        if let v = try c.decodeIfPresent(type(of: maxCandidates), forKey: .maxCandidates) { maxCandidates = v }
        if let v = try c.decodeIfPresent(type(of: maxBurstProbability), forKey: .maxBurstProbability) { maxBurstProbability = v }
    }
    enum CodingKeys: String, CodingKey { case minOriginators, minBeneficiaries, maxSide, windowHours, minAmount, maxCandidates, maxBurstProbability }
}

extension CycleSettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: minLength), forKey: .minLength) { minLength = v }
        if let v = try c.decodeIfPresent(type(of: maxLength), forKey: .maxLength) { maxLength = v }
        if let v = try c.decodeIfPresent(type(of: maxHopDelayHours), forKey: .maxHopDelayHours) { maxHopDelayHours = v }
        if let v = try c.decodeIfPresent(type(of: windowHours), forKey: .windowHours) { windowHours = v }
        if let v = try c.decodeIfPresent(type(of: minRetention), forKey: .minRetention) { minRetention = v }
        if let v = try c.decodeIfPresent(type(of: maxRetention), forKey: .maxRetention) { maxRetention = v }
        if let v = try c.decodeIfPresent(type(of: minAmount), forKey: .minAmount) { minAmount = v }
        if let v = try c.decodeIfPresent(type(of: repaymentShare), forKey: .repaymentShare) { repaymentShare = v }
        if let v = try c.decodeIfPresent(type(of: maxExpansions), forKey: .maxExpansions) { maxExpansions = v }
    }
    enum CodingKeys: String, CodingKey { case minLength, maxLength, maxHopDelayHours, windowHours, minRetention, maxRetention, minAmount, repaymentShare, maxExpansions }
}

extension FanSettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: minCounterparties), forKey: .minCounterparties) { minCounterparties = v }
        if let v = try c.decodeIfPresent(type(of: maxCounterparties), forKey: .maxCounterparties) { maxCounterparties = v }
        if let v = try c.decodeIfPresent(type(of: windowHours), forKey: .windowHours) { windowHours = v }
        if let v = try c.decodeIfPresent(type(of: minAmount), forKey: .minAmount) { minAmount = v }
        if let v = try c.decodeIfPresent(type(of: lumpMinRetention), forKey: .lumpMinRetention) { lumpMinRetention = v }
        if let v = try c.decodeIfPresent(type(of: lumpMaxRetention), forKey: .lumpMaxRetention) { lumpMaxRetention = v }
        if let v = try c.decodeIfPresent(type(of: maxBurstProbability), forKey: .maxBurstProbability) { maxBurstProbability = v }
        if let v = try c.decodeIfPresent(type(of: maxCandidates), forKey: .maxCandidates) { maxCandidates = v }
    }
    enum CodingKeys: String, CodingKey { case minCounterparties, maxCounterparties, windowHours, minAmount, lumpMinRetention, lumpMaxRetention, maxBurstProbability, maxCandidates }
}

extension GatherScatterSettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: minOriginators), forKey: .minOriginators) { minOriginators = v }
        if let v = try c.decodeIfPresent(type(of: minBeneficiaries), forKey: .minBeneficiaries) { minBeneficiaries = v }
        if let v = try c.decodeIfPresent(type(of: maxCounterparties), forKey: .maxCounterparties) { maxCounterparties = v }
        if let v = try c.decodeIfPresent(type(of: windowHours), forKey: .windowHours) { windowHours = v }
        if let v = try c.decodeIfPresent(type(of: minAmount), forKey: .minAmount) { minAmount = v }
        if let v = try c.decodeIfPresent(type(of: minRetention), forKey: .minRetention) { minRetention = v }
        if let v = try c.decodeIfPresent(type(of: maxRetention), forKey: .maxRetention) { maxRetention = v }
        if let v = try c.decodeIfPresent(type(of: maxBurstProbability), forKey: .maxBurstProbability) { maxBurstProbability = v }
        if let v = try c.decodeIfPresent(type(of: maxCandidates), forKey: .maxCandidates) { maxCandidates = v }
    }
    enum CodingKeys: String, CodingKey { case minOriginators, minBeneficiaries, maxCounterparties, windowHours, minAmount, minRetention, maxRetention, maxBurstProbability, maxCandidates }
}

extension RapidPassThroughSettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: maxDelayHours), forKey: .maxDelayHours) { maxDelayHours = v }
        if let v = try c.decodeIfPresent(type(of: minRetention), forKey: .minRetention) { minRetention = v }
        if let v = try c.decodeIfPresent(type(of: maxRetention), forKey: .maxRetention) { maxRetention = v }
        if let v = try c.decodeIfPresent(type(of: minAmount), forKey: .minAmount) { minAmount = v }
        if let v = try c.decodeIfPresent(type(of: minEvents), forKey: .minEvents) { minEvents = v }
        if let v = try c.decodeIfPresent(type(of: maxCandidates), forKey: .maxCandidates) { maxCandidates = v }
    }
    enum CodingKeys: String, CodingKey { case maxDelayHours, minRetention, maxRetention, minAmount, minEvents, maxCandidates }
}

extension ScatterGatherSettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: minIntermediaries), forKey: .minIntermediaries) { minIntermediaries = v }
        if let v = try c.decodeIfPresent(type(of: maxIntermediaries), forKey: .maxIntermediaries) { maxIntermediaries = v }
        if let v = try c.decodeIfPresent(type(of: windowHours), forKey: .windowHours) { windowHours = v }
        if let v = try c.decodeIfPresent(type(of: minRetention), forKey: .minRetention) { minRetention = v }
        if let v = try c.decodeIfPresent(type(of: maxRetention), forKey: .maxRetention) { maxRetention = v }
        if let v = try c.decodeIfPresent(type(of: minAmount), forKey: .minAmount) { minAmount = v }
        if let v = try c.decodeIfPresent(type(of: maxCandidates), forKey: .maxCandidates) { maxCandidates = v }
    }
    enum CodingKeys: String, CodingKey { case minIntermediaries, maxIntermediaries, windowHours, minRetention, maxRetention, minAmount, maxCandidates }
}

extension StackSettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: layer), forKey: .layer) { layer = v }
    }
    enum CodingKeys: String, CodingKey { case layer }
}

extension StructuringTypologySettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: threshold), forKey: .threshold) { threshold = v }
        if let v = try c.decodeIfPresent(type(of: lowerShare), forKey: .lowerShare) { lowerShare = v }
        if let v = try c.decodeIfPresent(type(of: minPayments), forKey: .minPayments) { minPayments = v }
        if let v = try c.decodeIfPresent(type(of: windowHours), forKey: .windowHours) { windowHours = v }
        if let v = try c.decodeIfPresent(type(of: maxBurstProbability), forKey: .maxBurstProbability) { maxBurstProbability = v }
        if let v = try c.decodeIfPresent(type(of: maxCandidates), forKey: .maxCandidates) { maxCandidates = v }
        if let v = try c.decodeIfPresent(type(of: muleChains), forKey: .muleChains) { muleChains = v }
        if let v = try c.decodeIfPresent(type(of: muleForwardShare), forKey: .muleForwardShare) { muleForwardShare = v }
    }
    enum CodingKeys: String, CodingKey { case threshold, lowerShare, minPayments, windowHours, maxBurstProbability, maxCandidates, muleChains, muleForwardShare }
}

extension TypologyColumns {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: originator), forKey: .originator) { originator = v }
        if let v = try c.decodeIfPresent(type(of: beneficiary), forKey: .beneficiary) { beneficiary = v }
        if let v = try c.decodeIfPresent(type(of: amount), forKey: .amount) { amount = v }
        if let v = try c.decodeIfPresent(type(of: time), forKey: .time) { time = v }
        if let v = try c.decodeIfPresent(type(of: txnID), forKey: .txnID) { txnID = v }
    }
    enum CodingKeys: String, CodingKey { case originator, beneficiary, amount, time, txnID }
}

extension TypologySettings {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: enabled), forKey: .enabled) { enabled = v }
        if let v = try c.decodeIfPresent(type(of: recurringSpanHours), forKey: .recurringSpanHours) { recurringSpanHours = v }
        if let v = try c.decodeIfPresent(type(of: subsumeShare), forKey: .subsumeShare) { subsumeShare = v }
        if let v = try c.decodeIfPresent(type(of: fanIn), forKey: .fanIn) { fanIn = v }
        if let v = try c.decodeIfPresent(type(of: fanOut), forKey: .fanOut) { fanOut = v }
        if let v = try c.decodeIfPresent(type(of: cycle), forKey: .cycle) { cycle = v }
        if let v = try c.decodeIfPresent(type(of: scatterGather), forKey: .scatterGather) { scatterGather = v }
        if let v = try c.decodeIfPresent(type(of: gatherScatter), forKey: .gatherScatter) { gatherScatter = v }
        if let v = try c.decodeIfPresent(type(of: bipartite), forKey: .bipartite) { bipartite = v }
        if let v = try c.decodeIfPresent(type(of: stack), forKey: .stack) { stack = v }
        if let v = try c.decodeIfPresent(type(of: structuring), forKey: .structuring) { structuring = v }
        if let v = try c.decodeIfPresent(type(of: rapidPassThrough), forKey: .rapidPassThrough) { rapidPassThrough = v }
    }
    enum CodingKeys: String, CodingKey { case enabled, recurringSpanHours, subsumeShare, fanIn, fanOut, cycle, scatterGather, gatherScatter, bipartite, stack, structuring, rapidPassThrough }
}
extension Alerts.Options {
    /// Decodes the keys present; the rest keep their defaults.
    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(type(of: weights), forKey: .weights) { weights = v }
        if let v = try c.decodeIfPresent(type(of: riskWeight), forKey: .riskWeight) { riskWeight = v }
        if let v = try c.decodeIfPresent(type(of: minScore), forKey: .minScore) { minScore = v }
        if let v = try c.decodeIfPresent(type(of: topN), forKey: .topN) { topN = v }
        if let v = try c.decodeIfPresent(type(of: anomalyTopRank), forKey: .anomalyTopRank) { anomalyTopRank = v }
        if let v = try c.decodeIfPresent(type(of: includeLowTier), forKey: .includeLowTier) { includeLowTier = v }
        if let v = try c.decodeIfPresent(type(of: maxEvidence), forKey: .maxEvidence) { maxEvidence = v }
    }
    enum CodingKeys: String, CodingKey { case weights, riskWeight, minScore, topN, anomalyTopRank, includeLowTier, maxEvidence }
}
