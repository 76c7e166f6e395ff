import Columnar
@testable import SparkConnect
import XCTest

final class SparkRemoteTests: XCTestCase {
    func testParsesHostPortAndParameters() throws {
        let r = try SparkRemote(parsing: "sc://spark.example:15010/;user_id=ana;session_id=0b8f4c1e-2f49-4f0e-9d55-4c1f0f2a9a11")
        XCTAssertEqual(r.host, "spark.example")
        XCTAssertEqual(r.port, 15010)
        XCTAssertEqual(r.userID, "ana")
        XCTAssertEqual(r.sessionID, "0b8f4c1e-2f49-4f0e-9d55-4c1f0f2a9a11")
        XCTAssertEqual(try SparkRemote(parsing: "sc://localhost").port, 15002)
        XCTAssertEqual(try SparkRemote(parsing: "sc://[::1]:4000").host, "::1")
    }

    func testRejectsBadStrings() {
        for bad in ["http://x:1", "sc://", "sc://h:0", "sc://h:99999", "sc://h:1/;token=abc", "sc://h:1/;use_ssl=true", "sc://h:x"] {
            XCTAssertThrowsError(try SparkRemote(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains(bad), "\(error)")
            }
        }
    }

    func testArrowReaderRejectsTruncatedAndOversizedInput() {
        // A continuation marker followed by a metadata length far beyond the bytes present.
        let oversized: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3]
        XCTAssertThrowsError(try ArrowIPCReader.decode(oversized)) { XCTAssertTrue("\($0)".contains("exceeds"), "\($0)") }
        XCTAssertThrowsError(try ArrowIPCReader.decode([0xFF, 0xFF]))
        XCTAssertThrowsError(try ArrowIPCReader.decode([]))  // no schema
    }
}
