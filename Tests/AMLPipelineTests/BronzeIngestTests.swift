import Columnar
import Foundation
import XCTest
@testable import AMLPipeline

final class BronzeIngestTests: XCTestCase {
    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "bronze-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testUnparseableValuesExtraColumnsAndBrokenRecordsAreRescuedNotDropped() throws {
        let path = try file("""
        txn_id,originator_id,beneficiary_id,txn_amount,txn_ts,rptd_originator_address,rptd_originator_name,channel
        1,10,20,100.5,2025-01-02T03:04:05Z,"1 Oak St, Leeds",Ann,web
        2,10,x21,abc,2025-13-45,addr,Bob,
        3,11,20,7,2025-01-03,addr,"Cy",branch,EXTRA
        4,12,20, 8.25 ,2025-01-04T00:00:00Z,,Di,app

        """)
        let batch = try BronzeIngest.ingest(path: path, schema: InputSchemas.transactions, sourceName: "t.csv", ingestMicros: 42)
        let t = batch.table
        XCTAssertEqual(t.rowCount, 4, "three parsed rows plus the record with too many fields")
        XCTAssertEqual(t.columnNames, InputSchemas.transactions.names + ["_rescued_data", "_source_file", "_ingest_ts"])
        XCTAssertEqual(t.value(row: 0, column: 3), .double(100.5))
        XCTAssertEqual(t.value(row: 0, column: 7), .string("{\"channel\":\"web\"}"))
        XCTAssertEqual(t.value(row: 1, column: 2), .null)
        XCTAssertEqual(t.value(row: 1, column: 3), .null)
        XCTAssertEqual(t.value(row: 1, column: 7), .string("{\"beneficiary_id\":\"x21\",\"txn_amount\":\"abc\",\"txn_ts\":\"2025-13-45\"}"))
        XCTAssertEqual(t.value(row: 2, column: 3), .double(8.25), "spaces around a number are trimmed")
        XCTAssertEqual(t.value(row: 2, column: 5), .null)
        XCTAssertEqual(t.value(row: 3, column: 0), .null)
        let corrupt = t.value(row: 3, column: 7).stringValue!
        XCTAssertTrue(corrupt.contains("\"_corrupt_record\":\"3,11,20,7,2025-01-03,addr,\\\"Cy\\\",branch,EXTRA\""), corrupt)
        XCTAssertTrue(corrupt.contains("line 4"), corrupt)
        XCTAssertEqual(batch.rescuedRows, 4, "rows 1, 2 and 4 rescue values (the channel column is not in the schema), plus the corrupt record")
        XCTAssertEqual(batch.corruptRecords, 1)
        XCTAssertEqual(t.value(row: 0, column: 8), .string("t.csv"))
        XCTAssertEqual(t.value(row: 3, column: 9), .timestamp(42))
    }

    func testMissingColumnsBecomeNullColumns() throws {
        let path = try file("record_id,org_name\n1,Acme\n")
        let t = try BronzeIngest.ingest(path: path, schema: InputSchemas.dedupe, ingestMicros: 0).table
        XCTAssertEqual(t.rowCount, 1)
        XCTAssertEqual(t.value(row: 0, column: 2), .null)
        XCTAssertEqual(try t.column("amount").type, .double)
    }
}
