import Columnar

/// One leaf's levels and dense values over the whole file, for record assembly.
struct LeafStream {
    let node: SchemaNode
    let defs: [UInt8]
    let reps: [UInt8]
    /// Dense index of the value at each level entry (valid only where def == max).
    let valueIndex: [Int32]
    let column: Column
    let count: Int

    init(node: SchemaNode, chunk: LeafChunk, column: Column) {
        self.node = node
        defs = chunk.definitionLevels
        reps = chunk.repetitionLevels
        count = chunk.levelCount
        let maxDef = UInt8(node.definitionLevel)
        var index = [Int32](repeating: -1, count: count)
        if node.definitionLevel == 0 {
            for i in 0..<count { index[i] = Int32(i) }
        } else {
            var next: Int32 = 0
            for i in 0..<count where defs[i] == maxDef {
                index[i] = next
                next += 1
            }
        }
        valueIndex = index
        self.column = column
    }

    @inline(__always) func def(_ i: Int) -> Int { node.definitionLevel == 0 ? 0 : Int(defs[i]) }
    @inline(__always) func rep(_ i: Int) -> Int { node.repetitionLevel == 0 ? 0 : Int(reps[i]) }
}

/// Rebuilds nested values from leaf level streams (the inverse of Dremel shredding), and
/// interprets LIST and MAP annotations, including the legacy two-level list layouts the
/// parquet-format backward-compatibility rules describe.
struct RecordAssembler {
    let streams: [LeafStream]   // indexed by global leaf index

    /// The nested type a schema node reads as.
    static func nestedType(_ node: SchemaNode) throws -> NestedType {
        // A repeated field outside a LIST/MAP group is a legacy list of required elements.
        if node.repetition == .repeated {
            return .list(NestedField("element", try innerType(node), nullable: false))
        }
        return try innerType(node)
    }

    private static func innerType(_ node: SchemaNode) throws -> NestedType {
        if node.isLeaf { return .primitive(try LogicalMapping.dataType(of: node)) }
        if node.isListAnnotated, let rep = listRepeatedChild(node) {
            if let element = threeLevelElement(node, rep) {
                return .list(NestedField(element.name, try innerType(element), nullable: element.repetition != .required))
            }
            return .list(NestedField("element", try innerType(rep), nullable: false))
        }
        if node.isMapAnnotated, let kv = mapKeyValue(node) {
            // Keys may be nested (Spark allows map<array<int>, ...>); they read as Columnar values.
            let k = try innerType(kv.children[0]).columnarType
            let v = kv.children[1]
            return .map(key: k, value: NestedField(v.name, try nestedType(v), nullable: v.repetition != .required))
        }
        if node.isMapAnnotated, let keys = mapKeysOnly(node) {
            // A map without values (parquet-testing's map_no_value): its keys, as a list, as pyarrow reads it.
            return .list(NestedField(keys.children[0].name, try innerType(keys.children[0]), nullable: false))
        }
        return .structure(try node.children.map { NestedField($0.name, try nestedType($0), nullable: $0.repetition != .required) })
    }

    static func listRepeatedChild(_ node: SchemaNode) -> SchemaNode? {
        guard node.children.count == 1, node.children[0].repetition == .repeated else { return nil }
        return node.children[0]
    }

    /// The element node of a standard three-level list, or nil for the legacy two-level forms.
    static func threeLevelElement(_ list: SchemaNode, _ rep: SchemaNode) -> SchemaNode? {
        guard !rep.isLeaf, rep.children.count == 1, rep.name != "array", rep.name != list.name + "_tuple" else { return nil }
        return rep.children[0]
    }

    /// The repeated group of a MAP-annotated group that holds only a key.
    static func mapKeysOnly(_ node: SchemaNode) -> SchemaNode? {
        guard node.children.count == 1 else { return nil }
        let kv = node.children[0]
        guard kv.repetition == .repeated, kv.children.count == 1, kv.children[0].isLeaf, kv.children[0].repetition == .required else { return nil }
        return kv
    }

    static func mapKeyValue(_ node: SchemaNode) -> SchemaNode? {
        guard node.children.count == 1 else { return nil }
        let kv = node.children[0]
        guard kv.repetition == .repeated, kv.children.count == 2, kv.children[0].repetition == .required || kv.children[0].isLeaf else { return nil }
        return kv
    }

