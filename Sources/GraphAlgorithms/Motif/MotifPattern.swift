import Foundation

// Motif pattern AST: the GraphFrames motif language as written, before rewrites.
//
// The parser produces `[MotifTerm]`; the validator checks and lowers it to a `MotifQuery`
// (directed edges only, ranges kept as data); the planner never sees text.

/// A vertex reference `(a)` or `()`, with the byte offset where it starts in the pattern.
public struct MotifVertexRef: Hashable, Sendable {
    /// The name, or nil for an anonymous vertex `()`.
    public var name: String?
    /// Zero-based byte offset of `(` in the pattern text.
    public var offset: Int

    public init(name: String?, offset: Int) {
        self.name = name
        self.offset = offset
    }
}

/// How many hops an edge stands for: one (`[e]`), exactly N (`[e*N]`), or a closed range
/// (`[e*m..n]`). `min`/`max` are nil when a bound was left open, which the validator rejects.
public struct MotifHops: Hashable, Sendable {
    public var min: Int?
    public var max: Int?
    /// True for the range form `*m..n`, which adds a `_hop` column; false for `*N`.
    public var isRange: Bool

    public init(min: Int?, max: Int?, isRange: Bool) {
        self.min = min
        self.max = max
        self.isRange = isRange
    }
}

/// The arrow as written between two vertices.
public enum MotifArrow: String, Hashable, Sendable {
    /// `(a)-[e]->(b)`
    case forward = "->"
    /// `(a)<-[e]-(b)`, meaning `(b)-[e]->(a)`.
    case backward = "<-"
    /// `(a)<-[e]->(b)`, meaning one edge each way (`e1` a->b... named `e1`, `e2` as GraphFrames does).
    case bidirectional = "<->"
    /// `(a)-[e]-(b)`: either direction; the output gets `_direction`.
    case undirected = "-"
}

/// An edge label `[e]`, `[]`, `[e*3]`, `[e*1..3]`.
public struct MotifEdgeRef: Hashable, Sendable {
    public var name: String?
    public var hops: MotifHops?
    /// Zero-based byte offset of `[` in the pattern text.
    public var offset: Int

    public init(name: String?, hops: MotifHops?, offset: Int) {
        self.name = name
        self.hops = hops
        self.offset = offset
    }
}

/// One `;`-separated term of a motif, as written.
///
/// Follows GraphFrames' sealed pattern hierarchy (`NamedVertex`, `AnonymousEdge`, `Negation`,
/// `UndirectedEdge`): a lone vertex, an edge between two vertices, or a negated term.
public indirect enum MotifTerm: Hashable, Sendable {
    /// `(a)` on its own.
    case vertex(MotifVertexRef)
    /// `(a)-[e]->(b)` and its arrow variants.
    case edge(src: MotifVertexRef, edge: MotifEdgeRef, dst: MotifVertexRef, arrow: MotifArrow)
    /// `!term`, with the offset of `!`.
    case negation(MotifTerm, offset: Int)

    /// Byte offset where the term starts (for error messages).
    public var offset: Int {
        switch self {
        case let .vertex(v): return v.offset
        case let .edge(src, _, _, _): return src.offset
        case let .negation(_, offset): return offset
        }
    }
}

/// A located problem with a motif pattern: a parse error or a pattern GraphFrames rejects.
public struct MotifError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Zero-based byte offset into the pattern text.
    public var offset: Int
    public var message: String
    /// The pattern text, for the caret display.
    public var pattern: String

    public init(offset: Int, message: String, pattern: String) {
        self.offset = offset
        self.message = message
        self.pattern = pattern
    }

    /// One line: `motif pattern, column N, at 'term': message`, where `term` is the text of
    /// the offending term (up to the next `;`).
    public var description: String {
        if pattern.isEmpty { return message }
        let bytes = Array(pattern.utf8)
        let start = min(max(0, offset), bytes.count)
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: ";"), end - start < 40 { end += 1 }
        let near = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return "motif pattern, column \(offset + 1)" + (near.isEmpty ? "" : ", at '\(near)'") + ": \(message)"
    }
}
