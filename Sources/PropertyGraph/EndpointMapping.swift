import Columnar

/// Maps external vertex ids (from a vertices table, or from the edge endpoints when there is
/// none) to dense internal `UInt32` ids assigned in ascending external order.
///
/// Integer ids use a direct-address table when their range is compact (O(E + range), the
/// usual case for bank ids) and sort + binary search otherwise (O((V + E) log V)). String ids
/// use a byte-level open-addressing hash table, then a byte-order sort of the distinct ids.
/// Endpoints missing from a vertices table map to `EndpointMapping.unknown`.
struct EndpointMapping {
    static let unknown = UInt32.max

    var ids: VertexIDs
    var src: [UInt32]
    var dst: [UInt32]
    /// For each internal id, the row of the vertices table it came from (nil without one).
    var vertexRows: [Int]?

    // MARK: integers

    static func integers(vertexIDs: [Int64]?, src: [Int64], dst: [Int64]) throws -> EndpointMapping {
        var lo = Int64.max, hi = Int64.min
        func extend(_ a: [Int64]) {
            for v in a { if v < lo { lo = v }; if v > hi { hi = v } }
        }
        if let vertexIDs { extend(vertexIDs) } else { extend(src); extend(dst) }
        let candidates = vertexIDs?.count ?? (src.count + dst.count)
        guard candidates > 0 else { return EndpointMapping(ids: .int([]), src: [], dst: [], vertexRows: vertexIDs == nil ? nil : []) }
        let (range, overflow) = hi.subtractingReportingOverflow(lo)
        if !overflow, range < Int64(max(4 * candidates, 1 << 22)) {
            return try direct(vertexIDs: vertexIDs, src: src, dst: dst, lo: lo, range: Int(range) + 1)
        }
        return try sorted(vertexIDs: vertexIDs, src: src, dst: dst)
    }

    private static func direct(vertexIDs: [Int64]?, src: [Int64], dst: [Int64], lo: Int64, range: Int) throws -> EndpointMapping {
        var slot = [UInt32](repeating: unknown, count: range)
        var rows: [Int]?
        var ids: [Int64] = []
        slot.withUnsafeMutableBufferPointer { s in
            if let vertexIDs {
                for v in vertexIDs { s[Int(v &- lo)] = 0 }
            } else {
                for v in src { s[Int(v &- lo)] = 0 }
                for v in dst { s[Int(v &- lo)] = 0 }
            }
            var next: UInt32 = 0
            ids.reserveCapacity(vertexIDs?.count ?? 1024)
            for i in 0..<range where s[i] == 0 {
                s[i] = next
                next += 1
                ids.append(lo + Int64(i))
            }
        }
        if let vertexIDs {
            guard ids.count == vertexIDs.count else { throw duplicate(in: vertexIDs) }
            var r = [Int](repeating: 0, count: ids.count)
            for (row, v) in vertexIDs.enumerated() { r[Int(slot[Int(v - lo)])] = row }
            rows = r
        }
        let hiExclusive = lo &+ Int64(range)
        let mapped = slot.withUnsafeBufferPointer { s -> ([UInt32], [UInt32]) in
            (mapEndpoints(src) { v in v >= lo && v < hiExclusive ? s[Int(v &- lo)] : unknown },
             mapEndpoints(dst) { v in v >= lo && v < hiExclusive ? s[Int(v &- lo)] : unknown })
        }
        return EndpointMapping(ids: .int(ids), src: mapped.0, dst: mapped.1, vertexRows: rows)
    }

    private static func sorted(vertexIDs: [Int64]?, src: [Int64], dst: [Int64]) throws -> EndpointMapping {
        var rows: [Int]?
        var ids: [Int64]
        if let vertexIDs {
            let order = vertexIDs.indices.sorted { vertexIDs[$0] < vertexIDs[$1] }
            ids = order.map { vertexIDs[$0] }
            for i in 1..<max(1, ids.count) where ids[i] == ids[i - 1] { throw GraphError.duplicateVertexID(String(ids[i])) }
            rows = order
        } else {
            var all = src + dst
            all.sort()
            ids = []
            ids.reserveCapacity(all.count / 4)
            for v in all where ids.last != v { ids.append(v) }
        }
        let lookup = ids
        let find: (Int64) -> UInt32 = { x in
            lookup.withUnsafeBufferPointer { a in
                var lo = 0, hi = a.count
                while lo < hi { let m = (lo + hi) >> 1; if a[m] < x { lo = m + 1 } else { hi = m } }
                return lo < a.count && a[lo] == x ? UInt32(lo) : unknown
            }
        }
        return EndpointMapping(ids: .int(ids), src: mapEndpoints(src, find), dst: mapEndpoints(dst, find), vertexRows: rows)
    }

