import Columnar
import PropertyGraph

/// Summary statistics of a component labelling.
public struct ComponentStats: Equatable, Sendable, CustomStringConvertible {
    public var vertices: Int
    public var count: Int
    public var largest: Int
    public var smallest: Int
    public var mean: Double
    /// Nearest-rank percentiles of the component sizes.
    public var p50: Int
    public var p90: Int
    public var p99: Int
    /// Components of exactly one vertex.
    public var singletons: Int

    public var description: String {
        "components=\(count) vertices=\(vertices) largest=\(largest) singletons=\(singletons) sizes: min=\(smallest) mean=\(String(format: "%.2f", mean)) p50=\(p50) p90=\(p90) p99=\(p99) max=\(largest)"
    }
}

/// The outcome of a components kernel: a label per vertex (the internal id of the smallest
/// vertex in its component) and statistics. Convert with `table()`.
public struct ComponentsResult: Sendable {
    public let graph: PropertyGraph
    /// `labels[v]` is the smallest internal id in `v`'s component.
    public let labels: [UInt32]

    public init(graph: PropertyGraph, labels: [UInt32]) {
        self.graph = graph
        self.labels = labels
    }

    /// Size of the component of each representative, indexed by internal id (0 elsewhere).
    public var sizesByRepresentative: [Int] {
        var sizes = [Int](repeating: 0, count: labels.count)
        for l in labels { sizes[Int(l)] += 1 }
        return sizes
    }

    /// Count, largest and the size distribution. O(V + C log C).
    public var stats: ComponentStats {
        let sizes = sizesByRepresentative.filter { $0 > 0 }.sorted()
        guard !sizes.isEmpty else {
            return ComponentStats(vertices: 0, count: 0, largest: 0, smallest: 0, mean: 0, p50: 0, p90: 0, p99: 0, singletons: 0)
        }
        func rank(_ q: Double) -> Int { sizes[max(0, min(sizes.count - 1, Int((q * Double(sizes.count)).rounded(.up)) - 1))] }
        return ComponentStats(vertices: labels.count, count: sizes.count, largest: sizes.last!, smallest: sizes.first!,
                              mean: Double(labels.count) / Double(sizes.count), p50: rank(0.5), p90: rank(0.9), p99: rank(0.99),
                              singletons: sizes.prefix { $0 == 1 }.count)
    }

    /// `id, component`: each vertex's external id and its component's smallest external id,
    /// ordered by id.
    public func table() throws -> Table {
        try Table([("id", graph.ids.column), ("component", graph.ids.column(for: labels))])
    }
}
