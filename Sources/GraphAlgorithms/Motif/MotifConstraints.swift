// What the search checks besides the pattern's shape: the user's filter conjuncts and the
// built-in options (distinct vertices/edges, time order, time window).

/// A slot in a concrete pattern: a vertex slot or a positive edge index.
public enum MotifSlot: Hashable, Sendable {
    case vertex(Int)
    case edge(Int)
}

/// The current partial match, as seen by a filter: `vertices[slot]` is a dense vertex id,
/// `edges[index]` an edge id (a row of the edges table). Only the slots a conjunct declared
/// are guaranteed to be bound when it runs.
public struct MotifBinding {
    public let vertices: UnsafePointer<UInt32>
    public let edges: UnsafePointer<UInt32>
}

/// One conjunct of a `--where` filter. It names the pattern elements it reads; the planner
/// runs it right after the last of them is bound, so a failing conjunct prunes the search
/// instead of filtering a materialised join.
public struct MotifConjunct: @unchecked Sendable {
    /// Names of the vertices and edges the conjunct reads.
    public var names: [String]
    /// Text for plans and messages.
    public var description: String
    /// Given the slots of `names` (same order) in one concrete pattern, returns the test.
    /// The test must be safe to call concurrently.
    public var make: ([MotifSlot]) -> (MotifBinding) -> Bool

    public init(names: [String], description: String, make: @escaping ([MotifSlot]) -> (MotifBinding) -> Bool) {
        self.names = names
        self.description = description
        self.make = make
    }
}

/// Search options beyond GraphFrames' defaults (which are all off).
public struct MotifOptions: @unchecked Sendable {
    /// All named vertices bind pairwise distinct vertices (paths without repeats).
    public var distinctVertices = false
    /// All positive edges (named or not) bind pairwise distinct edges.
    public var distinctEdges = false
    /// Per-edge times (for example microseconds since the epoch), needed by `timeOrder` and
    /// `window`.
    public var edgeTimes: [Int64]?
    /// Time moves forward along the pattern: for edges e before f in the pattern with
    /// e's destination slot equal to f's source slot, `time(e) < time(f)`.
    public var timeOrder = false
    /// All bound positive edges lie within this span: max(time) - min(time) <= window.
    public var window: Int64?
    /// Filter conjuncts, each checked as soon as its elements are bound.
    public var conjuncts: [MotifConjunct] = []
    /// Sorted output (by bound ids in output order). Off: rows come in search order.
    public var ordered = true
    /// Stop after this many rows.
    public var limit: Int?
    /// Worker count for the parallel search (results do not depend on it).
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}

import Foundation