    private static func duplicate(in ids: [Int64]) -> GraphError {
        var seen = Set<Int64>()
        for v in ids where !seen.insert(v).inserted { return .duplicateVertexID(String(v)) }
        return .duplicateVertexID("?")
    }

    /// Applies `lookup` to every endpoint in parallel.
    static func mapEndpoints<T>(_ values: [T], _ lookup: (T) -> UInt32) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                let base = o.baseAddress!
                parallelChunks(count: v.count) { _, r in
                    for i in r { base[i] = lookup(v[i]) }
                }
            }
        }
        return out
    }

    // MARK: strings

    static func strings(vertexIDs: StringArray?, src: StringArray, dst: StringArray) throws -> EndpointMapping {
        var table = ByteStringInterner(expected: vertexIDs?.count ?? (src.count / 2 + 16))
        var firstSeen: [UInt32] = []
        if let vertexIDs {
            for i in 0..<vertexIDs.count {
                let (id, inserted) = table.intern(vertexIDs, i)
                guard inserted else { throw GraphError.duplicateVertexID("'\(vertexIDs[i])'") }
                firstSeen.append(id)
            }
        }
        var rawSrc = [UInt32](repeating: 0, count: src.count)
        var rawDst = [UInt32](repeating: 0, count: dst.count)
        let frozen = vertexIDs != nil
        for i in 0..<src.count { rawSrc[i] = frozen ? table.find(src, i) ?? unknown : table.intern(src, i).0 }
        for i in 0..<dst.count { rawDst[i] = frozen ? table.find(dst, i) ?? unknown : table.intern(dst, i).0 }
        // Renumber so internal ids follow byte order of the external ids.
        let distinct = table.strings
        let order = (0..<distinct.count).sorted { distinct.compare($0, $1) < 0 }
        var rank = [UInt32](repeating: 0, count: order.count)
        for (r, old) in order.enumerated() { rank[old] = UInt32(r) }
        let remap: (UInt32) -> UInt32 = { $0 == unknown ? unknown : rank[Int($0)] }
        var rows: [Int]?
        if vertexIDs != nil { rows = order }
        return EndpointMapping(ids: .string(distinct.gather(order)), src: mapEndpoints(rawSrc, remap), dst: mapEndpoints(rawDst, remap), vertexRows: rows)
    }
}

/// Assigns consecutive ids to distinct byte strings (open addressing, FNV-1a hashing).
/// O(1) expected per lookup; no per-string allocation.
struct ByteStringInterner {
    private(set) var strings = StringArray()
    private var slots: [Int32]
    private var mask: Int

    init(expected: Int) {
        var cap = 16
        while cap < expected * 2 { cap <<= 1 }
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    private static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private func probe(_ key: UnsafeBufferPointer<UInt8>) -> (slot: Int, found: Int32?) {
        var i = ByteStringInterner.hash(key) & mask
        while true {
            let s = slots[i]
            if s < 0 { return (i, nil) }
            let r = strings.range(Int(s))
            let equal = r.count == key.count && strings.bytes.withUnsafeBufferPointer { b in
                key.count == 0 || memcmp(b.baseAddress! + r.lowerBound, key.baseAddress!, key.count) == 0
            }
            if equal { return (i, s) }
            i = (i + 1) & mask
        }
    }

    mutating func intern(_ source: StringArray, _ index: Int) -> (UInt32, Bool) {
        let r = source.range(index)
        return source.bytes.withUnsafeBufferPointer { b in
            let key = UnsafeBufferPointer(rebasing: b[r])
            let (slot, found) = probe(key)
            if let found { return (UInt32(found), false) }
            let id = Int32(strings.count)
            strings.append(bytes: key)
            slots[slot] = id
            if strings.count * 2 > slots.count { grow() }
            return (UInt32(id), true)
        }
    }

    func find(_ source: StringArray, _ index: Int) -> UInt32? {
        let r = source.range(index)
        return source.bytes.withUnsafeBufferPointer { b in probe(UnsafeBufferPointer(rebasing: b[r])).found.map { UInt32($0) } }
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for id in 0..<strings.count {
            let r = strings.range(id)
            let slot = strings.bytes.withUnsafeBufferPointer { b -> Int in
                var i = ByteStringInterner.hash(UnsafeBufferPointer(rebasing: b[r])) & mask
                while slots[i] >= 0 { i = (i + 1) & mask }
                return i
            }
            slots[slot] = Int32(id)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
