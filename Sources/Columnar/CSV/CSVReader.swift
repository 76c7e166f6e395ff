import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads RFC 4180 CSV into `Table`s, fast and safely.
///
/// - The file is memory-mapped and parsed as bytes; it is never held as a `String`.
/// - Records are cut into chunks at quote-aware boundaries and parsed in parallel; chunks
///   are concatenated in file order, so the result never depends on the thread count.
/// - Types are declared (`options.schema`, `options.columnTypes`) or inferred from the first
///   `inferenceRows` records (bool, int64, double, date, timestamp, else string; integers
///   with leading zeros stay strings).
/// - A bad row stops the read with an error naming the file, line, column and what was
///   expected, or, with `rejectPath`, goes to a reject file and is counted. No row is ever
///   dropped silently.
///
/// Complexity: O(file bytes) time; memory is the output columns (plus one batch when
/// streaming with `forEachBatch`).
public final class CSVReader {
    public let path: String
    public let options: CSVReadOptions
    /// The schema of the tables this reader returns (after projection).
    public private(set) var schema: Schema
    /// Rows written to the reject file so far.
    public private(set) var rejectedRowCount = 0

    private let file: MappedFile
    private let fileSchema: Schema
    private let dataStart: Int
    /// Position in the file schema of each output column.
    private let projection: [Int]

    /// Opens and maps `path`, reads the header and settles the schema.
    public init(path: String, options: CSVReadOptions = .init()) throws {
        self.path = path
        self.options = options
        file = try MappedFile(path: path)
        let bytes = file.bytes
        guard bytes.count > 0 else {
            throw ColumnarError.malformedInput(file: path, line: 1, column: nil, message: "the file is empty (expected a header line)")
        }
        guard let base = bytes.baseAddress else { throw ColumnarError.io(path: path, message: "cannot read") }

        // Header.
        var names: [String]
        var start = 0
        if bytes.count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { start = 3 }
        if options.hasHeader {
            let (fields, end) = try CSVReader.parseHeader(base, start: start, end: bytes.count, delimiter: options.delimiter, path: path)
            names = fields
            start = end
        } else {
            let (fields, _) = try CSVReader.parseHeader(base, start: start, end: bytes.count, delimiter: options.delimiter, path: path)
            names = options.schema?.names ?? (0..<fields.count).map { "column\($0)" }
            guard names.count == fields.count else {
                throw ColumnarError.malformedInput(file: path, line: 1, column: nil, message: "expected \(names.count) fields (the declared schema), found \(fields.count)")
            }
        }
        dataStart = start
        var seen = Set<String>()
        for (i, n) in names.enumerated() {
            guard !n.isEmpty else { throw ColumnarError.malformedInput(file: path, line: 1, column: nil, message: "header field \(i + 1) is empty (expected a column name)") }
            guard seen.insert(n).inserted else { throw ColumnarError.malformedInput(file: path, line: 1, column: n, message: "duplicate column name in the header") }
        }

        // Types: declared, overridden, or inferred.
        var types = [DataType?](repeating: nil, count: names.count)
        if let declared = options.schema {
            guard declared.names == names else {
                throw ColumnarError.malformedInput(file: path, line: 1, column: nil, message: "header is \(names.joined(separator: ",")) but the declared schema expects \(declared.names.joined(separator: ","))")
            }
            types = declared.fields.map(\.type)
        }
        for (name, type) in options.columnTypes {
            guard let i = names.firstIndex(of: name) else {
                throw ColumnarError.invalidArgument("\(path): no column '\(name)' to give type \(type) (columns are: \(names.joined(separator: ", ")))")
            }
            types[i] = type
        }
        if let fallback = options.defaultType {
            for i in types.indices where types[i] == nil { types[i] = fallback }
        }
        var projection = Array(0..<names.count)
        if let wanted = options.columns {
            projection = try wanted.map { w in
                guard let i = names.firstIndex(of: w) else {
                    throw ColumnarError.invalidArgument("\(path): no column '\(w)' (columns are: \(names.joined(separator: ", ")))")
                }
                return i
            }
        }
        self.projection = projection
        let projected = Set(projection)
        if types.indices.contains(where: { projected.contains($0) && types[$0] == nil }) {
            let inferred = CSVReader.inferTypes(base, start: start, end: bytes.count, columnCount: names.count, wanted: Set(projection), options: options, path: path)
            for i in 0..<types.count where types[i] == nil { types[i] = inferred[i] }
        }
        if let i = types.firstIndex(where: { $0?.isNested ?? false }) {
            throw ColumnarError.invalidArgument("\(path): column '\(names[i])' is declared \(types[i]!), but CSV columns cannot be lists, structs or maps")
        }
        let resolved = Schema(zip(names, types).map { Field($0.0, $0.1 ?? .string) })
        fileSchema = resolved
        schema = Schema(projection.map { resolved.fields[$0] })
    }

