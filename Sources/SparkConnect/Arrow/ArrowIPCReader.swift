// A minimal Arrow IPC stream reader: the flat column types Spark returns for amlgraph's plans.
import Columnar

/// Why an Arrow IPC stream could not be decoded.
public enum ArrowIPCError: Error, CustomStringConvertible, Equatable {
    case malformed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case let .malformed(m): return "malformed Arrow IPC stream: \(m)"
        case let .unsupported(m): return "unsupported Arrow data: \(m)"
        }
    }
}

/// Decodes Arrow IPC *streams* (schema message, then record batches) into `Columnar` tables.
///
/// Follows the Arrow columnar format's IPC specification (encapsulated messages: a 0xFFFFFFFF
/// continuation marker, a 32-bit metadata length, the FlatBuffers `Message`, then the body;
/// the legacy form without the marker is accepted too). Supported types: Int 8/16/32 (as
/// `int32`), Int 64, Float32/Float64, Utf8, LargeUtf8, Binary, Bool, Date (day or
/// millisecond), Timestamp (any unit, stored as microseconds UTC) and Decimal up to 18 digits;
/// each with its validity bitmap. Nested types, dictionaries and compressed bodies are
/// rejected with the column named. Every length and offset read from the stream is checked
/// against the bytes present before anything is allocated or read.
/// - Complexity: O(bytes).
public enum ArrowIPCReader {
    /// One field of the stream's schema, as the reader interprets it.
    struct ArrowField {
        var name: String
        var kind: Kind
        enum Kind: Equatable {
            case int(bits: Int), float(bits: Int), utf8, largeUtf8, binary, bool
            case dateDays, dateMillis, timestamp(divisor: Int64, multiplier: Int64), decimal(precision: Int, scale: Int)
        }
        var columnType: DataType {
            switch kind {
            case let .int(bits): return bits == 64 ? .int64 : .int32
            case let .float(bits): return bits == 32 ? .float : .double
            case .utf8, .largeUtf8: return .string
            case .binary: return .binary
            case .bool: return .bool
            case .dateDays, .dateMillis: return .date
            case .timestamp: return .timestamp
            case let .decimal(p, s): return .decimal(precision: p, scale: s)
            }
        }
    }

    /// Decodes one stream. A stream with a schema and no batches gives an empty table with
    /// that schema.
    public static func decode(_ bytes: [UInt8]) throws -> Table {
        var cursor = 0
        var fields: [ArrowField]?
        var builders: [ColumnBuilder] = []
        while cursor < bytes.count {
            guard bytes.count - cursor >= 4 else { throw ArrowIPCError.malformed("truncated message header at byte \(cursor)") }
            var length = Int(Int32(bitPattern: try FlatBufferTable.readUInt32(bytes, cursor)))
            cursor += 4
            if length == -1 {
                guard bytes.count - cursor >= 4 else { throw ArrowIPCError.malformed("truncated message length at byte \(cursor)") }
                length = Int(Int32(bitPattern: try FlatBufferTable.readUInt32(bytes, cursor)))
                cursor += 4
            }
            if length == 0 { break }  // end-of-stream marker
            guard length > 0, length <= bytes.count - cursor else { throw ArrowIPCError.malformed("message metadata of \(length) bytes at byte \(cursor) exceeds the \(bytes.count)-byte stream") }
            let metadata = Array(bytes[cursor..<(cursor + length)])
            cursor += length
            let message = try FlatBufferTable.root(metadata)
            let headerType = try message.uint8(1)
            let bodyLength = try message.int64(3)
            guard bodyLength >= 0, bodyLength <= Int64(bytes.count - cursor) else { throw ArrowIPCError.malformed("message body of \(bodyLength) bytes exceeds the remaining \(bytes.count - cursor) bytes") }
            let body = cursor..<(cursor + Int(bodyLength))
            cursor += Int(bodyLength)
            guard let header = try message.table(2) else { throw ArrowIPCError.malformed("message without a header") }
            switch headerType {
            case 1:  // Schema
                let parsed = try parseSchema(header)
                fields = parsed
                builders = parsed.map { ColumnBuilder(type: $0.columnType) }
            case 3:  // RecordBatch
                guard let fields else { throw ArrowIPCError.malformed("record batch before the schema") }
                try appendBatch(header, body: body, bytes: bytes, fields: fields, into: &builders)
            case 2:
                throw ArrowIPCError.unsupported("dictionary-encoded columns")
            default:
                throw ArrowIPCError.unsupported("IPC message type \(headerType)")
            }
        }
        guard let fields else { throw ArrowIPCError.malformed("no schema message") }
        return try Table(zip(fields, builders).map { ($0.name, $1.finish()) })
    }

