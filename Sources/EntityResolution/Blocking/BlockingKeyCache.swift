import Columnar
import Foundation

/// The join keys of each blocking rule over one table, computed once: training blocks on the
/// same rules as prediction (and λ counts a rule's keys), so a resolver keys each rule once.
/// Thread-safe; holds 4 or 8 bytes per row per rule. Valid for one table only.
public final class BlockingKeyCache: @unchecked Sendable {
    private var stored: [String: (left: [UInt32], right: [UInt32])] = [:]
    private let lock = NSLock()

    public init() {}

    /// `rule.keyIDs(table)`, computed on first use per rule text.
    public func keys(_ rule: BlockingRule, _ table: Table) throws -> (left: [UInt32], right: [UInt32]) {
        lock.lock()
        if let hit = stored[rule.text] { lock.unlock(); return hit }
        lock.unlock()
        let computed = try rule.keyIDs(table)
        lock.lock()
        stored[rule.text] = computed
        lock.unlock()
        return computed
    }
}
