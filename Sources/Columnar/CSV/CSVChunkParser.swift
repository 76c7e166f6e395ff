/// Parses the records in one byte range of a CSV file into column sinks (RFC 4180: quoted
/// fields with doubled quotes, embedded delimiters and newlines, LF or CRLF line ends).
/// Blank lines are skipped. O(bytes); one pass, no allocation per field except unescaping.
struct CSVChunkParser {
    /// A row that could not be parsed: where it starts, which column failed and why.
    struct RowFailure {
        var recordStart: Int
        var recordEnd: Int
        var fieldOffset: Int
        var column: Int?
        var message: String
    }

    struct Result {
        var rows = 0
        /// Rows set aside (reject mode), in file order.
        var rejected: [RowFailure] = []
        /// The first failure (strict mode): parsing stopped there.
        var failure: RowFailure?
        /// Offset just past the last record consumed (for `maxRows`).
        var end = 0
    }

    let bytes: UnsafePointer<UInt8>
    let columnCount: Int
    let delimiter: UInt8
    let maxFieldBytes: Int
    let columnNames: [String]

    /// Parses records in `start..<end` into `sinks` (nil entries are skipped columns). Stops
    /// after `maxRows` records if given. In strict mode the first bad row ends the chunk with
    /// `failure`; with `rejectRows`, bad rows are rolled back and listed.
    func parse(start: Int, end: Int, sinks: [CSVColumnSink?], rejectRows: Bool, maxRows: Int = .max) -> Result {
        var result = Result()
        var scratch: [UInt8] = []
        let b = bytes
        let q: UInt8 = 0x22, nl: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var p = start
        while p < end, result.rows < maxRows {
            if b[p] == nl { p += 1; continue }
            if b[p] == cr, p + 1 < end, b[p + 1] == nl { p += 2; continue }
            let recordStart = p
            var col = 0
            var failure: RowFailure?
            fieldLoop: while true {
                var fieldStart = p
                var fieldLength: Int
                var quoted = false
                var escaped = false
                if p < end, b[p] == q {
                    quoted = true
                    p += 1
                    fieldStart = p
                    while true {
                        if p >= end {
                            failure = RowFailure(recordStart: recordStart, recordEnd: end, fieldOffset: fieldStart - 1, column: col, message: "unterminated quoted field (expected a closing \")")
                            break fieldLoop
                        }
                        if b[p] == q {
                            if p + 1 < end, b[p + 1] == q { escaped = true; p += 2; continue }
                            break
                        }
                        p += 1
                    }
                    fieldLength = p - fieldStart
                    p += 1
                    if p < end, b[p] != delimiter, b[p] != nl, !(b[p] == cr && (p + 1 == end || b[p + 1] == nl)) {
                        failure = failure ?? RowFailure(recordStart: recordStart, recordEnd: p, fieldOffset: p, column: col, message: "unexpected character after a closing quote (expected a delimiter or end of line)")
                        while p < end, b[p] != nl { p += 1 }
                        if p < end { p += 1 }
                        break fieldLoop
                    }
                    if p < end, b[p] == cr { p += 1 }
                } else {
                    while p < end, b[p] != delimiter, b[p] != nl { p += 1 }
                    fieldLength = p - fieldStart
                    if fieldLength > 0, b[fieldStart + fieldLength - 1] == cr, p >= end || b[p] == nl { fieldLength -= 1 }
                }
                if fieldLength > maxFieldBytes, failure == nil {
                    failure = RowFailure(recordStart: recordStart, recordEnd: p, fieldOffset: fieldStart, column: col, message: "field is \(fieldLength) bytes, longer than the limit of \(maxFieldBytes) bytes")
                }
                if failure == nil, col < columnCount, let sink = sinks[col] {
                    let problem: String?
                    if escaped {
                        scratch.removeAll(keepingCapacity: true)
                        var k = fieldStart
                        while k < fieldStart + fieldLength {
                            scratch.append(b[k])
                            k += (b[k] == q) ? 2 : 1
                        }
                        problem = scratch.withUnsafeBufferPointer { sink.append($0.baseAddress ?? b, $0.count, quoted: true) }
                    } else {
                        problem = sink.append(b + fieldStart, fieldLength, quoted: quoted)
                    }
                    if let problem {
                        let text = String(decoding: UnsafeBufferPointer(start: b + fieldStart, count: min(fieldLength, 40)), as: UTF8.self)
                        failure = RowFailure(recordStart: recordStart, recordEnd: p, fieldOffset: fieldStart, column: col, message: "expected \(problem), found '\(text)\(fieldLength > 40 ? "…" : "")'")
                    }
                }
                col += 1
                if p >= end { break }
                if b[p] == delimiter {
                    p += 1
                    if p >= end {
                        // A trailing delimiter at end of file still opens one more (empty) field.
                        if failure == nil, col < columnCount, let sink = sinks[col] { sink.appendNull() }
                        col += 1
                        break
                    }
                    continue
                }
                p += 1
                break
            }
            if failure == nil, col != columnCount {
                failure = RowFailure(recordStart: recordStart, recordEnd: p, fieldOffset: recordStart, column: nil, message: "expected \(columnCount) fields, found \(col)")
            }
            if var f = failure {
                f.recordEnd = max(f.recordEnd, p)
                for case let sink? in sinks { sink.truncate(to: result.rows) }
                if rejectRows {
                    result.rejected.append(f)
                    continue
                }
                result.failure = f
                result.end = p
                return result
            }
            result.rows += 1
        }
        result.end = p
        return result
    }
}

/// Finds record boundaries without parsing: a newline ends a record only when an even number
/// of quotes precede it (RFC 4180 quoting), so the file can be cut into chunks that parse
/// independently. Cost: one memchr sweep for quotes plus one memchr per cut.
struct CSVRecordSplitter {
    let bytes: UnsafePointer<UInt8>
    /// Offsets of every `"` in the region, ascending.
    private var quotes: [Int] = []

    init(bytes: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.bytes = bytes
        var p = start
        while p < end, let hit = memchr(bytes + p, 0x22, end - p) {
            let offset = bytes.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            quotes.append(offset)
            p = offset + 1
        }
    }

    private func quotesBefore(_ offset: Int) -> Int {
        var lo = 0, hi = quotes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if quotes[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first record start at or after `target` (and ≤ `end`), given `start` is one.
    func nextRecordStart(after target: Int, regionStart: Int, end: Int) -> Int {
        var t = target
        let base = quotesBefore(regionStart)
        while t < end {
            guard let hit = memchr(bytes + t, 0x0A, end - t) else { return end }
            let nlOffset = bytes.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if (quotesBefore(nlOffset) - base) % 2 == 0 { return nlOffset + 1 }
            t = nlOffset + 1
        }
        return end
    }

    /// Cuts `start..<end` into about `pieces` ranges that each begin at a record start.
    func split(start: Int, end: Int, pieces: Int) -> [Range<Int>] {
        guard pieces > 1, end - start > 1 << 16 else { return [start..<end] }
        var cuts = [start]
        let step = (end - start) / pieces
        for k in 1..<pieces {
            let c = nextRecordStart(after: max(start + k * step, cuts.last!), regionStart: start, end: end)
            if c > cuts.last!, c < end { cuts.append(c) }
        }
        cuts.append(end)
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
    }
}

#if canImport(Glibc)
import Glibc
#endif
