/// Thrift's compact protocol, the encoding of Parquet's footer and page headers.
///
/// Follows the Apache Thrift compact protocol specification: field headers carry the id delta
/// and the type in one byte, integers are zigzag varints, booleans live in the field header.
/// Only what parquet.thrift uses is implemented (no sets, maps are skipped only).
enum ThriftType: UInt8 {
    case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6
    case double = 7, binary = 8, list = 9, set = 10, map = 11, structure = 12
}

/// Reads compact-protocol values from a bounded byte range. Every length and count is checked
/// against the bytes left, and nesting is limited, so hostile input can only produce a
/// `DecodeError`.
final class ThriftReader {
    private let base: UnsafePointer<UInt8>?
    private let end: Int
    private(set) var position: Int
    private var depth = 0
    private static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        end = bytes.count
        position = start
    }

    var remaining: Int { end - position }

    func readByte() throws -> UInt8 {
        guard position < end, let base else { throw DecodeError("thrift data ends early at byte \(position)") }
        let b = base[position]
        position += 1
        return b
    }

    func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw DecodeError("thrift varint longer than 10 bytes at byte \(position)") }
        }
    }

    func readI64() throws -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    func readI32() throws -> Int32 {
        let v = try readI64()
        guard v >= Int64(Int32.min), v <= Int64(Int32.max) else { throw DecodeError("thrift i32 out of range at byte \(position)") }
        return Int32(v)
    }

    /// Reads an i32 field value and checks it is non-negative (sizes, counts, offsets).
    func readCount() throws -> Int {
        let v = try readI32()
        guard v >= 0 else { throw DecodeError("negative size \(v) at byte \(position)") }
        return Int(v)
    }

    func readDouble() throws -> Double {
        guard remaining >= 8, let base else { throw DecodeError("thrift double truncated") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(base[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }

    func readBinary() throws -> [UInt8] {
        let length = try readVarint()
        guard length <= UInt64(remaining), let base else {
            throw DecodeError("thrift binary of \(length) bytes exceeds the \(remaining) bytes left")
        }
        let n = Int(length)
        let out = Array(UnsafeBufferPointer(start: base + position, count: n))
        position += n
        return out
    }

    func readString() throws -> String { String(decoding: try readBinary(), as: UTF8.self) }

    /// A field's boolean: stored in the field header's type nibble.
    func readBool(_ type: ThriftType) throws -> Bool {
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw DecodeError("expected a thrift bool, found type \(type)")
        }
    }

    /// Reads a list header; the element count is bounded by the bytes left (every element
    /// takes at least one byte).
    func readListHeader() throws -> (ThriftType, Int) {
        let header = try readByte()
        guard let type = ThriftType(rawValue: header & 0x0F) else { throw DecodeError("invalid thrift list element type \(header & 0x0F)") }
        var count = Int(header >> 4)
        if count == 15 {
            let c = try readVarint()
            guard c <= UInt64(remaining) else { throw DecodeError("thrift list of \(c) elements exceeds the \(remaining) bytes left") }
            count = Int(c)
        }
        guard count <= remaining else { throw DecodeError("thrift list of \(count) elements exceeds the \(remaining) bytes left") }
        return (type, count)
    }

    /// Reads the fields of one struct, calling `body(id, type)` for each; `body` must consume
    /// the value (or call `skip`).
    func readStruct(_ body: (Int16, ThriftType) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw DecodeError("thrift structs nested deeper than \(Self.maxDepth)") }
        var lastID: Int16 = 0
        while true {
            let header = try readByte()
            if header == 0 { return }
            guard let type = ThriftType(rawValue: header & 0x0F) else { throw DecodeError("invalid thrift field type \(header & 0x0F) at byte \(position - 1)") }
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                let raw = try readI64()
                guard raw >= Int64(Int16.min), raw <= Int64(Int16.max) else { throw DecodeError("thrift field id out of range") }
                id = Int16(raw)
            } else {
                id = lastID &+ delta
            }
            lastID = id
            try body(id, type)
        }
    }

    /// Skips one value of `type`.
    func skip(_ type: ThriftType) throws {
        switch type {
        case .stop: throw DecodeError("unexpected thrift stop")
        case .boolTrue, .boolFalse: return
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw DecodeError("thrift double truncated") }
            position += 8
        case .binary:
            let n = try readVarint()
            guard n <= UInt64(remaining) else { throw DecodeError("thrift binary of \(n) bytes exceeds the \(remaining) bytes left") }
            position += Int(n)
        case .list, .set:
            let (elem, count) = try readListHeader()
            try nested {
                for _ in 0..<count {
                    if elem == .boolTrue || elem == .boolFalse { _ = try readByte() } else { try skip(elem) }
                }
            }
        case .map:
            let count = try readVarint()
            guard count <= UInt64(remaining) else { throw DecodeError("thrift map too large") }
            if count == 0 { return }
            let kv = try readByte()
            guard let k = ThriftType(rawValue: kv >> 4), let v = ThriftType(rawValue: kv & 0x0F) else { throw DecodeError("invalid thrift map types") }
            try nested {
                for _ in 0..<Int(count) {
                    if k == .boolTrue || k == .boolFalse { _ = try readByte() } else { try skip(k) }
                    if v == .boolTrue || v == .boolFalse { _ = try readByte() } else { try skip(v) }
                }
            }
        case .structure:
            try readStruct { _, t in try skip(t) }
        }
    }

    private func nested(_ body: () throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw DecodeError("thrift values nested deeper than \(Self.maxDepth)") }
        try body()
    }

    /// Reads a list of structs, calling `element` once per element.
    func readStructList(_ type: ThriftType, _ element: () throws -> Void) throws {
        guard type == .list else { throw DecodeError("expected a thrift list, found \(type)") }
        let (elem, count) = try readListHeader()
        guard elem == .structure else { throw DecodeError("expected a list of structs") }
        for _ in 0..<count { try element() }
    }

    func readI32List(_ type: ThriftType) throws -> [Int32] {
        guard type == .list else { throw DecodeError("expected a thrift list, found \(type)") }
        let (elem, count) = try readListHeader()
        guard elem == .i32 else { throw DecodeError("expected a list of i32") }
        return try (0..<count).map { _ in try readI32() }
    }

    func readStringList(_ type: ThriftType) throws -> [String] {
        guard type == .list else { throw DecodeError("expected a thrift list, found \(type)") }
        let (elem, count) = try readListHeader()
        guard elem == .binary else { throw DecodeError("expected a list of strings") }
        return try (0..<count).map { _ in try readString() }
    }

    /// Checks that a field has the expected wire type before reading it.
    func expect(_ type: ThriftType, _ wanted: ThriftType) throws {
        guard type == wanted else { throw DecodeError("thrift field has type \(type), expected \(wanted)") }
    }
}

