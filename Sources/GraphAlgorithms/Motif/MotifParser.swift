// MotifParser: GraphFrames' motif grammar, by recursive descent over the pattern's bytes.
//
//   pattern  := term (';' term)*
//   term     := '!'? vertex (edge vertex)*        -- a chain of several hops is split into terms
//   vertex   := '(' name? ')'
//   edge     := '-' label ('->' | '-')  |  '<-' label ('-' | '->')
//   label    := '[' name? ('*' int? ('..' int?)?)? ']'
//   name     := [A-Za-z0-9_]+
//
// Whitespace is allowed between tokens. Every error carries the byte offset of the token that
// broke the rule. Checks that need the whole pattern (reused names, open ranges...) are the
// validator's job, so that the parser stays a faithful record of the text.

/// Parses motif text into terms as written. O(length of the pattern).
public struct MotifParser {
    private let text: String
    private let bytes: [UInt8]
    private var pos = 0

    /// Parses `text`; throws a located `MotifError` on malformed input.
    public static func parse(_ text: String) throws -> [MotifTerm] {
        var parser = MotifParser(text: text)
        return try parser.parsePattern()
    }

    private init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    private func error(_ message: String, at offset: Int? = nil) -> MotifError {
        MotifError(offset: offset ?? pos, message: message, pattern: text)
    }

    private mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0A || bytes[pos] == 0x0D { pos += 1 }
    }

    private func peek(_ s: String) -> Bool {
        let u = Array(s.utf8)
        return pos + u.count <= bytes.count && Array(bytes[pos..<pos + u.count]) == u
    }

    private mutating func eat(_ s: String) -> Bool {
        if peek(s) { pos += s.utf8.count; return true }
        return false
    }

    private var found: String {
        pos < bytes.count ? "'\(String(decoding: [bytes[pos]], as: UTF8.self))'" : "end of pattern"
    }

    private mutating func expect(_ s: String, _ what: String) throws {
        skipSpace()
        guard eat(s) else { throw error("expected '\(s)' \(what), found \(found)") }
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private mutating func parseName() -> String? {
        let start = pos
        while pos < bytes.count, Self.isNameByte(bytes[pos]) { pos += 1 }
        return pos > start ? String(decoding: bytes[start..<pos], as: UTF8.self) : nil
    }

    private mutating func parseInt() throws -> Int? {
        let start = pos
        while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
        guard pos > start else { return nil }
        guard pos - start <= 6, let n = Int(String(decoding: bytes[start..<pos], as: UTF8.self)) else {
            throw error("hop count is too large (at most 6 digits)", at: start)
        }
        return n
    }

    private mutating func parsePattern() throws -> [MotifTerm] {
        var terms: [MotifTerm] = []
        skipSpace()
        if pos == bytes.count { throw error("empty pattern: expected a term such as (a)-[e]->(b)") }
        while true {
            skipSpace()
            terms += try parseTerm()
            skipSpace()
            if pos == bytes.count { break }
            guard eat(";") else { throw error("expected ';' between terms or the end of the pattern, found \(found)") }
        }
        return terms
    }

    private mutating func parseTerm() throws -> [MotifTerm] {
        skipSpace()
        let start = pos
        let negated = eat("!")
        skipSpace()
        if pos == bytes.count || bytes[pos] == UInt8(ascii: ";") {
            throw error("expected a term such as (a) or (a)-[e]->(b), found \(found)")
        }
        var current = try parseVertex()
        var hops: [MotifTerm] = []
        while true {
            skipSpace()
            guard peek("-") || peek("<-") else { break }
            let (edge, arrow) = try parseEdge()
            skipSpace()
            let next = try parseVertex()
            hops.append(.edge(src: current, edge: edge, dst: next, arrow: arrow))
            current = next
        }
        if hops.isEmpty { hops = [.vertex(current)] }
        if negated {
            guard hops.count == 1 else {
                throw error("a negation applies to one edge; write one '!' term per edge", at: start)
            }
            return [.negation(hops[0], offset: start)]
        }
        return hops
    }

    private mutating func parseVertex() throws -> MotifVertexRef {
        skipSpace()
        let start = pos
        guard eat("(") else { throw error("expected '(' to start a vertex, found \(found)") }
        skipSpace()
        let name = parseName()
        try expect(")", "to close the vertex" + (name == nil ? " (names use letters, digits and '_')" : ""))
        return MotifVertexRef(name: name, offset: start)
    }

    private mutating func parseEdge() throws -> (MotifEdgeRef, MotifArrow) {
        let incoming = eat("<-")
        if !incoming { _ = eat("-") }
        skipSpace()
        let labelStart = pos
        guard eat("[") else { throw error("expected '[' to start an edge, found \(found)") }
        skipSpace()
        let name = parseName()
        skipSpace()
        var hops: MotifHops?
        if eat("*") {
            skipSpace()
            let lo = try parseInt()
            skipSpace()
            if eat("..") {
                skipSpace()
                let hi = try parseInt()
                hops = MotifHops(min: lo, max: hi, isRange: true)
            } else {
                hops = MotifHops(min: lo, max: lo, isRange: lo == nil)
            }
        }
        try expect("]", "to close the edge" + (hops == nil && name != nil ? " (a hop count is written '*N' or '*m..n')" : ""))
        skipSpace()
        let arrow: MotifArrow
        if eat("->") {
            arrow = incoming ? .bidirectional : .forward
        } else if eat("-") {
            arrow = incoming ? .backward : .undirected
        } else {
            throw error("expected '->' or '-' after the edge, found \(found)")
        }
        return (MotifEdgeRef(name: name, hops: hops, offset: labelStart), arrow)
    }
}
