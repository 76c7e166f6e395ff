// Draws an alerted entity's one-hop payment neighbourhood as SVG: the entity in the middle,
// its largest counterparties on a circle, arrows in the direction money moved, labelled with
// the summed amounts.
#if canImport(Glibc)
import Glibc
#endif

/// Money between one entity and one counterparty, both directions summed separately.
struct CounterpartyFlow {
    var counterparty: String
    var name: String
    var sent = 0.0
    var received = 0.0
    var count = 0
}

enum NeighbourhoodDrawing {
    /// An SVG of `center` and up to `limit` counterparties, largest total flow first.
    /// Deterministic: ties break by counterparty id.
    static func svg(center: String, centerName: String, flows: [CounterpartyFlow], highlight: Set<String>, id: String, limit: Int = 12) -> String {
        let size = 440.0, mid = size / 2, radius = 160.0
        let shown = flows.sorted {
            let a = $0.sent + $0.received, b = $1.sent + $1.received
            return a != b ? a > b : $0.counterparty < $1.counterparty
        }.prefix(limit)
        var svg = "<svg id=\"\(id)\" class=\"subgraph\" role=\"img\" viewBox=\"0 0 \(Int(size)) \(Int(size))\" width=\"\(Int(size))\" height=\"\(Int(size))\">"
        svg += "<defs><marker id=\"\(id)-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrowhead\"/></marker></defs>"
        if shown.isEmpty {
            svg += "<text x=\"\(Int(mid))\" y=\"\(Int(mid))\" text-anchor=\"middle\" class=\"label\">no payments</text>"
        }
        for (i, f) in shown.enumerated() {
            let angle = 2 * Double.pi * Double(i) / Double(shown.count) - Double.pi / 2
            let x = mid + radius * cos(angle), y = mid + radius * sin(angle)
            // Keep arrows off the node circles.
            let dx = x - mid, dy = y - mid, len = max(1, (dx * dx + dy * dy).squareRoot())
            let ux = dx / len, uy = dy / len
            let near = (mid + ux * 30, mid + uy * 30), far = (x - ux * 20, y - uy * 20)
            if f.sent > 0 {
                svg += line(from: (near.0 - uy * 5, near.1 + ux * 5), to: (far.0 - uy * 5, far.1 + ux * 5), marker: "\(id)-arrow", cls: "out")
                svg += label(at: ((near.0 + far.0) / 2 - uy * 14, (near.1 + far.1) / 2 + ux * 14), HTML.number(f.sent), cls: "amount out")
            }
            if f.received > 0 {
                svg += line(from: (far.0 + uy * 5, far.1 - ux * 5), to: (near.0 + uy * 5, near.1 - ux * 5), marker: "\(id)-arrow", cls: "in")
                svg += label(at: ((near.0 + far.0) / 2 + uy * 14, (near.1 + far.1) / 2 - ux * 14), HTML.number(f.received), cls: "amount in")
            }
            let hot = highlight.contains(f.counterparty) ? " alerted" : ""
            svg += "<circle class=\"node\(hot)\" cx=\"\(HTML.coord(x))\" cy=\"\(HTML.coord(y))\" r=\"18\"><title>\(HTML.escape(f.name)) (\(HTML.escape(f.counterparty))): \(f.count) payment(s)</title></circle>"
            svg += label(at: (x, y + 4), f.counterparty, cls: "node-label")
        }
        svg += "<circle class=\"node center\" cx=\"\(Int(mid))\" cy=\"\(Int(mid))\" r=\"28\"><title>\(HTML.escape(centerName))</title></circle>"
        svg += label(at: (mid, mid + 4), center, cls: "node-label center")
        return svg + "</svg>"
    }

    private static func line(from a: (Double, Double), to b: (Double, Double), marker: String, cls: String) -> String {
        "<line class=\"edge \(cls)\" x1=\"\(HTML.coord(a.0))\" y1=\"\(HTML.coord(a.1))\" x2=\"\(HTML.coord(b.0))\" y2=\"\(HTML.coord(b.1))\" marker-end=\"url(#\(marker))\"/>"
    }

    private static func label(at p: (Double, Double), _ text: String, cls: String) -> String {
        "<text x=\"\(HTML.coord(p.0))\" y=\"\(HTML.coord(p.1))\" text-anchor=\"middle\" class=\"\(cls)\">\(HTML.escape(text))</text>"
    }
}
