import XCTest
import Columnar
import EntityResolution
@testable import AMLPipeline

final class GoldColumnsTests: XCTestCase {
    /// Silver transactions' columns: the canonical ones, the dedupe's normalised forms and lineage.
    private let silverTransactions = Schema([
        Field("txn_id", .int64), Field("originator_id", .int64), Field("beneficiary_id", .int64),
        Field("txn_amount", .double), Field("txn_ts", .timestamp), Field("rptd_originator_address", .string),
        Field("rptd_originator_name", .string), Field("_rescued_data", .string), Field("_source_file", .string),
        Field("_ingest_ts", .timestamp), Field("rptd_originator_name_tokens", .string), Field("rptd_originator_address_norm", .string),
    ])

    func testDefaultSettingsKeepWhatTheScenariosReadAndDropLineage() {
        let keep = GoldColumns(settings: GoldSettings()).keep(.transactions, schema: silverTransactions)
        XCTAssertEqual(keep, ["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts", "rptd_originator_address",
                              "rptd_originator_name", "rptd_originator_name_tokens", "rptd_originator_address_norm"])
    }

    func testARenamedColumnOfASettingIsKept() {
        var settings = GoldSettings()
        settings.structuring.amountColumn = "amount_eur"
        var fields = silverTransactions.fields
        fields.append(Field("amount_eur", .double))
        fields.append(Field("branch", .string))
        let keep = GoldColumns(settings: settings).keep(.transactions, schema: Schema(fields))
        XCTAssertTrue(keep.contains("amount_eur"))
        XCTAssertFalse(keep.contains("branch"))
    }

    func testAColumnARuleReadsIsKeptAndAQuotedRuleKeepsEverything() {
        var settings = GoldSettings()
        settings.transactionDedupe.model.blockingRules.append("l.branch = r.branch")
        var fields = silverTransactions.fields
        fields.append(Field("branch", .string))
        let schema = Schema(fields)
        XCTAssertTrue(GoldColumns(settings: settings).keep(.transactions, schema: schema).contains("branch"))
        settings.transactionDedupe.model.blockingRules.append("l.\"odd name\" = r.\"odd name\"")
        XCTAssertEqual(GoldColumns(settings: settings).keep(.transactions, schema: schema), schema.names)
    }

    func testAMissingNamedColumnKeepsEveryColumn() {
        var settings = GoldSettings()
        settings.roundTrips.timeColumn = "booked_at"
        XCTAssertEqual(GoldColumns(settings: settings).keep(.transactions, schema: silverTransactions), silverTransactions.names)
    }

    /// Stacking column by column gives `Table.concatenate`'s table, nulls and empty strings included.
    func testKeptSilverStacksAsConcatenateDoes() throws {
        func piece(_ ids: [Int64], _ names: [String?], _ amounts: [Double?], _ blobs: [String]) throws -> Table {
            try Table(schema: Schema([Field("id", .int64), Field("name", .string), Field("amount", .double), Field("blob", .binary)]), columns: [
                .int64(ids),
                try Column(type: .string, values: names.map { $0.map(Value.string) ?? .null }),
                try Column(type: .double, values: amounts.map { $0.map(Value.double) ?? .null }),
                Column(.binary(StringArray(blobs))),
            ])
        }
        let tables = [try piece([1, 2], ["ana", nil], [1.5, 2], ["x", ""]),
                      try piece([3], ["", ], [nil], ["yz"]),
                      try piece([], [], [], []),
                      try piece([4, 5, 6], ["bo", "cy", "dé"], [4, 5, 6], ["", "q", "rs"])]
        let expected = try Table.concatenate(tables)
        var parts = tables
        let stacked = try KeptSilver.concatenate(&parts)
        XCTAssertTrue(parts.isEmpty)
        XCTAssertEqual(stacked.schema, expected.schema)
        XCTAssertEqual(stacked.rowCount, 6)
        for r in 0..<expected.rowCount {
            for c in 0..<expected.columnCount { XCTAssertEqual(stacked.value(row: r, column: c), expected.value(row: r, column: c), "row \(r) column \(c)") }
        }
    }
}
