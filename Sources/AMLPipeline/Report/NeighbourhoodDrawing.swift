// Draws an alerted entity's one-hop payment neighbourhood as SVG: the entity in the middle,
// its largest counterparties on a circle with their names, arrows in the direction money
// moved labelled with the summed amounts, and the counterparties that also alerted outlined
// in red and linked to their own sections.
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
    /// An SVG of `center` and the first `limit` of `flows` (give them largest first).
    /// `anchorOf` maps alerted entity ids to their section anchors; those counterparties are
    /// outlined and linked. Deterministic. O(limit).
    static func svg(center: String, centerName: String, flows: [CounterpartyFlow], anchorOf: [String: String], id: String, limit: Int = 12) -> String {
        let width = 560.0, height = 470.0, midX = width / 2, midY = height / 2 - 4, radius = 170.0
        let shown = flows.prefix(limit)
        var svg = "<svg id=\"\(id)\" class=\"subgraph\" role=\"img\" aria-label=\"Payments between entity \(HTML.escape(center)) and its counterparties\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<defs><marker id=\"\(id)-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrowhead\"/></marker></defs>"
        if shown.isEmpty {
            svg += "<text x=\"\(Int(midX))\" y=\"\(Int(midY) - 40)\" text-anchor=\"middle\" class=\"label\">no payments</text>"
        }
        for (i, f) in shown.enumerated() {
            let angle = 2 * Double.pi * Double(i) / Double(shown.count) - Double.pi / 2
            let x = midX + radius * cos(angle), y = midY + radius * sin(angle)
            // Keep arrows off the node circles.
            let dx = x - midX, dy = y - midY, len = max(1, (dx * dx + dy * dy).squareRoot())
            let ux = dx / len, uy = dy / len
            let near = (midX + ux * 32, midY + uy * 32), far = (x - ux * 20, y - uy * 20)
            // Labels sit past the middle of the edge, where neighbouring edges are further apart.
            let along = (near.0 + (far.0 - near.0) * 0.62, near.1 + (far.1 - near.1) * 0.62)
            if f.sent > 0 {
                svg += line(from: (near.0 - uy * 5, near.1 + ux * 5), to: (far.0 - uy * 5, far.1 + ux * 5), marker: "\(id)-arrow", cls: "out")
                svg += label(at: (along.0 - uy * 14, along.1 + ux * 14 + 3), HTML.number(f.sent), cls: "amount out")
            }
            if f.received > 0 {
                svg += line(from: (far.0 + uy * 5, far.1 - ux * 5), to: (near.0 + uy * 5, near.1 - ux * 5), marker: "\(id)-arrow", cls: "in")
                svg += label(at: (along.0 + uy * 14, along.1 - ux * 14 + 3), HTML.number(f.received), cls: "amount in")
            }
            let anchor = anchorOf[f.counterparty]
            var node = "<circle class=\"node\(anchor != nil ? " alerted" : "")\" cx=\"\(HTML.coord(x))\" cy=\"\(HTML.coord(y))\" r=\"18\"><title>\(HTML.escape(f.name.isEmpty ? f.counterparty : f.name)) (\(HTML.escape(f.counterparty))): \(f.count) payment(s)\(anchor != nil ? ", also alerted" : "")</title></circle>"
            node += label(at: (x, y + 4), short(f.counterparty, 7), cls: "node-label")
            // Names go outside the circle, on the side away from the centre.
            let below = y >= midY - 1
            node += label(at: (x, below ? y + 32 : y - 25), short(f.name, 22), cls: "node-name")
            if let anchor {
                svg += "<a class=\"node-link\" href=\"#\(HTML.escape(anchor))\">\(node)</a>"
            } else {
                svg += node
            }
        }
        svg += "<circle class=\"node center\" cx=\"\(Int(midX))\" cy=\"\(Int(midY))\" r=\"30\"><title>\(HTML.escape(centerName)) (\(HTML.escape(center)))</title></circle>"
        svg += label(at: (midX, midY + 4), short(center, 8), cls: "node-label center")
        return svg + "</svg>"
    }

    /// `s` cut to `n` characters with an ellipsis.
    static func short(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    private static func line(from a: (Double, Double), to b: (Double, Double), marker: String, cls: String) -> String {
        "<line class=\"edge \(cls)\" x1=\"\(HTML.coord(a.0))\" y1=\"\(HTML.coord(a.1))\" x2=\"\(HTML.coord(b.0))\" y2=\"\(HTML.coord(b.1))\" marker-end=\"url(#\(marker))\"/>"
    }

    private static func label(at p: (Double, Double), _ text: String, cls: String) -> String {
        "<text x=\"\(HTML.coord(p.0))\" y=\"\(HTML.coord(p.1))\" text-anchor=\"middle\" class=\"\(cls)\">\(HTML.escape(text))</text>"
    }
}
