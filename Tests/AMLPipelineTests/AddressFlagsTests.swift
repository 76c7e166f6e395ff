import Columnar
import XCTest
@testable import AMLPipeline

final class AddressFlagsTests: XCTestCase {
    func testNormalizationFoldsCasePunctuationAndAbbreviations() {
        XCTAssertEqual(AddressFlags.normalize("12 Oak St., Leeds, UK"), "12 oak street leeds united kingdom")
        XCTAssertEqual(AddressFlags.normalize("12 OAK STREET,  LEEDS, United Kingdom"), "12 oak street leeds united kingdom")
        XCTAssertEqual(AddressFlags.normalize("P.O. Box 12, Leeds"), "po box 12 leeds")
    }

    func testTextEvidence() {
        func reasons(_ a: String) -> [String] { AddressFlags.textReasons(normalized: AddressFlags.normalize(a)).map(\.rawValue) }
        XCTAssertEqual(reasons("PO Box 44, Miami"), ["po_box"])
        XCTAssertEqual(reasons("P.O. Box 44, Miami"), ["po_box"])
        XCTAssertEqual(reasons("Private Bag 9, Wellington"), ["po_box"])
        XCTAssertEqual(reasons("Suite 4, 1 Kings Road Business Centre, London"), ["virtual_office"])
        XCTAssertEqual(reasons("c/o Acme Mail Services, 2 High Street, York"), ["mail_drop"])
        XCTAssertEqual(reasons("12 Boxwood Lane, Leeds"), [], "a word containing 'box' is not a PO box")
        XCTAssertEqual(reasons("Suite 4, 10 Main Street, Leeds"), [], "a suite alone is an ordinary office")
    }

    func testSharedAddressesNeedTheThresholdAndCountDistinctEntities() throws {
        let t = try Table([
            ("entity_id", .int64([1, 2, 3, 4, 5, 6, 6])),
            ("address", try Column(type: .string, values: ["9 Elm Rd", "9 ELM ROAD", "9 elm road.", "9 Elm Road", "1 Ash Lane", "1 Ash Lane", "1 Ash Lane"].map(Value.string))),
            ("entity_type", .string(["Company", "Company", "Person", "Company", "Person", "Person", "Person"])),
        ])
        let flags = try AddressFlags.detect(entities: t)
        XCTAssertEqual(flags.rowCount, 1, "1 Ash Lane has two distinct entities, below the default of four")
        XCTAssertEqual(flags.value(row: 0, column: 2), .string("shared_by_many"))
        XCTAssertEqual(flags.value(row: 0, column: 3), .int(4))
        XCTAssertEqual(flags.value(row: 0, column: 4), .int(3))
        XCTAssertEqual(flags.value(row: 0, column: 5), .string("1|2|3|4"))
        var options = AddressFlags.Options()
        options.minShared = 2
        XCTAssertEqual(try AddressFlags.detect(entities: t, options: options).rowCount, 2)
    }
}
