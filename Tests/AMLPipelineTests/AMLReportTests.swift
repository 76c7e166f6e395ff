import Columnar
import XCTest
@testable import AMLPipeline

final class AMLReportTests: XCTestCase {
    func testEscapingAndNumbers() {
        XCTAssertEqual(HTML.escape("<a href=\"x\">O'Neil & Co</a>"), "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; Co&lt;/a&gt;")
        XCTAssertEqual(HTML.number(1_234_567.8), "1,234,568")
        XCTAssertEqual(HTML.number(-1_000), "-1,000")
        XCTAssertEqual(HTML.number(2.5), "2.50")
        XCTAssertEqual(HTML.number(0), "0")
    }

    func testRiskBucketsCountEveryScoreOnce() {
        let scores: [Double] = [0, 0, 0.2, 0.5, 0.7, 3, 10, 10.5, 500]
        let buckets = AMLReport.riskBuckets(scores)
        XCTAssertEqual(buckets.map(\.count).reduce(0, +), scores.count)
        XCTAssertEqual(buckets.first!.count, 2)
        XCTAssertEqual(buckets.first { $0.label == "0–0.5" }!.count, 2)
        XCTAssertEqual(buckets.first { $0.label == "5–10" }!.count, 1)
        XCTAssertEqual(buckets.last!.count, 1)
    }

    func testEntityNamesAreEscapedAndNeighbourhoodsDrawn() throws {
        var inputs = ReportInputs()
        inputs.entities = try Table([("entity_id", .string(["1", "2", "3"])), ("name", .string(["<b>Evil</b>", "Two", "Three"]))])
        inputs.transactions = try Table([
            ("originator_id", .string(["1", "2", "1"])), ("beneficiary_id", .string(["2", "1", "3"])),
            ("txn_amount", .double([100, 40, 9_999])),
        ])
        inputs.alerts = try Table([("rank", .int64([1])), ("entity_id", .string(["1"])), ("name", .string(["<b>Evil</b>"])),
                                   ("score", .double([40])), ("reasons", .string(["structuring_collector"]))])
        let html = try AMLReport.html(inputs)
        XCTAssertFalse(html.contains("<b>Evil</b>"))
        XCTAssertTrue(html.contains("&lt;b&gt;Evil&lt;/b&gt;"))
        XCTAssertTrue(html.contains("id=\"graph-1\""))
        // Entity 1 sent 100 to 2 and 9,999 to 3, and received 40 from 2: three labelled arrows.
        XCTAssertEqual(html.components(separatedBy: "class=\"amount").count - 1, 3)
        XCTAssertTrue(html.contains(">9,999<"))
        XCTAssertTrue(html.contains("No <code>structuring</code> table in this lake."))
    }
}
