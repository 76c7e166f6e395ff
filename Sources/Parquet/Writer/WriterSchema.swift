import Columnar

/// A leaf column as the writer lays it out.
struct WriterLeaf {
    let path: [String]
    let type: DataType
    let physical: PhysicalType
    let maxDef: Int
    let maxRep: Int
    var dottedPath: String { path.joined(separator: ".") }
}

/// Turns nested fields into Parquet schema elements and leaf descriptors, using the standard
/// LIST and MAP layouts and both LogicalType and ConvertedType annotations so old and new
/// readers agree.
enum WriterSchema {
    static func physical(_ t: DataType) -> PhysicalType {
        switch t {
        case .bool: return .boolean
        case .int32, .date: return .int32
        case .int64, .timestamp: return .int64
        case .float: return .float
        case .double: return .double
        case .string, .binary: return .byteArray
        case let .decimal(p, _): return p <= 9 ? .int32 : (p <= DataType.maxDecimal64Precision ? .int64 : .fixedLenByteArray)
        case .list, .structure, .map: preconditionFailure("nested types are groups, not leaves")
        }
    }

    static func primitiveElement(_ name: String, _ t: DataType, _ repetition: Repetition) -> SchemaElement {
        var e = SchemaElement(name: name, type: physical(t), repetition: repetition)
        switch t {
        case .string:
            e.convertedType = ConvertedType.utf8
            e.logicalType = .string
        case .date:
            e.convertedType = ConvertedType.date
            e.logicalType = .date
        case .timestamp:
            e.convertedType = ConvertedType.timestampMicros
            e.logicalType = .timestamp(adjustedToUTC: true, unit: .micros)
        case let .decimal(p, s):
            e.convertedType = ConvertedType.decimal
            e.scale = Int32(s)
            e.precision = Int32(p)
            e.logicalType = .decimal(scale: Int32(s), precision: Int32(p))
            if p > DataType.maxDecimal64Precision { e.typeLength = Int32(LogicalMapping.decimalByteWidth(precision: p)) }
        default: break
        }
        return e
    }

    /// Applies a `ColumnAnnotation`; it must suit the column's type.
    static func annotate(_ e: inout SchemaElement, _ a: ColumnAnnotation, _ t: DataType, _ name: String) throws {
        switch (a, t) {
        case (.int8, .int32):
            e.convertedType = ConvertedType.int8
            e.logicalType = .integer(bitWidth: 8, signed: true)
        case (.int16, .int32):
            e.convertedType = ConvertedType.int16
            e.logicalType = .integer(bitWidth: 16, signed: true)
        case (.timestampNTZ, .timestamp):
            // No ConvertedType: TIMESTAMP_MICROS implies UTC-adjusted in the legacy annotation.
            e.convertedType = nil
            e.logicalType = .timestamp(adjustedToUTC: false, unit: .micros)
        default:
            throw ParquetError.invalidArgument("annotation \(a.rawValue) does not suit column '\(name)' of type \(t)")
        }
    }

    /// Schema elements (root first) and leaves for `fields`.
    static func build(_ fields: [NestedField], annotations: [String: ColumnAnnotation] = [:]) throws -> ([SchemaElement], [WriterLeaf]) {
        var elements = [SchemaElement(name: "schema", numChildren: fields.count)]
        var leaves: [WriterLeaf] = []
        func add(_ name: String, _ type: NestedType, _ repetition: Repetition, _ path: [String], _ def: Int, _ rep: Int) throws {
            guard !name.isEmpty else { throw ParquetError.invalidArgument("empty field name in Parquet schema") }
            let d = def + (repetition == .required ? 0 : 1)
            let r = rep + (repetition == .repeated ? 1 : 0)
            let p = path + [name]
            guard d <= 250 else { throw ParquetError.invalidArgument("\(p.joined(separator: ".")) is nested more than 250 levels deep") }
            switch type {
            case let .primitive(t):
                if case let .decimal(precision, scale) = t, precision < 1 || precision > DataType.maxDecimalPrecision || scale < 0 || scale > precision {
                    throw ParquetError.invalidArgument("decimal(\(precision),\(scale)) in \(p.joined(separator: ".")): precision must be 1...\(DataType.maxDecimalPrecision) and scale 0...precision")
                }
                var element = primitiveElement(name, t, repetition)
                if path.isEmpty, let a = annotations[name] { try annotate(&element, a, t, name) }
                elements.append(element)
                leaves.append(WriterLeaf(path: p, type: t, physical: physical(t), maxDef: d, maxRep: r))
            case let .structure(children):
                guard !children.isEmpty else { throw ParquetError.invalidArgument("struct \(p.joined(separator: ".")) has no fields") }
                elements.append(SchemaElement(name: name, repetition: repetition, numChildren: children.count))
                for c in children { try add(c.name, c.type, c.nullable ? .optional : .required, p, d, r) }
            case let .list(element):
                var e = SchemaElement(name: name, repetition: repetition, numChildren: 1)
                e.convertedType = ConvertedType.list
                e.logicalType = .list
                elements.append(e)
                elements.append(SchemaElement(name: "list", repetition: .repeated, numChildren: 1))
                try add("element", element.type, element.nullable ? .optional : .required, p + ["list"], d + 1, r + 1)
            case let .map(key, value):
                var e = SchemaElement(name: name, repetition: repetition, numChildren: 1)
                e.convertedType = ConvertedType.map
                e.logicalType = .map
                elements.append(e)
                elements.append(SchemaElement(name: "key_value", repetition: .repeated, numChildren: 2))
                try add("key", .primitive(key), .required, p + ["key_value"], d + 1, r + 1)
                try add("value", value.type, value.nullable ? .optional : .required, p + ["key_value"], d + 1, r + 1)
            }
        }
        for f in fields { try add(f.name, f.type, f.nullable ? .optional : .required, [], 0, 0) }
        return (elements, leaves)
    }
}