    static func parseSchema(_ schema: FlatBufferTable) throws -> [ArrowField] {
        try schema.tables(1).map { field in
            let name = try field.string(0) ?? ""
            let typeType = try field.uint8(2)
            let type = try field.table(3)
            if try field.table(4) != nil { throw ArrowIPCError.unsupported("column \(name) is dictionary-encoded") }
            func need() throws -> FlatBufferTable {
                guard let type else { throw ArrowIPCError.malformed("column \(name) has no type table") }
                return type
            }
            let kind: ArrowField.Kind
            switch typeType {
            case 2:  // Int
                let bits = Int(try need().int32(0))
                guard [8, 16, 32, 64].contains(bits) else { throw ArrowIPCError.unsupported("column \(name): \(bits)-bit integers") }
                kind = .int(bits: bits)
            case 3:  // FloatingPoint
                switch try need().int16(0) {
                case 1: kind = .float(bits: 32)
                case 2: kind = .float(bits: 64)
                default: throw ArrowIPCError.unsupported("column \(name): half-precision floats")
                }
            case 4: kind = .binary
            case 5: kind = .utf8
            case 6: kind = .bool
            case 7:  // Decimal
                let t = try need()
                let precision = Int(try t.int32(0)), scale = Int(try t.int32(1)), bits = Int(try t.int32(2, default: 128))
                guard bits == 128, precision <= 18 else { throw ArrowIPCError.unsupported("column \(name): decimal(\(precision),\(scale)) of \(bits) bits (up to 18 digits are read)") }
                kind = .decimal(precision: precision, scale: scale)
            case 8:  // Date
                kind = try need().int16(0, default: 1) == 0 ? .dateDays : .dateMillis
            case 10:  // Timestamp
                switch try need().int16(0) {
                case 0: kind = .timestamp(divisor: 1, multiplier: 1_000_000)
                case 1: kind = .timestamp(divisor: 1, multiplier: 1_000)
                case 2: kind = .timestamp(divisor: 1, multiplier: 1)
                default: kind = .timestamp(divisor: 1_000, multiplier: 1)
                }
            case 20: kind = .largeUtf8
            default:
                throw ArrowIPCError.unsupported("column \(name) has Arrow type id \(typeType) (nested and interval types are not read)")
            }
            if !(try field.tables(5)).isEmpty { throw ArrowIPCError.unsupported("column \(name) has child fields") }
            return ArrowField(name: name, kind: kind)
        }
    }