    private static func parseHeader(_ base: UnsafePointer<UInt8>, start: Int, end: Int, delimiter: UInt8, path: String) throws -> ([String], Int) {
        // Parse the first record as one string column per field by counting fields first.
        var fieldCount = 1
        var inQuotes = false
        var p = start
        while p < end {
            let c = base[p]
            if c == 0x22 { inQuotes.toggle() } else if !inQuotes {
                if c == delimiter { fieldCount += 1 } else if c == 0x0A { break }
            }
            p += 1
        }
        let sinks = (0..<fieldCount).map { _ in CSVColumnSink(type: .string) }
        let parser = CSVChunkParser(bytes: base, columnCount: fieldCount, delimiter: delimiter, maxFieldBytes: 1 << 20, columnNames: [])
        let result = parser.parse(start: start, end: end, sinks: sinks, rejectRows: false, maxRows: 1)
        if let f = result.failure {
            throw ColumnarError.malformedInput(file: path, line: 1, column: nil, message: "bad header: \(f.message)")
        }
        let names = sinks.map { s -> String in
            s.count > 0 ? String(decoding: s.bytes, as: UTF8.self) : ""
        }
        return (names, result.end)
    }

    private static func inferTypes(_ base: UnsafePointer<UInt8>, start: Int, end: Int, columnCount: Int, wanted: Set<Int>, options: CSVReadOptions, path: String) -> [DataType] {
        let sinks: [CSVColumnSink?] = (0..<columnCount).map { wanted.contains($0) ? CSVColumnSink(type: nil) : nil }
        let parser = CSVChunkParser(bytes: base, columnCount: columnCount, delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes, columnNames: [])
        // Rows with the wrong field count are reported by the real pass; inference skips them.
        _ = parser.parse(start: start, end: end, sinks: sinks, rejectRows: true, maxRows: options.inferenceRows)
        return sinks.map { $0?.inferredType ?? .string }
    }

    /// Reads the whole file into one table.
    public func readAll() throws -> Table {
        var perColumn = [[CSVColumnSink]](repeating: [], count: projection.count)
        try parseBatches { sinks in
            for (k, s) in sinks.enumerated() { perColumn[k].append(contentsOf: s) }
        }
        let columns = (0..<projection.count).map { CSVColumnSink.merge(perColumn[$0], type: schema.fields[$0].type) }
        return try Table(schema: schema, columns: columns)
    }

    /// Streams the file as tables of about `options.batchBytes` of input each, in order.
    public func forEachBatch(_ body: (Table) throws -> Void) throws {
        try parseBatches { sinks in
            let columns = (0..<self.projection.count).map { CSVColumnSink.merge(sinks[$0], type: self.schema.fields[$0].type) }
            try body(Table(schema: self.schema, columns: columns))
        }
    }

