import Columnar
import Foundation

/// Single-byte encodings to UTF-8, so CSV parsing only ever sees UTF-8.
enum Transcoding {
    /// Windows-1252's 0x80–0x9F (the rest of its upper half is Latin-1); 0 marks the five
    /// unassigned bytes, which are kept as the C1 control characters of the same value.
    static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Writes `path` re-encoded from `encoding` as UTF-8 to a temporary file; returns its path.
    /// A UTF-8 byte-order mark written by a converting tool is kept out. O(bytes).
    static func toUTF8(_ path: String, from encoding: TextEncoding) throws -> String {
        let file = try MappedFile(path: path)
        var out: [UInt8] = []
        out.reserveCapacity(file.bytes.count + file.bytes.count / 8)
        for b in file.bytes {
            if b < 0x80 { out.append(b); continue }
            var scalar = UInt32(b)
            if encoding == .windows1252, b < 0xA0, windows1252High[Int(b - 0x80)] != 0 { scalar = windows1252High[Int(b - 0x80)] }
            if scalar < 0x800 {
                out.append(UInt8(0xC0 | (scalar >> 6))); out.append(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                out.append(UInt8(0xE0 | (scalar >> 12))); out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F))); out.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        let target = NSTemporaryDirectory() + "amlgraph-utf8-\(UUID().uuidString).csv"
        guard FileManager.default.createFile(atPath: target, contents: Data(out)) else {
            throw TableIOError("\(path): cannot write a UTF-8 copy to \(NSTemporaryDirectory())")
        }
        return target
    }
}