/// Per-leaf level and value sinks filled by shredding nested rows (Dremel).
struct ShredSink {
    var defs: [UInt8] = []
    var reps: [UInt8] = []
    var values: ColumnBuilder
}

/// Shreds nested values into leaf streams: every leaf gets one (rep, def) entry per position
/// its subtree occupies; values are appended only where the leaf itself is present.
struct Shredder {
    var sinks: [ShredSink]

    init(_ leaves: [WriterLeaf]) {
        sinks = leaves.map { ShredSink(values: ColumnBuilder(type: $0.type)) }
    }

    mutating func shred(_ field: NestedField, _ value: NestedValue, leaf: Int, rep: Int, def: Int, depth: Int) throws {
        if value.isNull {
            guard field.nullable else { throw ParquetError.invalidArgument("null in non-nullable field \(field.name)") }
            emitEmpty(leaf, field.type.leafCount, rep: rep, def: def)
            return
        }
        let d = def + (field.nullable ? 1 : 0)
        switch (field.type, value) {
        case let (.primitive(t), .primitive(v)):
            do { try sinks[leaf].values.append(v) } catch {
                throw ParquetError.invalidArgument("value \(v) does not fit \(t) in field \(field.name)")
            }
            sinks[leaf].defs.append(UInt8(d))
            sinks[leaf].reps.append(UInt8(rep))
        case let (.structure(fields), .structure(values)):
            guard fields.count == values.count else {
                throw ParquetError.invalidArgument("struct \(field.name) has \(fields.count) fields but the value has \(values.count)")
            }
            var l = leaf
            for (f, v) in zip(fields, values) {
                try shred(f, v, leaf: l, rep: rep, def: d, depth: depth)
                l += f.type.leafCount
            }
        case let (.list(element), .list(items)):
            if items.isEmpty {
                emitEmpty(leaf, element.type.leafCount, rep: rep, def: d)
                return
            }
            for (i, item) in items.enumerated() {
                try shred(element, item, leaf: leaf, rep: i == 0 ? rep : depth + 1, def: d + 1, depth: depth + 1)
            }
        case let (.map(keyType, valueField), .map(entries)):
            if entries.isEmpty {
                emitEmpty(leaf, 1 + valueField.type.leafCount, rep: rep, def: d)
                return
            }
            let keyField = NestedField("key", .primitive(keyType), nullable: false)
            for (i, e) in entries.enumerated() {
                let r = i == 0 ? rep : depth + 1
                guard !e.key.isNull else { throw ParquetError.invalidArgument("null map key in field \(field.name)") }
                try shred(keyField, .primitive(e.key), leaf: leaf, rep: r, def: d + 1, depth: depth + 1)
                try shred(valueField, e.value, leaf: leaf + 1, rep: r, def: d + 1, depth: depth + 1)
            }
        default:
            throw ParquetError.invalidArgument("value \(value) does not match the type \(field.type) of field \(field.name)")
        }
    }

    private mutating func emitEmpty(_ leaf: Int, _ count: Int, rep: Int, def: Int) {
        for l in leaf..<(leaf + count) {
            sinks[l].defs.append(UInt8(def))
            sinks[l].reps.append(UInt8(rep))
        }
    }
}
