// A bounds-checked reader for the FlatBuffers tables that carry Arrow IPC metadata.

/// One FlatBuffers table inside a byte buffer: the vtable lookup of field slots, with every
/// offset checked against the buffer before it is followed (the bytes come from a server).
///
/// Follows the FlatBuffers binary format: a table starts with a signed 32-bit offset back to
/// its vtable; the vtable holds its own size, the table size, then one 16-bit offset per
/// field slot (0 = absent, use the default).
/// - Complexity: O(1) per field access.
struct FlatBufferTable {
    let bytes: [UInt8]
    let position: Int

    /// The root table of a FlatBuffers message that starts at `base` in `bytes`.
    static func root(_ bytes: [UInt8], base: Int = 0) throws -> FlatBufferTable {
        let offset = try readUInt32(bytes, base)
        return try FlatBufferTable(bytes: bytes, checkedPosition: base + Int(offset))
    }

    init(bytes: [UInt8], checkedPosition: Int) throws {
        guard checkedPosition >= 0, checkedPosition + 4 <= bytes.count else { throw ArrowIPCError.malformed("table offset \(checkedPosition) outside the metadata (\(bytes.count) bytes)") }
        self.bytes = bytes
        self.position = checkedPosition
    }

    static func readUInt32(_ bytes: [UInt8], _ at: Int) throws -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { throw ArrowIPCError.malformed("read of 4 bytes at \(at) outside the metadata (\(bytes.count) bytes)") }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    static func readUInt16(_ bytes: [UInt8], _ at: Int) throws -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { throw ArrowIPCError.malformed("read of 2 bytes at \(at) outside the metadata (\(bytes.count) bytes)") }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func readInt64(_ bytes: [UInt8], _ at: Int) throws -> Int64 {
        let lo = UInt64(try readUInt32(bytes, at)), hi = UInt64(try readUInt32(bytes, at + 4))
        return Int64(bitPattern: lo | hi << 32)
    }

    /// Absolute position of field `slot`'s inline data, or nil when the field is absent.
    func fieldPosition(_ slot: Int) throws -> Int? {
        let vtable = position - Int(Int32(bitPattern: try Self.readUInt32(bytes, position)))
        let vtableSize = Int(try Self.readUInt16(bytes, vtable))
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try Self.readUInt16(bytes, vtable + entry))
        return offset == 0 ? nil : position + offset
    }

    func uint8(_ slot: Int, default value: UInt8 = 0) throws -> UInt8 {
        guard let p = try fieldPosition(slot) else { return value }
        guard p < bytes.count else { throw ArrowIPCError.malformed("field outside the metadata") }
        return bytes[p]
    }

    func bool(_ slot: Int, default value: Bool = false) throws -> Bool { try uint8(slot, default: value ? 1 : 0) != 0 }

    func int16(_ slot: Int, default value: Int16 = 0) throws -> Int16 {
        guard let p = try fieldPosition(slot) else { return value }
        return Int16(bitPattern: try Self.readUInt16(bytes, p))
    }

    func int32(_ slot: Int, default value: Int32 = 0) throws -> Int32 {
        guard let p = try fieldPosition(slot) else { return value }
        return Int32(bitPattern: try Self.readUInt32(bytes, p))
    }

    func int64(_ slot: Int, default value: Int64 = 0) throws -> Int64 {
        guard let p = try fieldPosition(slot) else { return value }
        return try Self.readInt64(bytes, p)
    }

    /// The table referenced by field `slot` (an offset forward from the field).
    func table(_ slot: Int) throws -> FlatBufferTable? {
        guard let p = try fieldPosition(slot) else { return nil }
        return try FlatBufferTable(bytes: bytes, checkedPosition: p + Int(try Self.readUInt32(bytes, p)))
    }

    func string(_ slot: Int) throws -> String? {
        guard let p = try fieldPosition(slot) else { return nil }
        let start = p + Int(try Self.readUInt32(bytes, p))
        let length = Int(try Self.readUInt32(bytes, start))
        guard start + 4 + length <= bytes.count else { throw ArrowIPCError.malformed("string of \(length) bytes outside the metadata") }
        return String(decoding: bytes[(start + 4)..<(start + 4 + length)], as: UTF8.self)
    }

    /// A vector field: its element count and the position of its first element.
    func vector(_ slot: Int, elementSize: Int) throws -> (count: Int, start: Int)? {
        guard let p = try fieldPosition(slot) else { return nil }
        let start = p + Int(try Self.readUInt32(bytes, p))
        let count = Int(try Self.readUInt32(bytes, start))
        guard count <= (bytes.count - start - 4) / max(1, elementSize) else { throw ArrowIPCError.malformed("vector of \(count) elements outside the metadata") }
        return (count, start + 4)
    }

    /// The tables of a vector-of-tables field.
    func tables(_ slot: Int) throws -> [FlatBufferTable] {
        guard let (count, start) = try vector(slot, elementSize: 4) else { return [] }
        return try (0..<count).map { i in
            let at = start + 4 * i
            return try FlatBufferTable(bytes: bytes, checkedPosition: at + Int(try Self.readUInt32(bytes, at)))
        }
    }
}
