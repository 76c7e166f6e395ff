// Entity-only gold tables (synthetic identity, address flags, entity dedupe) depend only on
// silver entity/organisation tables and their settings. A run that brings no new entity rows
// and the same settings reuses them instead of recomputing: each complete run records, per
// such table, the table's Delta version and a fingerprint of its inputs (the silver versions
// read, a hash of the settings and the build's identity); a later gold run reuses the table when both match.
import DeltaLake
import Columnar
import Foundation

enum GoldReuse {
    /// The gold tables computed from entity-side silver tables only, with those tables.
    static let entityOnly: [String: [InputKind]] = [
        "synthetic_identity": [.entities], "address_flags": [.entities], "entity_dedupe": [.dedupe],
    ]

    /// A hash of the settings `table` is computed with (and the masking it is written with),
    /// from their reflected description: the same settings in the same build give the same
    /// hash; any change of a field gives another. FNV-1a 64.
    /// - Complexity: O(size of the settings' description).
    static func settingsHash(_ table: String, settings: GoldSettings) -> String {
        let relevant: String
        switch table {
        case "address_flags": relevant = String(describing: settings.addressFlags)
        case "entity_dedupe": relevant = String(describing: settings.entityDedupe)
        default: relevant = "synthetic_identity"
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (relevant + "|" + String(describing: settings.masking)).utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01b3
        }
        return String(h, radix: 16)
    }

    /// The fingerprint of `table`'s inputs as the lake holds them now: the Delta version of
    /// each silver table it reads (`none` when absent) and its settings hash.
    static func fingerprint(_ table: String, lake: String, settings: GoldSettings) -> String {
        let silver = (entityOnly[table] ?? []).map { kind -> String in
            let root = (lake as NSString).appendingPathComponent("silver/\(kind.rawValue)")
            let v = (try? Snapshot.load(root).version).map { String($0) } ?? "none"
            return "\(kind.rawValue)@\(v)"
        }
        return (silver + ["settings=" + settingsHash(table, settings: settings), "build=" + buildIdentity]).joined(separator: ";")
    }

    /// The build computing the tables: the running executable's size and modification time, so
    /// a rebuilt or upgraded binary (whose detectors may differ) recomputes instead of reusing
    /// what an older build wrote. `unknown` where the executable cannot be stat'ed (then reuse
    /// still requires equal settings and silver versions). O(1).
    static let buildIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// What the complete runs recorded for each entity-only gold table, the latest winning:
    /// `"gold/address_flags" -> "<table version>|<fingerprint>"`. Empty for lakes whose `runs`
    /// table predates the record. O(runs).
    static func recorded(lake: String) -> [String: String] {
        let root = (lake as NSString).appendingPathComponent("runs")
        guard DeltaTable.isDeltaTable(root),
              let runs = try? DeltaTable.read(root), let started = try? runs.column("started_ts"),
              let status = try? runs.column("status"), let inputs = try? runs.column("gold_inputs") else { return [:] }
        var out: [String: String] = [:]
        for r in (0..<runs.rowCount).sorted(by: { (started.value(at: $0).intValue ?? 0) < (started.value(at: $1).intValue ?? 0) }) {
            guard status.value(at: r).stringValue == "complete", let text = inputs.value(at: r).stringValue,
                  let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { continue }
            for (table, v) in object { out[table] = v }
        }
        return out
    }

    /// The entity-only gold tables that can be reused now, read back from the lake: those whose
    /// silver inputs this run does not write (`touched`), whose recorded fingerprint equals
    /// the current one, and whose Delta version is the one recorded.
    static func reusable(lake: String, settings: GoldSettings, touched: Set<InputKind>) -> [String: Table] {
        let record = recorded(lake: lake)
        var out: [String: Table] = [:]
        for (table, kinds) in entityOnly where !kinds.contains(where: touched.contains) {
            let root = (lake as NSString).appendingPathComponent("gold/\(table)")
            guard let entry = record["gold/\(table)"], let snapshot = try? Snapshot.load(root),
                  entry == "\(snapshot.version)|\(fingerprint(table, lake: lake, settings: settings))",
                  let t = try? DeltaTable.read(root) else { continue }
            out[table] = t
        }
        return out
    }
}
