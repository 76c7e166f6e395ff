// Monthly schedules on the bank world's span.

/// Month and day arithmetic on the span (a month is 30.44 days; no calendar needed for
/// synthetic monthly cycles).
enum BankCalendar {
    static let daysPerMonth = 30.436875
    static let day: Int64 = 86_400_000_000
    static let hour: Int64 = 3_600_000_000
    static let minute: Int64 = 60_000_000

    /// The instant of day `dayOfMonth` (0-based) of month `m`, at `hour` o'clock.
    static func monthDay(_ start: Int64, month m: Int, dayOfMonth d: Int, hour: Double) -> Int64 {
        let monthStart = Int64((Double(m) * daysPerMonth).rounded(.down))
        return start + (monthStart + Int64(d)) * day + Int64(hour * Double(Self.hour))
    }
}
