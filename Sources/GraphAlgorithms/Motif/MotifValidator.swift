// MotifValidator: rejects what GraphFrames rejects, each time pointing at the offending term,
// then applies GraphFrames' rewrites (`<-` swaps ends, `<->` becomes two edges named e1/e2).

/// Checks parsed terms and lowers them to a `MotifQuery`.
///
/// Rejected, as in GraphFrames: a lone `()`; an edge with both ends and the edge anonymous;
/// a named edge inside a negation; a negated vertex, undirected, bidirectional or
/// variable-length term; one name for a vertex and an edge; an edge name used twice; open
/// ranges (`*`, `*2..`, `*..3`); hop 0; and (ours) an empty range `*3..1` and undirected
/// variable-length edges. O(number of terms + generated names).
public enum MotifValidator {
    /// Parses and validates `text`.
    public static func query(_ text: String) throws -> MotifQuery {
        try validate(MotifParser.parse(text), text: text)
    }

    public static func validate(_ terms: [MotifTerm], text: String) throws -> MotifQuery {
        func fail(_ offset: Int, _ message: String) -> MotifError {
            MotifError(offset: offset, message: message, pattern: text)
        }
        var lowered: [MotifLoweredTerm] = []
        var offsets: [Int] = []
        for term in terms {
            switch term {
            case let .vertex(v):
                guard let name = v.name else {
                    throw fail(v.offset, "a lone anonymous vertex '()' is not allowed; name it, e.g. '(a)', or check the vertices table instead")
                }
                lowered.append(.vertex(name)); offsets.append(v.offset)
            case let .negation(inner, offset):
                guard case let .edge(src, edge, dst, arrow) = inner else {
                    throw fail(offset, "a negation must be an edge term such as !(a)-[]->(b)")
                }
                if let name = edge.name {
                    throw fail(edge.offset, "named edge '\(name)' inside a negation is not allowed (it would never appear in results); write !(\(src.name ?? ""))-[]->(\(dst.name ?? ""))")
                }
                if src.name == nil && dst.name == nil {
                    throw fail(offset, "a completely anonymous negated edge !()-[]->() is not allowed; name at least one vertex")
                }
                if edge.hops != nil {
                    throw fail(edge.offset, "a variable-length edge cannot be negated")
                }
                switch arrow {
                case .forward: lowered.append(.negation(src: src.name, dst: dst.name))
                case .backward: lowered.append(.negation(src: dst.name, dst: src.name))
                case .bidirectional: throw fail(offset, "a bidirectional edge '<-[]->' cannot be negated")
                case .undirected: throw fail(offset, "an undirected edge '-[]-' cannot be negated")
                }
                offsets.append(offset)
            case let .edge(src, edge, dst, arrow):
                if src.name == nil && dst.name == nil && edge.name == nil {
                    throw fail(src.offset, "a completely anonymous edge ()-[]->() is not allowed; name a vertex or the edge")
                }
                var range: ClosedRange<Int>?
                if let h = edge.hops {
                    guard let lo = h.min, let hi = h.max else {
                        throw fail(edge.offset, "open hop range in '[\(edge.name ?? "")*...]' is not supported; give both bounds, e.g. '*1..3'")
                    }
                    guard lo > 0 else { throw fail(edge.offset, "hop count must be at least 1 (found \(lo))") }
                    guard lo <= hi else { throw fail(edge.offset, "empty hop range \(lo)..\(hi): the lower bound exceeds the upper") }
                    guard hi <= 64 else { throw fail(edge.offset, "hop count \(hi) is too large (at most 64)") }
                    if arrow == .undirected || arrow == .bidirectional && edge.name != nil {
                        throw fail(edge.offset, arrow == .undirected
                            ? "a variable-length edge must be directed ('->' or '<-')"
                            : "a named variable-length edge cannot be bidirectional (its hop edges would be named twice)")
                    }
                    range = lo...hi
                }
                let isRange = edge.hops?.isRange ?? false
                switch arrow {
                case .forward, .undirected:
                    lowered.append(.edge(src: src.name, name: edge.name, dst: dst.name, undirected: arrow == .undirected, hops: range, isRange: isRange))
                    offsets.append(src.offset)
                case .backward:
                    lowered.append(.edge(src: dst.name, name: edge.name, dst: src.name, undirected: false, hops: range, isRange: isRange))
                    offsets.append(src.offset)
                case .bidirectional:
                    let n1 = edge.name.map { $0 + "1" }, n2 = edge.name.map { $0 + "2" }
                    lowered.append(.edge(src: src.name, name: n1, dst: dst.name, undirected: false, hops: range, isRange: isRange))
                    lowered.append(.edge(src: dst.name, name: n2, dst: src.name, undirected: false, hops: range, isRange: isRange))
                    offsets += [src.offset, src.offset]
                }
            }
        }
        try checkNames(lowered, offsets: offsets, fail: fail)
        let query = MotifQuery(text: text, terms: lowered)
        let count = query.terms.reduce(1) { n, t in
            if case let .edge(_, _, _, _, h?, true) = t { return n * h.count }
            return n
        }
        guard count <= MotifQuery.maxExpansions else {
            throw fail(0, "the hop ranges allow \(count) combinations; at most \(MotifQuery.maxExpansions) are supported")
        }
        return query
    }

    /// One name may not be both a vertex and an edge, and an edge name may appear once.
    /// Checked on the longest expansion, so generated names (`_e1`, `_ab1`) count too.
    private static func checkNames(_ lowered: [MotifLoweredTerm], offsets: [Int], fail: (Int, String) -> MotifError) throws {
        var vertices: Set<String> = []
        var edges: Set<String> = []
        for (term, offset) in zip(lowered, offsets) {
            var single = [term]
            if case let .edge(_, _, _, _, h?, isRange) = term {
                single = MotifQuery.expand([term], hops: isRange ? [h.upperBound] : []).ordered
            }
            for t in single {
                var vs: [String] = [], es: [String] = []
                switch t {
                case let .vertex(v): vs = [v]
                case let .edge(s, e, d, _, _, _): vs = [s, d].compactMap { $0 }; es = [e].compactMap { $0 }
                case let .negation(s, d): vs = [s, d].compactMap { $0 }
                }
                for v in vs where edges.contains(v) {
                    throw fail(offset, "name '\(v)' is used for both a vertex and an edge")
                }
                vertices.formUnion(vs)
                for e in es {
                    if vertices.contains(e) { throw fail(offset, "name '\(e)' is used for both a vertex and an edge") }
                    if !edges.insert(e).inserted { throw fail(offset, "edge name '\(e)' is used more than once") }
                }
            }
        }
    }
}