/// Writes compact-protocol values into a growing byte array.
struct ThriftWriter {
    var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    init() {}

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func fieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = id - lastIDs[lastIDs.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ v: Int32) { fieldHeader(id, .i32); zigzag(Int64(v)) }
    mutating func i64(_ id: Int16, _ v: Int64) { fieldHeader(id, .i64); zigzag(v) }
    mutating func bool(_ id: Int16, _ v: Bool) { fieldHeader(id, v ? .boolTrue : .boolFalse) }
    mutating func byte(_ id: Int16, _ v: UInt8) { fieldHeader(id, .byte); bytes.append(v) }

    mutating func binary(_ id: Int16, _ v: [UInt8]) {
        fieldHeader(id, .binary)
        rawBinary(v)
    }

    mutating func string(_ id: Int16, _ v: String) { binary(id, Array(v.utf8)) }

    mutating func rawBinary(_ v: [UInt8]) {
        varint(UInt64(v.count))
        bytes.append(contentsOf: v)
    }

    mutating func listHeader(_ id: Int16, _ type: ThriftType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
    }

    /// Writes a struct-typed field: `body` writes its fields, then the stop byte follows.
    mutating func structField(_ id: Int16, _ body: (inout ThriftWriter) -> Void) {
        fieldHeader(id, .structure)
        structBody(body)
    }

    /// Writes a struct value (a list element or the top-level struct).
    mutating func structBody(_ body: (inout ThriftWriter) -> Void) {
        lastIDs.append(0)
        body(&self)
        bytes.append(0)
        lastIDs.removeLast()
    }
}
