// The peak resident memory of this process over an interval, for per-stage figures.
//
// Linux keeps a high-water mark of the resident set (VmHWM in /proc/self/status). Writing "5"
// to /proc/self/clear_refs (Linux >= 4.0) sets that mark back to the current resident set, so
// reset-then-read gives the peak over the interval alone. Where that file cannot be written
// (other kernels, hardened containers) the probe falls back to getrusage's ru_maxrss, the
// process's peak since it started, and says so through `method`.
//
// The reset is process-wide and one-way: getrusage's ru_maxrss, and the figure wait4 gives a
// parent at exit, read the same mark and so may miss peaks from before the last reset. The
// process's peak is the largest of its intervals' peaks.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `PeakMemoryProbe` measures a peak.
public enum PeakMemoryMethod: String, Sendable, Equatable {
    /// The kernel's high-water mark, reset at each interval's start through
    /// /proc/self/clear_refs: each figure is that interval's own peak.
    case clearRefs = "clear_refs"
    /// getrusage's ru_maxrss: each figure is the process's peak so far, so figures never
    /// decrease from one interval to the next and an interval's own peak may be lower.
    case rusage = "getrusage_maxrss"
}

/// Measures the peak resident set size over intervals. `reset()` opens an interval and
/// `peakMB()` reads its peak so far; both cost one small /proc read or write (O(1)).
public struct PeakMemoryProbe: Sendable {
    /// How the peaks are measured on this system, decided once at construction.
    public let method: PeakMemoryMethod

    /// Probes /proc once: clear_refs must accept "5" and /proc/self/status must show VmHWM.
    public init() {
        method = Self.clearPeak() && Self.statusKB("VmHWM:") != nil ? .clearRefs : .rusage
    }

    /// Starts a new interval: the next `peakMB()` covers only what follows. Does nothing
    /// under `.rusage`, which cannot be reset.
    public func reset() {
        if method == .clearRefs { _ = Self.clearPeak() }
    }

    /// The peak resident set in MB (2^20 bytes) since the last `reset()` under `.clearRefs`,
    /// since the process started under `.rusage`.
    public func peakMB() -> Double {
        if method == .clearRefs, let kb = Self.statusKB("VmHWM:") { return Double(kb) / 1024 }
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1_048_576   // bytes on Darwin
        #else
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024        // KiB on Linux
        #endif
    }

    /// Writes "5" (reset the peak RSS) to /proc/self/clear_refs; false when that fails.
    static func clearPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// The kB figure of a /proc/self/status line such as `VmHWM:   13472 kB`, nil if absent.
    static func statusKB(_ key: String) -> Int? {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix(key) {
            return Int(line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }
}
