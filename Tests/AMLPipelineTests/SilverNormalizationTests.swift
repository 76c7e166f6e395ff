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
}
