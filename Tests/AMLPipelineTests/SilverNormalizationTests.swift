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

    /// The byte-level path silver uses for ASCII fields gives exactly the String functions'
    /// text, on random ASCII built from the pieces the rules look at (commas, marks,
    /// abbreviations, "p o box", white space of every kind).
    func testByteLevelPathEqualsTheStringFunctions() {
        let pieces = ["Smith", "JOHN", "o'neil", "P.O.", "p", "o", "box", "pobox", "Ltd", "co", "CORP", "St", "us", "USA", "cl",
                      ",", ", ", ".", "'", "/", "-", "&", " ", "  ", "\t", "\r\n", "12", "4/5", "a", "Z", "ste", "bldg"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        func run(_ s: String, _ f: (UnsafeBufferPointer<UInt8>, inout [UInt8], inout WordScratch) -> Bool) -> String {
            var out: [UInt8] = [], scratch = WordScratch()
            let bytes = Array(s.utf8)
            let ok = bytes.withUnsafeBufferPointer { f($0, &out, &scratch) }
            XCTAssertTrue(ok, s)
            return String(decoding: out, as: UTF8.self)
        }
        for _ in 0..<20_000 {
            let s = (0..<next(9)).map { _ in pieces[next(pieces.count)] }.joined()
            let name = SilverNormalization.name(s)
            XCTAssertEqual(run(s, { SilverNormalizationBytes.name($0, into: &$1, &$2) }), name, s)
            XCTAssertEqual(run(name, { SilverNormalizationBytes.sortedWords($0, into: &$1, &$2) }), SilverNormalization.sortedWords(name), s)
            XCTAssertEqual(run(s, { SilverNormalizationBytes.address($0, into: &$1, &$2) }), AddressFlags.normalize(s), s)
        }
        // One scratch reused from field to field, as each worker does: bytes left over from a
        // longer field must not show up in a shorter one.
        var shared = WordScratch()
        for _ in 0..<5_000 {
            let s = (0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined()
            var name: [UInt8] = [], address: [UInt8] = []
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { p in
                XCTAssertTrue(SilverNormalizationBytes.name(p, into: &name, &shared))
                XCTAssertTrue(SilverNormalizationBytes.address(p, into: &address, &shared))
            }
            XCTAssertEqual(String(decoding: name, as: UTF8.self), SilverNormalization.name(s), s)
            XCTAssertEqual(String(decoding: address, as: UTF8.self), AddressFlags.normalize(s), s)
        }
        var out: [UInt8] = [], scratch = WordScratch()
        let accented = Array("José, Ana".utf8)
        XCTAssertFalse(accented.withUnsafeBufferPointer { SilverNormalizationBytes.name($0, into: &out, &scratch) }, "non-ASCII takes the String path")
        XCTAssertTrue(out.isEmpty, "nothing is written for a field the byte path declines")
    }
}
