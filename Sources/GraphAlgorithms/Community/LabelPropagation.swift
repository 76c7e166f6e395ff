// Label propagation (Raghavan, Albert & Kumara 2007) with GraphFrames' `labelPropagation`
// semantics (GraphX `LabelPropagation.run(graph, maxSteps)`):
// - every vertex starts with its own id as label;
// - each step is synchronous: every edge u->v tells v the label of u and tells u the label
//   of v (direction is ignored; a parallel edge counts once per copy; a self-loop tells its
//   vertex its own label twice);
// - a vertex adopts the label it heard most often; a vertex that heard nothing keeps its
//   label; its own current label gets no extra vote;
// - exactly `maxSteps` steps are run (GraphX has no convergence test).
// GraphX breaks ties by hash-map iteration order, which is not reproducible. amlgraph breaks
// them towards the smallest label (the smallest vertex id), so results are deterministic.
//
// Execution: each step gathers every vertex's neighbour labels from the CSR and CSC into a
// per-thread buffer, sorts it and takes the first longest run. O(maxSteps · (V + E log d)),
// parallel over vertex chunks; every vertex is written by one thread.
import Columnar
import Dispatch
import PropertyGraph

/// Community labels per vertex (internal id of the label's origin vertex).
public struct LabelPropagationResult: Sendable {
    public let graph: PropertyGraph
    /// `labels[v]` is an internal vertex id.
    public let labels: [UInt32]
    public let steps: Int
    /// How many vertices changed label in each step.
    public let changesPerStep: [Int]

    /// `id, label`, ordered by id; the label is the external id it started from (GraphFrames'
    /// column name).
    public func table() throws -> Table { try Table([("id", graph.ids.column), ("label", graph.ids.column(for: labels))]) }
}

/// Synchronous label propagation (see the file header for the exact rule).
public enum LabelPropagation {
    /// Runs `maxSteps` synchronous steps. O(maxSteps · (V + E log d)).
    public static func run(_ graph: PropertyGraph, maxSteps: Int) -> LabelPropagationResult {
        let n = graph.vertexCount
        var labels = (0..<n).map { UInt32($0) }
        guard n > 0, maxSteps > 0 else { return LabelPropagationResult(graph: graph, labels: labels, steps: 0, changesPerStep: []) }
        let out = graph.outAdjacency, inn = graph.inAdjacency
        var next = labels
        let chunks = max(1, min(256, n / 1024))
        var changes: [Int] = []
        var changedPerChunk = [Int](repeating: 0, count: chunks)
        for _ in 0..<maxSteps {
            labels.withUnsafeBufferPointer { cur in
                next.withUnsafeMutableBufferPointer { nx in
                    changedPerChunk.withUnsafeMutableBufferPointer { ch in
                        let nxb = nx.baseAddress!, chb = ch.baseAddress!
                        DispatchQueue.concurrentPerform(iterations: chunks) { k in
                            var heard: [UInt32] = []
                            var changed = 0
                            for v in (n * k / chunks)..<(n * (k + 1) / chunks) {
                                heard.removeAll(keepingCapacity: true)
                                let vid = UInt32(v)
                                for e in out.range(vid) { heard.append(cur[Int(out.neighbors[e])]) }
                                for e in inn.range(vid) { heard.append(cur[Int(inn.neighbors[e])]) }
                                let chosen = heard.isEmpty ? cur[v] : mostFrequentSmallest(&heard)
                                nxb[v] = chosen
                                if chosen != cur[v] { changed += 1 }
                            }
                            chb[k] = changed
                        }
                    }
                }
            }
            swap(&labels, &next)
            changes.append(changedPerChunk.reduce(0, +))
        }
        return LabelPropagationResult(graph: graph, labels: labels, steps: maxSteps, changesPerStep: changes)
    }

    /// The most frequent value, ties to the smallest. Sorts `values` in place.
    @inline(__always)
    static func mostFrequentSmallest(_ values: inout [UInt32]) -> UInt32 {
        values.sort()
        var best = values[0], bestCount = 0
        var i = 0
        while i < values.count {
            var j = i + 1
            while j < values.count, values[j] == values[i] { j += 1 }
            if j - i > bestCount { best = values[i]; bestCount = j - i }
            i = j
        }
        return best
    }
}
