import Foundation

/// An `add`/`remove` action's `deletionVector` (PROTOCOL.md "Deletion Vector Descriptor
/// Schema"): which rows of the data file are logically deleted, stored inline (`i`), in a
/// file whose name derives from a UUID (`u`), or in a file at an absolute path (`p`).
public struct DeletionVectorDescriptor: Sendable, Equatable {
    public var storageType: String
    public var pathOrInlineDv: String
    /// Where the DV's size field starts in its file (absent, 0, when inline).
    public var offset: Int64?
    /// Bytes of the serialised bitmap (before Z85 encoding when inline).
    public var sizeInBytes: Int64
    /// Number of rows the DV deletes.
    public var cardinality: Int64

    public init(storageType: String, pathOrInlineDv: String, offset: Int64?, sizeInBytes: Int64, cardinality: Int64) {
        self.storageType = storageType
        self.pathOrInlineDv = pathOrInlineDv
        self.offset = offset
        self.sizeInBytes = sizeInBytes
        self.cardinality = cardinality
    }

    /// The protocol's `uniqueId`: `<storageType><pathOrInlineDv>[@<offset>]`, which tells apart
    /// the same data file with different DVs during log replay.
    public var uniqueId: String { storageType + pathOrInlineDv + (offset.map { "@\($0)" } ?? "") }

    /// As the log writes it.
    var json: JSONValue {
        var o: [(String, JSONValue)] = [("storageType", .string(storageType)), ("pathOrInlineDv", .string(pathOrInlineDv))]
        if let offset { o.append(("offset", .int(offset))) }
        o.append(("sizeInBytes", .int(sizeInBytes)))
        o.append(("cardinality", .int(cardinality)))
        return .object(o)
    }

    /// Reads the descriptor from a log action's `deletionVector` object (nil when absent or null).
    static func parse(_ v: JSONValue?, context: String) throws -> DeletionVectorDescriptor? {
        guard let v, !v.isNull else { return nil }
        guard let t = v["storageType"]?.stringValue, let p = v["pathOrInlineDv"]?.stringValue,
              let size = v["sizeInBytes"]?.int64Value, let card = v["cardinality"]?.int64Value else {
            throw DeltaError.corruptLog(context, "deletionVector needs storageType, pathOrInlineDv, sizeInBytes and cardinality")
        }
        return DeletionVectorDescriptor(storageType: t, pathOrInlineDv: p, offset: v["offset"]?.int64Value, sizeInBytes: size, cardinality: card)
    }
}

/// Loading a deletion vector's row positions (PROTOCOL.md "Deletion Vector Format"): Z85
/// text for inline DVs and UUIDs, the DV file framing (version byte; per DV a big-endian
/// size, the bitmap, a big-endian CRC-32 of the bitmap), and the bitmap itself: a magic
/// number then a 64-bit RoaringBitmap in the portable format (RoaringFormatSpec). Every size
/// and count read from the data is checked against the bytes that hold it before anything is
/// allocated from it.
public enum DeletionVectors {
    /// The magic number that opens a serialised RoaringBitmapArray.
    static let magic: UInt32 = 1_681_511_377

    /// The deleted row positions of `dv` (ascending, unique), for the data file `dataFile` of
    /// the table at `root` that holds `rowCount` rows; every position must be below it and
    /// their number must equal `cardinality`.
    /// - Complexity: O(serialised size + cardinality).
    public static func positions(_ dv: DeletionVectorDescriptor, root: String, rowCount: Int, dataFile: String) throws -> [Int] {
        let context = "\(dataFile): deletion vector \(dv.storageType)\(dv.pathOrInlineDv.prefix(60))"
        guard dv.sizeInBytes >= 12, dv.sizeInBytes <= Int64(Int32.max), dv.cardinality >= 0, dv.cardinality <= Int64(rowCount) else {
            throw DeltaError.corruptLog(context, "sizeInBytes \(dv.sizeInBytes) or cardinality \(dv.cardinality) is impossible for a file of \(rowCount) rows")
        }
        let bitmap: [UInt8]
        switch dv.storageType {
        case "i":
            guard dv.offset == nil else { throw DeltaError.corruptLog(context, "an inline deletion vector has no offset") }
            let raw = try Z85.decode(dv.pathOrInlineDv, context: context)
            guard Int64(raw.count) >= dv.sizeInBytes else {
                throw DeltaError.corruptLog(context, "inline data holds \(raw.count) bytes, sizeInBytes says \(dv.sizeInBytes)")
            }
            bitmap = Array(raw.prefix(Int(dv.sizeInBytes)))
        case "u", "p":
            let path = try filePath(dv, root: root, context: context)
            bitmap = try readFramed(path: path, offset: dv.offset ?? 0, size: Int(dv.sizeInBytes), context: context)
        default:
            throw DeltaError.unsupported("\(context): storage type '\(dv.storageType)' (expected u, i or p)")
        }
        let rows = try decodeBitmapArray(bitmap, limit: rowCount, context: context)
        guard Int64(rows.count) == dv.cardinality else {
            throw DeltaError.corruptLog(context, "holds \(rows.count) row positions, cardinality says \(dv.cardinality)")
        }
        return rows
    }

