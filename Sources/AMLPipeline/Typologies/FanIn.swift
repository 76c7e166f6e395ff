// Fan-in (AMLSim "fan_in": several accounts send to one main account), with the
// split-then-lump form (the hub forwards the gathered total in one payment).
//
// Definition: an account receives novel payments (pairs without a recurring history, see
// `TypologyPayments`) of at least `minAmount` from `minCounterparties...maxCounterparties`
// distinct payers inside one window of `windowHours`. Windows are greedy and non-overlapping
// (`TypologyWindows`). Look-alikes kept out: a merchant's many small sales (amount floor and
// the upper bound on payers), payroll, rent and supplier payments (recurring pairs).

/// The fan-in detector.
public enum FanIn {
    /// One finding per fan window: the hub (role `hub`), its payers (`originator`), the lump's
    /// payee (`destination`) when the hub forwards the total; score 0.5 + 0.25·size + 0.25·lump.
    /// - Complexity: O(E) plus O(maxCandidates) per fan; parallel over accounts.
    public static func detect(_ payments: TypologyPayments, settings: FanSettings = .init()) -> [TypologyFinding] {
        FanKernel.detect(payments, incoming: true, settings: settings)
    }
}
