import XCTest
@testable import AMLPipeline

/// The duplicate-key check's flat set against Swift's `Set<Int64>` on the same keys.
final class Int64KeySetTests: XCTestCase {
    /// Every insert answers as `Set.insert(_:).inserted` does, through growth from a small
    /// table, for sequential ids, repeats, negatives and `Int64.min`/`max` (the empty marker's
    /// neighbours); the keys at the end are the set's.
    func testInsertAnswersAsSwiftsSet() {
        var flat = Int64KeySet(minimumCapacity: 4)
        var reference = Set<Int64>()
        var seed: UInt64 = 0x5851_F42D_4C95_7F2D
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 11
        }
        var keys: [Int64] = [Int64.min, Int64.max, 0, -1, Int64.min, Int64.min + 1]
        keys += (1...50_000).map { Int64($0) }
        keys += (0..<50_000).map { _ in Int64(next() % 120_000) - 20_000 }
        keys += (0..<5_000).map { _ in Int64(bitPattern: next() &* 0x9E37_79B9_7F4A_7C15) }
        keys.append(Int64.min)
        for k in keys {
            XCTAssertEqual(flat.insert(k), reference.insert(k).inserted, "key \(k)")
        }
        XCTAssertEqual(flat.count, reference.count)
        XCTAssertEqual(Set(flat.keys), reference)
        XCTAssertEqual(flat.keys.count, reference.count)
    }
}
