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

    func testUnparseableValuesAndBrokenRecordsAreRescuedExtraColumnsAndStringIdsKept() throws {
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
        // The file's own column is carried after the declared ones, never rescued.
        XCTAssertEqual(t.columnNames, InputSchemas.transactions.names + ["channel", "_rescued_data", "_source_file", "_ingest_ts"])
        XCTAssertEqual(t.value(row: 0, column: 3), .double(100.5))
        XCTAssertEqual(t.value(row: 0, column: 7), .string("web"))
        XCTAssertEqual(t.value(row: 0, column: 8), .null)
        // Ids as given: one non-integer id makes the column text; nothing is rescued for it.
        XCTAssertEqual(try t.column("beneficiary_id").type, .string)
        XCTAssertEqual(try t.column("originator_id").type, .int64)
        XCTAssertEqual(t.value(row: 1, column: 2), .string("x21"))
        XCTAssertEqual(t.value(row: 0, column: 2), .string("20"))
        XCTAssertEqual(t.value(row: 1, column: 3), .null)
        XCTAssertEqual(t.value(row: 1, column: 8), .string("{\"txn_amount\":\"abc\",\"txn_ts\":\"2025-13-45\"}"))
        XCTAssertEqual(t.value(row: 2, column: 3), .double(8.25), "spaces around a number are trimmed")
        XCTAssertEqual(t.value(row: 2, column: 5), .null)
        XCTAssertEqual(t.value(row: 3, column: 0), .null)
        let corrupt = t.value(row: 3, column: 8).stringValue!
        XCTAssertTrue(corrupt.contains("\"_corrupt_record\":\"3,11,20,7,2025-01-03,addr,\\\"Cy\\\",branch,EXTRA\""), corrupt)
        XCTAssertTrue(corrupt.contains("line 4"), corrupt)
        XCTAssertEqual(batch.rescuedRows, 2, "row 2 rescues its amount and timestamp, plus the corrupt record")
        XCTAssertEqual(batch.corruptRecords, 1)
        XCTAssertEqual(t.value(row: 0, column: 9), .string("t.csv"))
        XCTAssertEqual(t.value(row: 3, column: 10), .timestamp(42))
    }

    func testBankSpellingsTimestampsAndColumnNames() throws {
        let path = try file("Ref;From;To;Amt;When;Who;Segment\nA-1;ACC-1;ACC-2;10.5;01/03/2024 14:22;Ann;x\n")
        var parsing = BronzeParsing()
        parsing.read.delimiter = UInt8(ascii: ";")
        parsing.columns = ["txn_id": "Ref", "originator_id": "From", "beneficiary_id": "To", "txn_amount": "Amt", "txn_ts": "When",
                           "rptd_originator_name": "Who"]
        parsing.timestamps = try TimestampFormat("%d/%m/%Y %H:%M", timezone: "+01:00")
        let t = try BronzeIngest.ingest(path: path, schema: InputSchemas.transactions, ingestMicros: 0, parsing: parsing).table
        XCTAssertEqual(try t.column("txn_id").value(at: 0), .string("A-1"))
        XCTAssertEqual(try t.column("txn_ts").value(at: 0), .timestamp(CivilTime.parseTimestamp("2024-03-01T13:22:00Z")!))
        XCTAssertEqual(try t.column("Segment").value(at: 0), .string("x"))
        XCTAssertEqual(try t.column("_rescued_data").value(at: 0), .null)
        parsing.columns["txn_amount"] = "Amount"
        XCTAssertThrowsError(try BronzeIngest.ingest(path: path, schema: InputSchemas.transactions, ingestMicros: 0, parsing: parsing)) { error in
            XCTAssertTrue("\(error)".contains("no column 'Amount' for columns.txn_amount"), "\(error)")
        }
    }

    func testMissingColumnsBecomeNullColumns() throws {
        let path = try file("record_id,org_name\n1,Acme\n")
        let t = try BronzeIngest.ingest(path: path, schema: InputSchemas.dedupe, ingestMicros: 0).table
        XCTAssertEqual(t.rowCount, 1)
        XCTAssertEqual(t.value(row: 0, column: 2), .null)
        XCTAssertEqual(try t.column("amount").type, .double)
    }
}
