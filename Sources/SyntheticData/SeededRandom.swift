// Counter-based deterministic randomness for the generator.
//
// Every record draws from its own stream, keyed by (seed, purpose, index), so any record can be
// regenerated on its own, batches can be produced in parallel, and the output does not depend
// on the thread count or on the order in which records are produced. The arithmetic is our
// own (SplitMix64 plus multiply-shift range reduction) rather than the standard library's
// `random(in:)`, whose algorithm is not promised to stay fixed across Swift releases.
import Columnar
#if canImport(Glibc)
import Glibc
#endif

/// A SplitMix64 generator: 64-bit state, one multiply-xorshift finaliser per draw.
///
/// Complexity: O(1) per draw. Follows Steele, Lea and Flood, "Fast splittable pseudorandom
/// number generators" (OOPSLA 2014).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    /// A generator seeded directly with `state`.
    public init(state: UInt64) { generator = SplitMix64(seed: state) }

    /// The stream for one record: `purpose` names what is being drawn (entities, transactions,
    /// a planted pattern) and `index` which one.
    public init(seed: UInt64, purpose: UInt64, index: UInt64) {
        generator = SplitMix64(seed: SeededRandom.mix(seed ^ SeededRandom.mix(purpose &* 0x9E37_79B9_7F4A_7C15 ^ SeededRandom.mix(index))))
    }

    /// The SplitMix64 finaliser: a bijective scramble of 64 bits.
    @inlinable public static func mix(_ x: UInt64) -> UInt64 { SplitMix64.mix(x) }

    public mutating func next() -> UInt64 {
        generator.next()
    }

    /// A uniform integer in `0..<bound` (multiply-shift; the bias is below 2⁻³² for the
    /// bounds used here).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A standard normal deviate (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 0x1p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A log-normal deviate with the given median and shape (σ of the underlying normal).
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal())
    }

    /// An index in `0..<count` drawn with a power-law (Zipf-like) bias towards small indices:
    /// the k-th index is chosen with probability ∝ k^(1/exponent − 1), which gives degree
    /// distributions with a heavy tail when used for endpoints.
    public mutating func skewedIndex(count: Int, exponent: Double) -> Int {
        min(count - 1, Int(Double(count) * pow(unit(), exponent)))
    }
}

/// A bijection of `0..<count` that scatters neighbouring indices, so that the power-law hubs
/// of different draws land on unrelated entities. `index * multiplier + offset (mod count)`
/// with a prime multiplier larger than any supported count, hence coprime with it.
struct IndexScatter: Sendable {
    let count: UInt64
    let multiplier: UInt64
    let offset: UInt64

    init(count: Int, multiplier: UInt64, offset: UInt64) {
        self.count = UInt64(count)
        self.multiplier = multiplier % UInt64(count) == 0 ? 1 : multiplier
        self.offset = offset % UInt64(count)
    }

    func callAsFunction(_ index: Int) -> Int {
        let product = UInt64(index).multipliedFullWidth(by: multiplier)
        let reduced = count.dividingFullWidth((product.high % count, product.low)).remainder
        return Int((reduced + offset) % count)
    }
}
