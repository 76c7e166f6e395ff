import XCTest
@testable import AMLPipeline

final class SilverNormalizationTests: XCTestCase {
    func testNames() {
        XCTAssertEqual(SilverNormalization.name("Smith, John"), "john smith")
        XCTAssertEqual(SilverNormalization.name("JOHN  SMITH"), "john smith")
        XCTAssertEqual(SilverNormalization.name("O'Neil-Brown Ltd."), "oneil brown limited")
        XCTAssertEqual(SilverNormalization.name("Acme, Trading and Sons, Ltd"), "acme trading and sons limited", "more than one comma is not a reordering")
    }

    func testOrganisationCoreDropsLegalForms() {
        XCTAssertEqual(SilverNormalization.organisationCore("Acme Trading Holdings Ltd"), "acme trading")
        XCTAssertEqual(SilverNormalization.organisationCore("ACME TRADING LIMITED"), "acme trading")
        XCTAssertEqual(SilverNormalization.organisationCore("Group"), "group", "a name is never emptied")
    }

    func testAddressesShareTheAddressFlagKey() {
        XCTAssertEqual(SilverNormalization.address("Canada Square, Canary Wharf, London, UK"),
                       SilverNormalization.address("canada square canary wharf london united kingdom"))
    }

    func testASCIIFastPathGivesTheUnicodePathsWords() {
        // A trailing non-ASCII word sends the text down the Character-based path; the words
        // before it must be the byte path's.
        let samples = ["P.O. Box 12, Leeds", "c/o Apex Mail Services, 22 Old Cl., LONDON, UK", "O'Brien  & Sons Ltd.",
                       "Suite 4\t12 High St\r\nBristol", "  --  ", "", "Unit 3/4, 12-14 Rd"]
        for s in samples {
            XCTAssertEqual(AddressFlags.normalize(s + " é"), [AddressFlags.normalize(s), "é"].filter { !$0.isEmpty }.joined(separator: " "), s)
            XCTAssertEqual(SilverNormalization.words(s + " é"), SilverNormalization.words(s) + ["é"], s)
        }
        XCTAssertEqual(SilverNormalization.words("P.O. Box O'Neil-Smith"), ["po", "box", "oneil", "smith"])
        XCTAssertEqual(AddressFlags.normalize("P.O. Box 7, Canary Wharf, UK"), "po box 7 canary wharf united kingdom")
    }

    func testNameTokensMakeReorderedNamesEqual() {
        XCTAssertEqual(SilverNormalization.nameTokens("Tanaka, Ines"), "ines tanaka")
        XCTAssertEqual(SilverNormalization.nameTokens("INES  TANAKA"), SilverNormalization.nameTokens("tanaka ines"))
        XCTAssertEqual(SilverNormalization.sortedWords(SilverNormalization.name("Summit Logistics Ltd")), "limited logistics summit")
        XCTAssertEqual(SilverNormalization.nameTokens(""), "")
    }
}
