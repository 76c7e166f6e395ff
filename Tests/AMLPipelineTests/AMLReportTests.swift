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

    func testReasonsArePairedWithTheirEvidence() {
        let pairs = AlertRecords.pair(
            reasons: "structuring_collector|non_residential_address|risky_seed",
            evidence: "structuring_collector:beneficiary=77;total=19500.0;txns=1|2|3,beneficiary=78;total=12000.0;txns=4"
                + " || non_residential_address:po_box:PO Box 12, Dublin, Ireland || risky_seed:base_risk=5.0")
        XCTAssertEqual(pairs.map(\.reason), ["structuring_collector", "non_residential_address", "risky_seed"])
        XCTAssertEqual(pairs[0].items.count, 2)
        XCTAssertEqual(pairs[0].items[0].transactionIDs, ["1", "2", "3"])
        XCTAssertEqual(pairs[0].items[1].transactionIDs, ["4"])
        XCTAssertEqual(pairs[0].items[1].fields.first?.value, "78")
        // Free text keeps its commas: one item, not three.
        XCTAssertEqual(pairs[1].items.count, 1)
        XCTAssertEqual(pairs[1].items[0].fields.first?.value, "po_box:PO Box 12, Dublin, Ireland")
        XCTAssertEqual(pairs[2].items[0].fields.map(\.key), ["base_risk"])
        // A reason without evidence keeps an empty list; evidence under an unlisted reason is kept.
        let sparse = AlertRecords.pair(reasons: "a|b", evidence: "c:txns=9")
        XCTAssertEqual(sparse.map(\.reason), ["a", "b", "c"])
        XCTAssertEqual(sparse[0].items, [])
        XCTAssertEqual(sparse[2].items[0].transactionIDs, ["9"])
    }

    /// Three entities with string ids; "a" pays "b" twice and receives once from "c"; both
    /// "a" and "b" alerted, "a"'s evidence naming one of its payments and one it is not in.
    func inputs(hostile: String = "Two") throws -> ReportInputs {
        var inputs = ReportInputs()
        inputs.entities = try Table([("entity_id", .string(["a", "b", "c"])), ("name", .string(["Alpha", hostile, "Gamma"]))])
        inputs.transactions = try Table([
            ("txn_id", .string(["t1", "t2", "t3", "t4"])),
            ("originator_id", .string(["a", "a", "c", "b"])), ("beneficiary_id", .string(["b", "b", "a", "c"])),
            ("txn_amount", .double([100, 9_999, 40, 5])),
            ("txn_ts", .timestamp([1_700_000_000_000_000, 1_700_086_400_000_000, 1_700_172_800_000_000, 1_700_259_200_000_000])),
        ])
        inputs.alerts = try Table([
            ("rank", .int64([1, 2])), ("entity_id", .string(["a", "b"])), ("name", .string(["Alpha", hostile])),
            ("score", .double([40, 15])), ("reason_count", .int64([1, 1])),
            ("reasons", .string(["structuring_collector", "structuring_source"])),
            ("evidence", .string(["structuring_collector:beneficiary=b;total=10099.0;txns=t2|t9", "structuring_source:collector=a"])),
        ])
        return inputs
    }

    func article(_ html: String, _ anchor: String) -> String {
        let start = html.range(of: "<article class=\"alert-detail\" id=\"\(anchor)\"")!
        return String(html[start.lowerBound...]).components(separatedBy: "</article>")[0]
    }

    func testEachAlertHasASectionWithTimelineAndNeighbourhood() throws {
        let html = try AMLReport.html(try inputs())
        // The queue comes before the sections and the tables.
        let queue = html.range(of: "id=\"alerts\"")!.lowerBound
        XCTAssertLessThan(queue, html.range(of: "id=\"alert-details\"")!.lowerBound)
        XCTAssertLessThan(queue, html.range(of: "id=\"tables\"")!.lowerBound)
        XCTAssertTrue(html.contains("<a href=\"#alert-1\">a</a>"))
        XCTAssertTrue(html.contains("<a href=\"#alert-2\">b</a>"))

        let a = article(html, "alert-1")
        XCTAssertTrue(a.contains("data-reason=\"structuring_collector\""))
        XCTAssertTrue(a.contains("<code class=\"txn-id own\">t2</code>") && a.contains("<code class=\"txn-id\">t9</code>"), "own evidence marked")
        // a: out 100 + 9,999 (t1, t2), in 40 (t3); t4 is b → c and not a's.
        XCTAssertTrue(a.contains("data-count=\"3\" data-out-count=\"2\" data-in-count=\"1\" data-out-total=\"10099.0\" data-in-total=\"40.0\""))
        XCTAssertTrue(a.contains("id=\"timeline-1\""))
        let timeline = a.components(separatedBy: "id=\"timeline-1\"")[1].components(separatedBy: "</svg>")[0]
        XCTAssertEqual(timeline.components(separatedBy: "data-txn=").count - 1, 3)
        XCTAssertTrue(a.contains("class=\"txn out evidence\" data-txn=\"t2\""))
        XCTAssertTrue(a.contains("class=\"txn out\" data-txn=\"t1\""))
        XCTAssertTrue(a.contains("class=\"txn in\" data-txn=\"t3\""))
        // The evidence payments: t2 found (a → b, 9,999, a's own), t9 not in the table.
        XCTAssertTrue(a.contains("<tr class=\"own\" data-txn=\"t2\">"))
        XCTAssertTrue(a.contains(">9,999</td>"))
        XCTAssertTrue(a.contains("1 evidence transaction id(s) not in the transactions table"))
        // The neighbourhood: b (alerted, linked) and c; amounts summed per direction.
        XCTAssertTrue(a.contains("id=\"graph-1\""))
        XCTAssertTrue(a.contains("<a class=\"node-link\" href=\"#alert-2\">"))
        XCTAssertTrue(a.contains(">10,099<") && a.contains(">40<"))
        XCTAssertTrue(a.contains(">Gamma<"))
        // Evidence entity ids link to their sections when they alerted.
        XCTAssertTrue(a.contains("<span class=\"k\">beneficiary</span> <a href=\"#alert-2\">b</a>"))
        let b = article(html, "alert-2")
        XCTAssertTrue(b.contains("data-count=\"3\" data-out-count=\"1\" data-in-count=\"2\""))
    }

    func testHostileNamesAndIdsAreEscaped() throws {
        let hostile = "<script>alert(\"x\")</script>' onload='y"
        var i = try inputs(hostile: hostile)
        i.set("fan_in", try Table([("hub_id", .string([hostile])), ("n", .int64([3]))]))
        let html = try AMLReport.html(i)
        XCTAssertFalse(html.contains(hostile))
        XCTAssertFalse(html.contains("<script>alert"))
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "only the report's own script")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;y"))
    }

    func testEveryTableGetsASectionAndLongTablesSayHowManyMore() throws {
        var i = try inputs()
        i.set("fan_in", try Table([("hub_id", .string((0..<60).map { "h\($0)" })), ("n", .int64((0..<60).map(Int64.init)))]))
        i.set("cycle", try Table([("members", .string([])), ("n", .int64([]))]))
        var options = AMLReport.Options()
        options.tableRows = 50
        let html = try AMLReport.html(i, options: options)
        for name in ["alerts", "fan_in", "cycle"] { XCTAssertTrue(html.contains("id=\"table-\(name)\""), name) }
        XCTAssertTrue(html.contains(">h49<") && !html.contains(">h50<"))
        XCTAssertTrue(html.contains("Showing the first 50 of 60 rows; 10 more are in the table."))
        XCTAssertTrue(html.contains("The table is empty."))
        XCTAssertTrue(html.contains("No <code>structuring</code> table in this lake."))
    }

    func testOnlyTheFirstAlertsAreDrawn() throws {
        var options = AMLReport.Options()
        options.drawnAlerts = 1
        let html = try AMLReport.html(try inputs(), options: options)
        XCTAssertTrue(html.contains("id=\"timeline-1\"") && html.contains("id=\"graph-1\""))
        XCTAssertFalse(html.contains("id=\"timeline-2\"") || html.contains("id=\"graph-2\""))
        XCTAssertTrue(article(html, "alert-2").contains("data-reason=\"structuring_source\""))
    }
}
