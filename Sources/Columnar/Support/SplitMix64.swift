/// SplitMix64: 64-bit state, one multiply-xorshift finaliser per draw, so seeded samples are
/// the same on every platform and Swift release (the standard library's generators promise
/// neither).
///
/// - Complexity: O(1) per draw. Follows Steele, Lea and Flood, "Fast splittable pseudorandom
///   number generators" (OOPSLA 2014).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// A generator whose first draw is `mix(seed)`.
    @inlinable public init(seed: UInt64) { state = seed }

    /// The finaliser alone: a bijective scramble of 64 bits (`mix(x)` is the first draw of a
    /// generator seeded with `x`).
    @inlinable public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inlinable public mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return SplitMix64.mix(state)
    }
}