    /// Appends one record batch's columns to the builders.
    static func appendBatch(_ batch: FlatBufferTable, body: Range<Int>, bytes: [UInt8], fields: [ArrowField], into builders: inout [ColumnBuilder]) throws {
        if try batch.table(3) != nil { throw ArrowIPCError.unsupported("compressed record batch bodies") }
        let rowCount = try batch.int64(0)
        guard rowCount >= 0, rowCount <= Int64(Int32.max) else { throw ArrowIPCError.malformed("record batch of \(rowCount) rows") }
        // Every supported type needs at least one bit of body per row: a larger count is a lie,
        // caught here before anything is reserved for it.
        guard fields.isEmpty || rowCount <= Int64(body.count) * 8 else {
            throw ArrowIPCError.malformed("record batch claims \(rowCount) rows but its body has \(body.count) bytes")
        }
        let meta = batch.bytes
        guard let (nodeCount, nodeStart) = try batch.vector(1, elementSize: 16),
              let (bufferCount, bufferStart) = try batch.vector(2, elementSize: 16) else { throw ArrowIPCError.malformed("record batch without nodes or buffers") }
        guard nodeCount == fields.count else { throw ArrowIPCError.malformed("record batch has \(nodeCount) field nodes for \(fields.count) columns") }
        var nextBuffer = 0
        func buffer() throws -> Range<Int> {
            guard nextBuffer < bufferCount else { throw ArrowIPCError.malformed("record batch has too few buffers (\(bufferCount))") }
            let at = bufferStart + 16 * nextBuffer
            nextBuffer += 1
            let offset = try FlatBufferTable.readInt64(meta, at), length = try FlatBufferTable.readInt64(meta, at + 8)
            guard offset >= 0, length >= 0, offset <= Int64(body.count), length <= Int64(body.count) - offset else {
                throw ArrowIPCError.malformed("buffer [\(offset), +\(length)) outside the \(body.count)-byte body")
            }
            return (body.lowerBound + Int(offset))..<(body.lowerBound + Int(offset) + Int(length))
        }
        for (i, field) in fields.enumerated() {
            let length = Int(try FlatBufferTable.readInt64(meta, nodeStart + 16 * i))
            let nullCount = try FlatBufferTable.readInt64(meta, nodeStart + 16 * i + 8)
            guard length >= 0, length == Int(rowCount) else { throw ArrowIPCError.malformed("column \(field.name): \(length) values in a batch of \(rowCount) rows") }
            let validityRange = try buffer()
            let hasNulls = nullCount > 0 && !validityRange.isEmpty
            if hasNulls { guard validityRange.count * 8 >= length else { throw ArrowIPCError.malformed("column \(field.name): validity bitmap too short") } }
            @inline(__always) func valid(_ row: Int) -> Bool {
                !hasNulls || bytes[validityRange.lowerBound + (row >> 3)] & (1 << UInt8(row & 7)) != 0
            }
            func values(width: Int) throws -> Range<Int> {
                let r = try buffer()
                guard r.count >= width * length else { throw ArrowIPCError.malformed("column \(field.name): value buffer of \(r.count) bytes for \(length) values of \(width) bytes") }
                return r
            }
            var b = builders[i]
            b.reserveCapacity(b.count + length)
            switch field.kind {
            case let .int(bits):
                let r = try values(width: bits / 8)
                for row in 0..<length {
                    guard valid(row) else { b.appendNull(); continue }
                    b.append(int: readInt(bytes, r.lowerBound + row * bits / 8, bits: bits))
                }
            case let .float(bits):
                let r = try values(width: bits / 8)
                for row in 0..<length {
                    guard valid(row) else { b.appendNull(); continue }
                    let raw = readInt(bytes, r.lowerBound + row * bits / 8, bits: bits)
                    b.append(double: bits == 32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))) : Double(bitPattern: UInt64(bitPattern: raw)))
                }
            case .bool:
                let r = try buffer()
                guard r.count * 8 >= length else { throw ArrowIPCError.malformed("column \(field.name): bit buffer too short") }
                for row in 0..<length {
                    guard valid(row) else { b.appendNull(); continue }
                    b.append(bool: bytes[r.lowerBound + (row >> 3)] & (1 << UInt8(row & 7)) != 0)
                }
            case .utf8, .largeUtf8, .binary:
                let width = field.kind == .largeUtf8 ? 8 : 4
                let offsets = try buffer()
                let data = try buffer()
                guard length == 0 || offsets.count >= width * (length + 1) else { throw ArrowIPCError.malformed("column \(field.name): offsets buffer too short") }
                for row in 0..<length {
                    guard valid(row) else { b.appendNull(); continue }
                    let start = Int(readInt(bytes, offsets.lowerBound + row * width, bits: width * 8))
                    let end = Int(readInt(bytes, offsets.lowerBound + (row + 1) * width, bits: width * 8))
                    guard start >= 0, start <= end, end <= data.count else { throw ArrowIPCError.malformed("column \(field.name): string offsets [\(start), \(end)) outside the \(data.count)-byte data buffer") }
                    bytes.withUnsafeBufferPointer { p in
                        b.append(bytes: UnsafeBufferPointer(rebasing: p[(data.lowerBound + start)..<(data.lowerBound + end)]))
                    }
                }
            case .dateDays, .dateMillis:
                let width = field.kind == .dateDays ? 4 : 8
                let r = try values(width: width)
                for row in 0..<length {
                    guard valid(row) else { b.appendNull(); continue }
                    let raw = readInt(bytes, r.lowerBound + row * width, bits: width * 8)
                    b.append(int: field.kind == .dateDays ? raw : floorDivide(raw, 86_400_000))
                }
            case let .timestamp(divisor, multiplier):
                let r = try values(width: 8)
                for row in 0..<length {
                    guard valid(row) else { b.appendNull(); continue }
                    let raw = readInt(bytes, r.lowerBound + row * 8, bits: 64)
                    let (scaled, overflow) = floorDivide(raw, divisor).multipliedReportingOverflow(by: multiplier)
                    guard !overflow else { throw ArrowIPCError.malformed("column \(field.name): timestamp \(raw) out of range") }
                    b.append(int: scaled)
                }
            case .decimal:
                let r = try values(width: 16)
                for row in 0..<length {
                    guard valid(row) else { b.appendNull(); continue }
                    let lo = readInt(bytes, r.lowerBound + row * 16, bits: 64)
                    let hi = readInt(bytes, r.lowerBound + row * 16 + 8, bits: 64)
                    guard hi == (lo < 0 ? -1 : 0) else { throw ArrowIPCError.unsupported("column \(field.name): decimal beyond 64 bits") }
                    b.append(int: lo)
                }
            }
            builders[i] = b
        }
    }

    @inline(__always) static func readInt(_ bytes: [UInt8], _ at: Int, bits: Int) -> Int64 {
        var v: UInt64 = 0
        for k in 0..<(bits / 8) { v |= UInt64(bytes[at + k]) << UInt64(8 * k) }
        switch bits {
        case 8: return Int64(Int8(truncatingIfNeeded: v))
        case 16: return Int64(Int16(truncatingIfNeeded: v))
        case 32: return Int64(Int32(truncatingIfNeeded: v))
        default: return Int64(bitPattern: v)
        }
    }

    @inline(__always) static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
