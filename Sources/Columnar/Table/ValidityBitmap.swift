/// A packed bitmap marking which slots of a column hold a value (1) or are null (0).
///
/// Same convention as Arrow's validity buffer. Appends are amortised O(1).
public struct ValidityBitmap: Hashable, Sendable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    public init() {
        words = []
        count = 0
    }

    /// A bitmap of `count` slots, all valid or all null.
    public init(repeating valid: Bool, count: Int) {
        self.count = count
        words = [UInt64](repeating: valid ? ~0 : 0, count: (count + 63) >> 6)
        if valid, count & 63 != 0 { words[words.count - 1] = (1 << UInt64(count & 63)) - 1 }
    }


    public subscript(index: Int) -> Bool {
        get { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
        set {
            if newValue { words[index >> 6] |= 1 << UInt64(index & 63) } else { words[index >> 6] &= ~(1 << UInt64(index & 63)) }
        }
    }

    public mutating func append(_ valid: Bool) {
        if count & 63 == 0 { words.append(0) }
        if valid { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    public mutating func append(contentsOf other: ValidityBitmap) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        for i in 0..<other.count { append(other[i]) }
    }

    public mutating func reserveCapacity(_ n: Int) { words.reserveCapacity((n + 63) >> 6) }

    /// The number of null slots. O(n/64).
    public var nullCount: Int {
        var set = 0
        for w in words { set += w.nonzeroBitCount }
        return count - set
    }
}
