import AMLWorkbench
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stage-by-stage progress on stderr for long runs: silent for the first two seconds, then a
/// single self-rewriting line with the current stage and elapsed time. Only when stderr is
/// a terminal and `--quiet` is not given, so logs and pipes stay clean.
final class Progress: @unchecked Sendable {
    private let enabled: Bool
    private let start = DispatchTime.now()
    private let lock = NSLock()
    private var stage = "starting"
    private var detail = ""
    private var printed = false
    private var timer: DispatchSourceTimer?

    init(quiet: Bool) {
        enabled = !quiet && isatty(2) == 1
        guard enabled else { return }
        let t = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        t.schedule(deadline: .now() + 2, repeating: 0.5)
        t.setEventHandler { [weak self] in self?.draw() }
        t.resume()
        timer = t
    }

    deinit { timer?.cancel() }

    /// Names the stage now running.
    func stage(_ name: String) {
        lock.withLock { stage = name; detail = "" }
    }

    /// Extra detail for the current stage (e.g. "1.2M of 5M rows").
    func detail(_ text: String) {
        lock.withLock { detail = text }
    }

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    private func draw() {
        let line = lock.withLock { "\(stage)\(detail.isEmpty ? "" : " " + detail)" }
        fputs("\r\u{1B}[2K[amlgraph] \(line) … \(String(format: "%.1f", elapsed))s", stderr)
        lock.withLock { printed = true }
    }

    /// Stops the display and clears its line.
    func finish() {
        timer?.cancel()
        timer = nil
        if lock.withLock({ printed }) { fputs("\r\u{1B}[2K", stderr) }
    }
}

