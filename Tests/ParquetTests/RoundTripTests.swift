import Columnar
@testable import Parquet
import XCTest

final class RoundTripTests: XCTestCase {
    func testPlaceholder() {}
}
