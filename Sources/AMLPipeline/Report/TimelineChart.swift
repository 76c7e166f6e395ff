// An alerted entity's payments on a timeline: time across, amount up (log scale when amounts
// span more than a factor of 20), money out as blue circles, money in as orange squares, the
// transactions its evidence names ringed in red.
#if canImport(Glibc)
import Glibc
#endif

enum TimelineChart {
    /// One point of the chart.
    struct Point {
        var txnID: String
        var time: Double
        var amount: Double
        var outgoing: Bool
        var evidence: Bool
        /// Tooltip: date, direction, counterparty, amount.
        var title: String
    }

    /// An SVG of `points` (at most `limit` drawn: every evidence point, then the largest
    /// amounts; the caption says how many were left out). Points without a time are not
    /// drawn. Deterministic for equal inputs. O(points log points).
    static func svg(_ points: [Point], calendar: Bool, id: String, limit: Int = 400) -> String {
        let width = 760.0, height = 250.0
        let left = 70.0, right = 16.0, top = 26.0, bottom = 34.0
        let plotW = width - left - right, plotH = height - top - bottom
        guard !points.isEmpty else {
            return "<svg id=\"\(id)\" class=\"timeline\" role=\"img\" viewBox=\"0 0 \(Int(width)) 60\" width=\"\(Int(width))\" height=\"60\"><text x=\"\(Int(width / 2))\" y=\"34\" text-anchor=\"middle\" class=\"label\">no dated payments</text></svg>"
        }
        let shown = points.count <= limit ? points : Array(points.enumerated().sorted {
            if $0.element.evidence != $1.element.evidence { return $0.element.evidence }
            if $0.element.amount != $1.element.amount { return $0.element.amount > $1.element.amount }
            return $0.offset < $1.offset
        }.prefix(limit).map(\.element))

        var t0 = shown.map(\.time).min()!, t1 = shown.map(\.time).max()!
        if t1 - t0 < 1 { t0 -= calendar ? 43_200 : 0.5; t1 += calendar ? 43_200 : 0.5 }
        let amounts = shown.map(\.amount)
        let lo = amounts.min()!, hi = amounts.max()!
        let logScale = lo > 0 && hi / lo > 20
        // y range: whole decades on a log scale, zero to the top on a linear one.
        let (y0, y1): (Double, Double) = logScale
            ? (floor(log10(lo)), max(ceil(log10(hi)), floor(log10(lo)) + 1))
            : (min(0, lo), hi > min(0, lo) ? hi * 1.08 : min(0, lo) + 1)
        func x(_ t: Double) -> Double { left + plotW * (t - t0) / (t1 - t0) }
        func y(_ a: Double) -> Double {
            let v = logScale ? log10(max(a, 1e-300)) : a
            return top + plotH * (1 - (v - y0) / (y1 - y0))
        }

        var svg = "<svg id=\"\(id)\" class=\"timeline\" role=\"img\" aria-label=\"\(shown.count) payments by time and amount\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<rect class=\"plot\" x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\"/>"
        // Amount ticks.
        let yTicks: [Double] = logScale ? stride(from: y0, through: y1, by: 1).map { pow(10, $0) } : (0...4).map { y0 + (y1 - y0) * Double($0) / 4 }
        for v in yTicks {
            let py = HTML.coord(y(v))
            svg += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(py)\" y2=\"\(py)\"/>"
            svg += "<text class=\"tick\" x=\"\(left - 6)\" y=\"\(HTML.coord(y(v) + 4))\" text-anchor=\"end\">\(HTML.number(v))</text>"
        }
        // Time ticks: five, dates only unless the span is under three days.
        let withTime = calendar && t1 - t0 < 3 * 86_400
        for i in 0...4 {
            let t = t0 + (t1 - t0) * Double(i) / 4
            let anchor = i == 0 ? "start" : i == 4 ? "end" : "middle"
            svg += "<text class=\"tick\" x=\"\(HTML.coord(x(t)))\" y=\"\(HTML.coord(top + plotH + 16))\" text-anchor=\"\(anchor)\">\(HTML.escape(ReportColumns.formatTime(t, calendar: calendar, withTime: withTime)))</text>"
        }
        svg += "<text class=\"axis-label\" x=\"12\" y=\"\(HTML.coord(top + plotH / 2))\" transform=\"rotate(-90 12 \(HTML.coord(top + plotH / 2)))\" text-anchor=\"middle\">amount\(logScale ? " (log)" : "")</text>"
        // Legend.
        svg += "<circle class=\"txn out\" cx=\"\(left + 6)\" cy=\"12\" r=\"4.5\"/><text class=\"legend\" x=\"\(left + 15)\" y=\"16\">paid out</text>"
        svg += "<rect class=\"txn in\" x=\"\(left + 82)\" y=\"8\" width=\"8\" height=\"8\"/><text class=\"legend\" x=\"\(left + 96)\" y=\"16\">received</text>"
        svg += "<circle class=\"ring\" cx=\"\(left + 170)\" cy=\"12\" r=\"6\"/><text class=\"legend\" x=\"\(left + 181)\" y=\"16\">named in the evidence</text>"
        // Evidence last, so it sits on top.
        for p in shown.filter({ !$0.evidence }) + shown.filter(\.evidence) {
            let px = HTML.coord(x(p.time)), py = HTML.coord(y(p.amount))
            let cls = "txn \(p.outgoing ? "out" : "in")\(p.evidence ? " evidence" : "")"
            let title = "<title>\(HTML.escape(p.title))</title>"
            let data = "data-txn=\"\(HTML.escape(p.txnID))\""
            if p.outgoing {
                svg += "<circle class=\"\(cls)\" \(data) cx=\"\(px)\" cy=\"\(py)\" r=\"\(p.evidence ? "5.5" : "4")\">\(title)</circle>"
            } else {
                let s = p.evidence ? 10.0 : 7.0
                svg += "<rect class=\"\(cls)\" \(data) x=\"\(HTML.coord(x(p.time) - s / 2))\" y=\"\(HTML.coord(y(p.amount) - s / 2))\" width=\"\(s)\" height=\"\(s)\">\(title)</rect>"
            }
            if p.evidence { svg += "<circle class=\"ring\" cx=\"\(px)\" cy=\"\(py)\" r=\"9\"/>" }
        }
        return svg + "</svg>"
    }
}
