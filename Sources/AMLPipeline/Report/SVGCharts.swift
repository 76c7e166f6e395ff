// Inline SVG charts for the report: horizontal bars and a histogram. No scripts, no fonts
// beyond the page's, so the file renders the same offline.

enum SVGCharts {
    /// Horizontal bars, one per (label, value), longest first as given.
    static func bars(_ items: [(label: String, value: Double)], id: String, unit: String = "", width: Double = 720) -> String {
        guard !items.isEmpty else { return "<p class=\"empty\">Nothing to show.</p>" }
        let rowHeight = 24.0, labelWidth = 260.0
        let height = Double(items.count) * rowHeight + 8
        let maxValue = max(items.map(\.value).max() ?? 1, 1e-9)
        var svg = "<svg id=\"\(id)\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(HTML.coord(width)) \(HTML.coord(height))\" width=\"\(HTML.coord(width))\" height=\"\(HTML.coord(height))\">"
        for (i, item) in items.enumerated() {
            let y = Double(i) * rowHeight + 4
            let w = max(1, (width - labelWidth - 110) * item.value / maxValue)
            svg += "<text x=\"\(HTML.coord(labelWidth - 8))\" y=\"\(HTML.coord(y + 16))\" text-anchor=\"end\" class=\"label\">\(HTML.escape(item.label))</text>"
            svg += "<rect class=\"bar\" x=\"\(HTML.coord(labelWidth))\" y=\"\(HTML.coord(y + 3))\" width=\"\(HTML.coord(w))\" height=\"\(HTML.coord(rowHeight - 8))\"><title>\(HTML.escape(item.label)): \(HTML.number(item.value))\(unit)</title></rect>"
            svg += "<text x=\"\(HTML.coord(labelWidth + w + 6))\" y=\"\(HTML.coord(y + 16))\" class=\"value\">\(HTML.number(item.value))\(HTML.escape(unit))</text>"
        }
        return svg + "</svg>"
    }

    /// A histogram of counts per bucket label, bottom-aligned columns.
    static func histogram(_ buckets: [(label: String, count: Int)], id: String, width: Double = 720, height: Double = 220) -> String {
        guard !buckets.isEmpty else { return "<p class=\"empty\">Nothing to show.</p>" }
        let maxCount = max(buckets.map(\.count).max() ?? 1, 1)
        let plotHeight = height - 40
        let columnWidth = (width - 20) / Double(buckets.count)
        var svg = "<svg id=\"\(id)\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(HTML.coord(width)) \(HTML.coord(height))\" width=\"\(HTML.coord(width))\" height=\"\(HTML.coord(height))\">"
        for (i, b) in buckets.enumerated() {
            let x = 10 + Double(i) * columnWidth
            let h = b.count == 0 ? 0 : max(2, plotHeight * Double(b.count) / Double(maxCount))
            svg += "<rect class=\"bar\" x=\"\(HTML.coord(x + 2))\" y=\"\(HTML.coord(plotHeight - h + 14))\" width=\"\(HTML.coord(columnWidth - 4))\" height=\"\(HTML.coord(h))\"><title>\(HTML.escape(b.label)): \(b.count)</title></rect>"
            svg += "<text x=\"\(HTML.coord(x + columnWidth / 2))\" y=\"\(HTML.coord(plotHeight + 30))\" text-anchor=\"middle\" class=\"label small\">\(HTML.escape(b.label))</text>"
            svg += "<text x=\"\(HTML.coord(x + columnWidth / 2))\" y=\"\(HTML.coord(plotHeight - h + 10))\" text-anchor=\"middle\" class=\"value small\">\(b.count)</text>"
        }
        return svg + "</svg>"
    }
}