    /// Assembles the top-level field `node` for every row; `rows` is the row count.
    func assemble(_ node: SchemaNode, rows: Int) throws -> [NestedValue] {
        // Row boundaries per leaf: entries whose repetition level is 0 start a row.
        var ranges: [[Range<Int>]] = []
        for l in node.leafRange {
            let s = streams[l]
            var starts: [Int] = []
            starts.reserveCapacity(rows + 1)
            if s.node.repetitionLevel == 0 {
                guard s.count == rows else { throw DecodeError("column \(s.node.dottedPath) has \(s.count) values for \(rows) rows") }
                ranges.append((0..<rows).map { $0..<($0 + 1) })
                continue
            }
            for i in 0..<s.count where s.reps[i] == 0 { starts.append(i) }
            guard starts.count == rows, starts.first ?? 0 == 0 else {
                throw DecodeError("column \(s.node.dottedPath) holds \(starts.count) records for \(rows) rows")
            }
            starts.append(s.count)
            ranges.append((0..<rows).map { starts[$0]..<starts[$0 + 1] })
        }
        var out: [NestedValue] = []
        out.reserveCapacity(rows)
        for r in 0..<rows {
            out.append(try value(node, ranges.map { $0[r] }))
        }
        return out
    }

    private func first(_ node: SchemaNode, _ ranges: [Range<Int>]) throws -> (def: Int, stream: LeafStream, entry: Int) {
        guard let r = ranges.first, !r.isEmpty else { throw DecodeError("no level entries for \(node.dottedPath)") }
        let s = streams[node.leafRange.lowerBound]
        return (s.def(r.lowerBound), s, r.lowerBound)
    }

    private func value(_ node: SchemaNode, _ ranges: [Range<Int>]) throws -> NestedValue {
        if node.repetition == .repeated {
            return .list(try instances(node, ranges).map { try content(node, $0) })
        }
        if node.repetition == .optional {
            let f = try first(node, ranges)
            if f.def < node.definitionLevel { return .null }
        }
        return try content(node, ranges)
    }

    /// Splits the entries of one parent instance into the repetitions of `rep`.
    private func instances(_ rep: SchemaNode, _ ranges: [Range<Int>]) throws -> [[Range<Int>]] {
        let f = try first(rep, ranges)
        if f.def < rep.definitionLevel { return [] }
        var perLeaf: [[Range<Int>]] = []
        for (k, l) in rep.leafRange.enumerated() {
            let s = streams[l]
            let r = ranges[k]
            var pieces: [Range<Int>] = []
            var start = r.lowerBound
            for i in r.dropFirst() where s.rep(i) <= rep.repetitionLevel {
                pieces.append(start..<i)
                start = i
            }
            pieces.append(start..<r.upperBound)
            perLeaf.append(pieces)
        }
        let n = perLeaf[0].count
        guard perLeaf.allSatisfy({ $0.count == n }) else { throw DecodeError("leaves of \(rep.dottedPath) disagree on the number of repetitions") }
        return (0..<n).map { i in perLeaf.map { $0[i] } }
    }

    private func sub(_ parent: SchemaNode, _ child: SchemaNode, _ ranges: [Range<Int>]) -> [Range<Int>] {
        let base = parent.leafRange.lowerBound
        return Array(ranges[(child.leafRange.lowerBound - base)..<(child.leafRange.upperBound - base)])
    }

    private func content(_ node: SchemaNode, _ ranges: [Range<Int>]) throws -> NestedValue {
        if node.isLeaf {
            let f = try first(node, ranges)
            let index = f.stream.valueIndex[f.entry]
            guard index >= 0 else { return .null }
            return .primitive(f.stream.column.value(at: Int(index)))
        }
        if node.isListAnnotated, let rep = RecordAssembler.listRepeatedChild(node) {
            let parts = try instances(rep, sub(node, rep, ranges))
            if let element = RecordAssembler.threeLevelElement(node, rep) {
                return .list(try parts.map { try value(element, sub(rep, element, $0)) })
            }
            return .list(try parts.map { try content(rep, $0) })
        }
        if node.isMapAnnotated, let kv = RecordAssembler.mapKeyValue(node) {
            let parts = try instances(kv, sub(node, kv, ranges))
            let keyType: NestedType? = kv.children[0].isLeaf ? nil : try RecordAssembler.nestedType(kv.children[0])
            return .map(try parts.map { part in
                let key = try value(kv.children[0], sub(kv, kv.children[0], part))
                let v = try value(kv.children[1], sub(kv, kv.children[1], part))
                return MapEntry(keyType.map { key.columnarValue($0) } ?? key.primitiveValue ?? .null, v)
            })
        }
        if node.isMapAnnotated, let keys = RecordAssembler.mapKeysOnly(node) {
            let parts = try instances(keys, sub(node, keys, ranges))
            return .list(try parts.map { try value(keys.children[0], sub(keys, keys.children[0], $0)) })
        }
        return .structure(try node.children.map { try value($0, sub(node, $0, ranges)) })
    }
}
