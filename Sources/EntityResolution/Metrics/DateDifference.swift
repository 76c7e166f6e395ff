/// Absolute difference between two instants in seconds (dates are days × 86400), as
/// Splink's `AbsoluteTimeDifferenceLevel` compares epoch seconds.
@inlinable public func absoluteSecondsDifference(_ a: Double, _ b: Double) -> Double { abs(a - b) }

/// Time units accepted by date-difference levels, in seconds.
public enum TimeUnit: String, Sendable, Codable {
    case second, minute, hour, day, week, month, year
    /// Seconds per unit (month = 30.4375 days, year = 365.25 days, as Splink approximates).
    public var seconds: Double {
        switch self {
        case .second: return 1
        case .minute: return 60
        case .hour: return 3600
        case .day: return 86400
        case .week: return 604800
        case .month: return 2_629_800
        case .year: return 31_557_600
        }
    }
}
