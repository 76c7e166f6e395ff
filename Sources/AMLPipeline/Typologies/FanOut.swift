// Fan-out (AMLSim "fan_out": a main account sends to several accounts), with the
// lump-then-split form (a lump arrives and is split over the fan).
//
// Definition: an account makes novel payments (see `TypologyPayments`) of at least
// `minAmount` to `minCounterparties...maxCounterparties` distinct payees inside one window of
// `windowHours`; greedy non-overlapping windows (`TypologyWindows`). Look-alikes kept out:
// monthly payroll to the same employees and supplier payments (recurring pairs), a payroll
// run to a large staff (upper bound on payees).

/// The fan-out detector.
public enum FanOut {
    /// One finding per fan window: the hub (`hub`), its payees (`beneficiary`), the lump's
    /// payer (`source`) when a lump was split; score 0.5 + 0.25·size + 0.25·lump.
    /// - Complexity: O(E) plus O(maxCandidates) per fan; parallel over accounts.
    public static func detect(_ payments: TypologyPayments, settings: FanSettings = .init()) -> [TypologyFinding] {
        FanKernel.detect(payments, incoming: false, settings: settings)
    }
}
