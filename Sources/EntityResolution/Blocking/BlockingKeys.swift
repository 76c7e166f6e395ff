import Columnar
import Foundation

/// Turns evaluated blocking-key columns into dense integer ids, so that the blocker joins,
/// buckets and compares integers instead of building a `String` per row.
enum BlockingKeys {
    /// The id of a row whose key has a null part: such a row joins nothing, as in SQL.
    static let null = UInt32.max

    /// One id per row of `column` from `dictionary`. Values are tagged by kind so that the
    /// integer 3 and the double 3.0 share an id (SQL compares them by value) while the text
    /// "3" does not; non-ASCII text is NFC-normalised first, so canonically equal strings
    /// (Swift's `String` equality) share an id. O(rows · value length).
    static func partIDs(_ column: Column, _ dictionary: inout KeyDictionary) -> [UInt32] {
        let n = column.count
        var out = [UInt32](repeating: null, count: n)
        var buffer: [UInt8] = []
        func number(_ x: Double) -> UInt32 {
            var bits = (x.isNaN ? Double.nan : x).bitPattern
            buffer.removeAll(keepingCapacity: true)
            buffer.append(UInt8(ascii: "n"))
            withUnsafeBytes(of: &bits) { buffer.append(contentsOf: $0) }
            return dictionary.id(buffer)
        }
        switch column.data {
        case let .int32(a): for i in 0..<n where !column.isNull(i) { out[i] = number(Double(Int64(a[i]))) }
        case let .int64(a): for i in 0..<n where !column.isNull(i) { out[i] = number(Double(a[i])) }
        case let .double(a): for i in 0..<n where !column.isNull(i) { out[i] = number(a[i]) }
        case let .float(a): for i in 0..<n where !column.isNull(i) { out[i] = number(Double(a[i])) }
        case let .string(strings):
            strings.bytes.withUnsafeBufferPointer { bytes in
                for i in 0..<n where !column.isNull(i) {
                    let range = strings.range(i)
                    buffer.removeAll(keepingCapacity: true)
                    buffer.append(UInt8(ascii: "s"))
                    let slice = UnsafeBufferPointer(rebasing: bytes[range])
                    if slice.allSatisfy({ $0 < 0x80 }) {
                        buffer.append(contentsOf: slice)
                    } else {
                        buffer.append(contentsOf: String(decoding: slice, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
                    }
                    out[i] = dictionary.id(buffer)
                }
            }
        default:
            for i in 0..<n {
                let v = column.value(at: i)
                if case .null = v { continue }
                buffer.removeAll(keepingCapacity: true)
                buffer.append(UInt8(ascii: "s"))
                buffer.append(contentsOf: (v.stringValue ?? "\(v)").precomposedStringWithCanonicalMapping.utf8)
                out[i] = dictionary.id(buffer)
            }
        }
        return out
    }

    /// One id per row for a tuple of part ids (null when any part is null). O(rows · parts).
    static func combine(_ parts: [[UInt32]], _ dictionary: inout KeyDictionary) -> [UInt32] {
        let n = parts.first?.count ?? 0
        var out = [UInt32](repeating: null, count: n)
        var tuple = [UInt32](repeating: 0, count: parts.count)
        rows: for i in 0..<n {
            for (k, p) in parts.enumerated() {
                if p[i] == null { continue rows }
                tuple[k] = p[i]
            }
            out[i] = tuple.withUnsafeBytes { dictionary.id($0.bindMemory(to: UInt8.self)) }
        }
        return out
    }
}