    /// The DV file: for `u`, `<root>/<prefix>/deletion_vector_<uuid>.bin` where the last 20
    /// characters are the Z85 UUID and any before them the prefix directory; for `p`, the
    /// absolute path (resolved like an add's path).
    static func filePath(_ dv: DeletionVectorDescriptor, root: String, context: String) throws -> String {
        if dv.storageType == "p" { return try TablePaths.resolve(dv.pathOrInlineDv, root: root) }
        let text = dv.pathOrInlineDv
        guard text.utf8.count >= 20 else { throw DeltaError.corruptLog(context, "a relative deletion vector path needs a 20-character Z85 UUID") }
        let prefix = String(text.utf8.dropLast(20))!
        let id = try Z85.decode(String(text.utf8.suffix(20))!, context: context)
        let hex = id.map { String(format: "%02x", $0) }.joined()
        let h = Array(hex)
        let uuid = String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
        let name = "deletion_vector_\(uuid).bin"
        return try TablePaths.resolve(prefix.isEmpty ? name : prefix + "/" + name, root: root)
    }

    /// Reads one DV from its file: version byte 1 at 0; at `offset` a big-endian size that must
    /// equal `size`, the bitmap, then its big-endian CRC-32, which must match.
    static func readFramed(path: String, offset: Int64, size: Int, context: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DeltaError.io(path, "cannot open deletion vector file") }
        defer { try? handle.close() }
        let fileSize = (try? handle.seekToEnd()) ?? 0
        guard offset >= 1, UInt64(offset) + UInt64(size) + 8 <= fileSize else {
            throw DeltaError.corruptLog(path, "deletion vector at offset \(offset) of \(size) bytes (plus 8 of framing) does not fit the file's \(fileSize) bytes")
        }
        try handle.seek(toOffset: 0)
        guard let version = try handle.read(upToCount: 1), version.first == 1 else {
            throw DeltaError.corruptLog(path, "deletion vector file format version is not 1")
        }
        try handle.seek(toOffset: UInt64(offset))
        guard let bytes = try handle.read(upToCount: size + 8), bytes.count == size + 8 else {
            throw DeltaError.corruptLog(path, "deletion vector file ends early")
        }
        let b = [UInt8](bytes)
        func be32(_ i: Int) -> UInt32 { UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3]) }
        guard be32(0) == UInt32(size) else {
            throw DeltaError.corruptLog(path, "deletion vector at offset \(offset) says \(be32(0)) bytes, the log says \(size) (\(context))")
        }
        let data = Array(b[4..<(4 + size)])
        guard be32(4 + size) == CRC32.checksum(data) else {
            throw DeltaError.corruptLog(path, "deletion vector at offset \(offset) fails its CRC-32 checksum")
        }
        return data
    }

    /// Decodes a serialised RoaringBitmapArray: magic (LE u32), bucket count (LE u64), then per
    /// bucket its high 32 bits (LE u32, below 2^31) and a 32-bit RoaringBitmap. Positions must
    /// be below `limit`.
    static func decodeBitmapArray(_ b: [UInt8], limit: Int, context: String) throws -> [Int] {
        var r = ByteReader(bytes: b, context: context)
        guard try r.u32() == magic else { throw DeltaError.corruptLog(context, "bitmap lacks the RoaringBitmapArray magic number") }
        let buckets = try r.u64()
        guard buckets <= UInt64(b.count) / 8 else { throw DeltaError.corruptLog(context, "bitmap claims \(buckets) buckets in \(b.count) bytes") }
        var out: [Int] = []
        var lastKey: Int64 = -1
        for _ in 0..<buckets {
            let key = Int64(try r.u32())
            guard key < 0x8000_0000, key > lastKey else { throw DeltaError.corruptLog(context, "bitmap bucket keys must ascend and stay below 2^31") }
            lastKey = key
            try decodeRoaring32(&r, high: key << 32, limit: limit, into: &out)
        }
        guard r.position == b.count else { throw DeltaError.corruptLog(context, "\(b.count - r.position) bytes follow the bitmap") }
        return out
    }

    /// One 32-bit RoaringBitmap in the portable format (cookie, container keys and
    /// cardinalities, optional offsets, then array / bitmap / run containers).
    static func decodeRoaring32(_ r: inout ByteReader, high: Int64, limit: Int, into out: inout [Int]) throws {
        let cookie = try r.u32()
        let containers: Int
        var runFlags: [UInt8] = []
        let hasRuns = cookie & 0xFFFF == 12347
        if hasRuns {
            containers = Int(cookie >> 16) + 1
            runFlags = try r.bytes((containers + 7) / 8)
        } else if cookie == 12346 {
            let n = try r.u32()
            guard n <= 65536 else { throw DeltaError.corruptLog(r.context, "bitmap claims \(n) containers") }
            containers = Int(n)
        } else {
            throw DeltaError.corruptLog(r.context, "unknown RoaringBitmap cookie \(cookie)")
        }
        guard containers * 4 <= r.remaining else { throw DeltaError.corruptLog(r.context, "bitmap header of \(containers) containers does not fit") }
        var keys: [Int64] = [], cards: [Int] = []
        for _ in 0..<containers {
            keys.append(Int64(try r.u16()))
            cards.append(Int(try r.u16()) + 1)
        }
        if !hasRuns || containers >= 4 { _ = try r.bytes(4 * containers) } // offsets: containers follow in order anyway
        var lastKey: Int64 = -1
        for i in 0..<containers {
            guard keys[i] > lastKey else { throw DeltaError.corruptLog(r.context, "container keys must ascend") }
            lastKey = keys[i]
            let base = high | keys[i] << 16
            func emit(_ low: Int64) throws {
                let v = base | low
                guard v < Int64(limit) else { throw DeltaError.corruptLog(r.context, "row position \(v) is past the file's \(limit) rows") }
                if let last = out.last, last >= Int(v) { throw DeltaError.corruptLog(r.context, "row positions must ascend") }
                out.append(Int(v))
            }
            if hasRuns && runFlags[i / 8] & (1 << (i % 8)) != 0 {
                let runs = Int(try r.u16())
                guard runs * 4 <= r.remaining else { throw DeltaError.corruptLog(r.context, "run container of \(runs) runs does not fit") }
                for _ in 0..<runs {
                    let s = Int64(try r.u16()), len = Int64(try r.u16())
                    guard s + len <= 0xFFFF, Int(base | (s + len)) < limit else { throw DeltaError.corruptLog(r.context, "run \(s)+\(len) is past the file's \(limit) rows") }
                    for v in s...(s + len) { try emit(v) }
                }
            } else if cards[i] <= 4096 {
                for _ in 0..<cards[i] { try emit(Int64(try r.u16())) }
            } else {
                let words = try r.bytes(8192)
                var n = 0
                for (j, byte) in words.enumerated() where byte != 0 {
                    for bit in 0..<8 where byte & (1 << bit) != 0 { try emit(Int64(j * 8 + bit)); n += 1 }
                }
                guard n == cards[i] else { throw DeltaError.corruptLog(r.context, "bitmap container holds \(n) values, its header says \(cards[i])") }
            }
        }
    }

    /// Little-endian reads over a byte array, each checked against its end.
    struct ByteReader {
        let bytes: [UInt8]
        let context: String
        var position = 0
        init(bytes: [UInt8], context: String) { self.bytes = bytes; self.context = context }
        var remaining: Int { bytes.count - position }
        mutating func bytes(_ n: Int) throws -> [UInt8] {
            guard n >= 0, n <= remaining else { throw DeltaError.corruptLog(context, "bitmap ends early (needs \(n) bytes at \(position), \(remaining) left)") }
            defer { position += n }
            return Array(bytes[position..<(position + n)])
        }
        mutating func u16() throws -> UInt16 { let b = try bytes(2); return UInt16(b[0]) | UInt16(b[1]) << 8 }
        mutating func u32() throws -> UInt32 { let b = try bytes(4); return b.reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        mutating func u64() throws -> UInt64 { let b = try bytes(8); return b.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    }
}

/// Z85 (ZeroMQ RFC 32): 5 characters of an 85-symbol alphabet per 4 bytes, big-endian.
enum Z85 {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
    static let values: [Int16] = {
        var t = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int16(i) }
        return t
    }()

    /// The bytes `text` encodes; its length must be a multiple of 5.
    static func decode(_ text: String, context: String) throws -> [UInt8] {
        let chars = Array(text.utf8)
        guard chars.count % 5 == 0 else { throw DeltaError.corruptLog(context, "Z85 text of \(chars.count) characters is not a multiple of 5") }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 5 * 4)
        var i = 0
        while i < chars.count {
            var v: UInt64 = 0
            for c in chars[i..<(i + 5)] {
                let d = values[Int(c)]
                guard d >= 0 else { throw DeltaError.corruptLog(context, "'\(UnicodeScalar(c))' is not a Z85 character") }
                v = v * 85 + UInt64(d)
            }
            guard v <= UInt64(UInt32.max) else { throw DeltaError.corruptLog(context, "Z85 group overflows 32 bits") }
            out += [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            i += 5
        }
        return out
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib and java.util.zip compute it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