    /// Parses batch after batch; each batch is split into chunks parsed in parallel.
    /// `deliver` receives, per output column, the chunk sinks in file order.
    private func parseBatches(_ deliver: ([[CSVColumnSink]]) throws -> Void) throws {
        let bytes = file.bytes
        guard let base = bytes.baseAddress else { return }
        let end = bytes.count
        var rejectWriter: AtomicFileWriter?
        if let rejectPath = options.rejectPath {
            rejectWriter = try AtomicFileWriter(path: rejectPath)
            try rejectWriter?.write("line,error,record\n")
        }
        defer { rejectWriter?.abort() }
        let threads = max(1, options.threads)
        var batchStart = dataStart
        let columnCount = fileSchema.count
        let parser = CSVChunkParser(bytes: base, columnCount: columnCount, delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes, columnNames: fileSchema.names)
        let fileSchema = self.fileSchema
        let projection = self.projection
        let reject = options.rejectPath != nil
        var lineCounter = LineCounter(base: base)
        while batchStart < end {
            let splitter = CSVRecordSplitter(bytes: base, start: batchStart, end: min(end, batchStart + options.batchBytes + (1 << 20)))
            var batchEnd = end
            if end - batchStart > options.batchBytes {
                batchEnd = splitter.nextRecordStart(after: batchStart + options.batchBytes, regionStart: batchStart, end: end)
            }
            let chunks = splitter.split(start: batchStart, end: batchEnd, pieces: threads == 1 ? 1 : threads * 4)
            final class ChunkSlot { var sinks: [CSVColumnSink?] = []; var result = CSVChunkParser.Result() }
            let slots = chunks.map { _ in ChunkSlot() }
            let estimatedRows = max(16, (batchEnd - batchStart) / max(1, chunks.count) / max(8, columnCount * 6))
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                var sinks = [CSVColumnSink?](repeating: nil, count: columnCount)
                for i in projection {
                    let s = CSVColumnSink(type: fileSchema.fields[i].type)
                    s.reserve(estimatedRows)
                    sinks[i] = s
                }
                slots[k].sinks = sinks
                slots[k].result = parser.parse(start: chunks[k].lowerBound, end: chunks[k].upperBound, sinks: sinks, rejectRows: reject)
            }
            for slot in slots {
                if let f = slot.result.failure {
                    throw ColumnarError.malformedInput(file: path, line: lineCounter.line(at: f.fieldOffset), column: f.column.map { fileSchema.names[$0] }, message: f.message)
                }
                if let writer = rejectWriter {
                    for f in slot.result.rejected {
                        let line = lineCounter.line(at: f.recordStart)
                        var end = f.recordEnd
                        while end > f.recordStart, base[end - 1] == 0x0A || base[end - 1] == 0x0D { end -= 1 }
                        let raw = String(decoding: UnsafeBufferPointer(start: base + f.recordStart, count: end - f.recordStart), as: UTF8.self)
                        let reason = (f.column.map { "column '\(fileSchema.names[$0])': " } ?? "") + f.message
                        try writer.write("\(line),\(CSVReader.quote(reason)),\(CSVReader.quote(raw))\n")
                        rejectedRowCount += 1
                    }
                }
            }
            try deliver(projection.map { i in slots.map { $0.sinks[i]! } })
            batchStart = batchEnd
        }
        try rejectWriter?.commit()
        rejectWriter = nil
    }

    static func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Reads a whole CSV file with default options plus `configure`.
    public static func read(path: String, configure: (inout CSVReadOptions) -> Void = { _ in }) throws -> Table {
        var options = CSVReadOptions()
        configure(&options)
        return try CSVReader(path: path, options: options).readAll()
    }
}

/// Converts byte offsets to 1-based physical line numbers, counting newlines incrementally
/// (offsets asked for in increasing order cost O(bytes) in total).
struct LineCounter {
    let base: UnsafePointer<UInt8>
    private var offset = 0
    private var line = 1

    init(base: UnsafePointer<UInt8>) { self.base = base }

    mutating func line(at target: Int) -> Int {
        if target < offset { offset = 0; line = 1 }
        while offset < target {
            guard let hit = memchr(base + offset, 0x0A, target - offset) else { break }
            line += 1
            offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        offset = target
        return line
    }
}
