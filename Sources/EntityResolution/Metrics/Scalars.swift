import Foundation

/// Text prepared for the string metrics: its Unicode scalars after NFC normalisation.
///
/// Every metric in this folder works on scalars, so "é" typed as one scalar or as "e" plus
/// a combining accent compares equal. ASCII text skips normalisation (it is already NFC).
public enum Scalars {
    /// The NFC scalars of `s` as UInt32 values. O(n).
    public static func of(_ s: String) -> [UInt32] {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.utf8.map { UInt32($0) } }
        return s.precomposedStringWithCanonicalMapping.unicodeScalars.map { $0.value }
    }
}
