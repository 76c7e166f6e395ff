import Foundation
import XCTest
@testable import Columnar

/// strftime-style timestamp parsing, checked against Foundation's own formatter writing the
/// same instants in the same zone.
final class TimestampFormatTests: XCTestCase {
    func check(_ strftime: String, _ unicodePattern: String, zone: String, instants: [Int64], file: StaticString = #filePath, line: UInt = #line) throws {
        let parser = try TimestampFormat(strftime, timezone: zone)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimestampFormat.zone(zone)
        formatter.dateFormat = unicodePattern
        for seconds in instants {
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            XCTAssertEqual(parser.parse(text), seconds * 1_000_000, "\(strftime) '\(text)'", file: file, line: line)
        }
    }

    func testFormatsAgreeWithFoundation() throws {
        var rng = SplitMix64(seed: 7)
        // 1990..2035, whole seconds.
        let instants = (0..<300).map { _ in Int64(631_152_000 + rng.next() % 1_420_070_400) }
        try check("%d/%m/%Y %H:%M:%S", "dd/MM/yyyy HH:mm:ss", zone: "UTC", instants: instants)
        try check("%d/%m/%Y %H:%M", "dd/MM/yyyy HH:mm", zone: "+01:00", instants: instants.map { $0 / 60 * 60 })
        try check("%m-%d-%y %I:%M:%S %p", "MM-dd-yy hh:mm:ss a", zone: "-05:30", instants: instants)
        try check("%b %d %Y %T", "MMM dd yyyy HH:mm:ss", zone: "UTC", instants: instants)
        try check("%F %T%z", "yyyy-MM-dd HH:mm:ssZ", zone: "UTC", instants: instants)
        try check("%Y%j %H%M%S", "yyyyDDD HHmmss", zone: "UTC", instants: instants)
        // A zone with daylight saving: local wall-clock times outside the switch hours.
        try check("%d.%m.%Y %H:%M:%S", "dd.MM.yyyy HH:mm:ss", zone: "Europe/Berlin", instants: instants.filter { s in
            let h = (s % 86400) / 3600
            return h >= 4 && h <= 20
        })
    }

    func testFractionsAndRejects() throws {
        let f = try TimestampFormat("%d/%m/%Y %H:%M:%S.%f")
        XCTAssertEqual(f.parse("01/03/2024 14:22:05.5"), (CivilTime.parseTimestamp("2024-03-01T14:22:05Z")! + 500_000))
        XCTAssertEqual(f.parse("01/03/2024 14:22:05.000123"), (CivilTime.parseTimestamp("2024-03-01T14:22:05Z")! + 123))
        XCTAssertNil(f.parse("31/02/2024 14:22:05.1"))          // no 31 February
        XCTAssertNil(f.parse("2024-03-01 14:22:05"))
        XCTAssertThrowsError(try TimestampFormat("%Q"))
        XCTAssertThrowsError(try TimestampFormat("%d", timezone: "Mars/Olympus"))
    }

    func testISOWithoutZoneIsReadInTheGivenZone() throws {
        let paris = TimestampFormat.zone("Europe/Paris")!
        let utc = CivilTime.parseTimestamp("2024-07-01T10:00:00Z")!
        XCTAssertEqual(TimestampFormat.parseISO("2024-07-01 12:00:00", zone: paris), utc)   // CEST, UTC+2
        XCTAssertEqual(TimestampFormat.parseISO("2024-07-01T10:00:00Z", zone: paris), utc)  // an explicit zone wins
        XCTAssertEqual(TimestampFormat.parseISO("2024-07-01 10:00:00", zone: TimestampFormat.zone("UTC")!), utc)
    }
}
