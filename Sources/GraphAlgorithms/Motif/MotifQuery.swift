// MotifQuery: a validated motif with the arrow rewrites applied, and its expansion into
// concrete patterns (one per choice of hop counts for the variable-length terms).

/// A validated term: arrows are normalised (`<-` swapped, `<->` split in two) and a hop
/// specification, if any, is a checked closed range.
public enum MotifLoweredTerm: Hashable, Sendable {
    case vertex(String)
    /// A directed (or undirected) edge; `hops` is nil for a single edge.
    case edge(src: String?, name: String?, dst: String?, undirected: Bool, hops: ClosedRange<Int>?, isRange: Bool)
    /// `!(src)-[]->(dst)`; a nil end is anonymous (any vertex).
    case negation(src: String?, dst: String?)
}

/// One element of a concrete pattern's output: a named vertex or a named edge.
public enum MotifElementKind: Hashable, Sendable { case vertex, edge }

/// A concrete pattern: every edge is one hop; anonymous vertices have their own slots.
/// This is what the planner and matcher work on.
public struct MotifConcretePattern: Sendable {
    /// One entry per vertex slot: its name, or nil for an anonymous occurrence.
    public var vertexNames: [String?] = []
    /// Positive edges: (name or nil, source slot, destination slot, undirected-term index or nil).
    public var edges: [(name: String?, src: Int, dst: Int, undirected: Int?)] = []
    /// Negated edges by slot; nil for an anonymous end.
    public var negations: [(src: Int?, dst: Int?)] = []
    /// The hop count chosen for each range term, in term order.
    public var hops: [Int] = []

    public func vertexSlot(named name: String) -> Int? { vertexNames.firstIndex(of: name) }
    public func edgeIndex(named name: String) -> Int? { edges.firstIndex { $0.name == name } }
}

/// A validated motif: the lowered terms, the output layout shared by all expansions, and
/// the expansions themselves.
///
/// Output layout follows GraphFrames: one element per named vertex or edge in order of first
/// appearance (src, edge, dst within a term), then `_direction` (one per undirected term) and
/// `_hop` (one per range term). When there are several, they are numbered `_direction1`...
public struct MotifQuery: Sendable {
    public let text: String
    public let terms: [MotifLoweredTerm]
    /// Named elements in output order, over the longest expansion.
    public let elements: [(name: String, kind: MotifElementKind)]
    public let directionColumns: [String]
    public let hopColumns: [String]
    public let hasNegation: Bool

    /// The most expansions a pattern may have (product of the range sizes).
    public static let maxExpansions = 4096

    init(text: String, terms: [MotifLoweredTerm]) {
        self.text = text
        self.terms = terms
        let longest = Self.expand(terms, hops: terms.compactMap { term -> Int? in
            if case let .edge(_, _, _, _, h?, true) = term { return h.upperBound }
            return nil
        })
        var seen = Set<String>()
        var elements: [(String, MotifElementKind)] = []
        func add(_ name: String?, _ kind: MotifElementKind) {
            if let name, seen.insert(name).inserted { elements.append((name, kind)) }
        }
        for term in longest.ordered {
            switch term {
            case let .vertex(v): add(v, .vertex)
            case let .edge(s, e, d, _, _, _): add(s, .vertex); add(e, .edge); add(d, .vertex)
            case let .negation(s, d): add(s, .vertex); add(d, .vertex)
            }
        }
        self.elements = elements.map { (name: $0.0, kind: $0.1) }
        let undirected = terms.filter { if case .edge(_, _, _, true, _, _) = $0 { return true }; return false }.count
        let ranges = terms.filter { if case .edge(_, _, _, _, _, true) = $0 { return true }; return false }.count
        directionColumns = undirected == 1 ? ["_direction"] : (0..<undirected).map { "_direction\($0 + 1)" }
        hopColumns = ranges == 1 ? ["_hop"] : (0..<ranges).map { "_hop\($0 + 1)" }
        hasNegation = terms.contains { if case .negation = $0 { return true }; return false }
    }

    /// The hop-count choices, in ascending lexicographic order of the range terms' hop counts.
    public var hopChoices: [[Int]] {
        var choices: [[Int]] = [[]]
        for term in terms {
            guard case let .edge(_, _, _, _, h?, true) = term else { continue }
            choices = choices.flatMap { prefix in h.map { prefix + [$0] } }
        }
        return choices
    }

    /// The concrete pattern for one hop-count choice (see `hopChoices`).
    public func expansion(hops: [Int]) -> MotifConcretePattern {
        let lowered = Self.expand(terms, hops: hops)
        var p = MotifConcretePattern()
        p.hops = hops
        func slot(_ name: String?) -> Int {
            if let name, let s = p.vertexSlot(named: name) { return s }
            p.vertexNames.append(name)
            return p.vertexNames.count - 1
        }
        // Vertices named only in negations range over all vertices (GraphFrames adds them as
        // lone positive terms), so they get slots like any other named vertex.
        for term in lowered.ordered {
            switch term {
            case let .vertex(v): _ = slot(v)
            case let .edge(s, e, d, undirected, _, _):
                let a = slot(s), b = slot(d)
                p.edges.append((e, a, b, undirected ? lowered.undirectedOf[p.edges.count] : nil))
            case let .negation(s, d):
                p.negations.append((s.map { slot($0) }, d.map { slot($0) }))
            }
        }
        return p
    }

    /// Replaces each fixed or range term by its chain, as GraphFrames rewrites `*N`: middle
    /// vertices `_<src><dst><i>` and edges `_<name><i>` (anonymous if the edge was).
    static func expand(_ terms: [MotifLoweredTerm], hops: [Int]) -> (ordered: [MotifLoweredTerm], undirectedOf: [Int: Int]) {
        var out: [MotifLoweredTerm] = []
        var undirectedOf: [Int: Int] = [:]
        var rangeIndex = 0, undirectedIndex = 0, edgeCount = 0
        for term in terms {
            switch term {
            case let .edge(s, e, d, undirected, h, isRange):
                var n = 1
                if let h {
                    if isRange { n = hops[rangeIndex]; rangeIndex += 1 } else { n = h.lowerBound }
                }
                if h == nil {
                    if undirected { undirectedOf[edgeCount] = undirectedIndex; undirectedIndex += 1 }
                    out.append(term)
                    edgeCount += 1
                    continue
                }
                let mids = (1..<max(n, 1)).map { "_\(s ?? "")\(d ?? "")\($0)" }
                let chain: [String?] = [s] + mids.map { Optional($0) } + [d]
                for i in 0..<n {
                    out.append(.edge(src: chain[i], name: e.map { "_\($0)\(i + 1)" }, dst: chain[i + 1], undirected: false, hops: nil, isRange: false))
                    edgeCount += 1
                }
            default:
                out.append(term)
            }
        }
        return (out, undirectedOf)
    }
}
