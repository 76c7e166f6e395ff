// Which input files the pipeline ingests, and the fingerprint that makes ingest exactly-once.
import Columnar
import Foundation

/// The inputs the pipeline knows, with their declared bronze schemas.
public enum InputKind: String, CaseIterable, Sendable {
    case entities, transactions, dedupe

    public var schema: Schema {
        switch self {
        case .entities: return InputSchemas.entities
        case .transactions: return InputSchemas.transactions
        case .dedupe: return InputSchemas.dedupe
        }
    }

    /// Whether a run can go on without this input.
    public var isOptional: Bool { self == .dedupe }
}

/// One input file (or Delta table) found in the data folder.
public struct InputFile: Sendable, Equatable {
    public var kind: InputKind
    public var path: String
    /// File name relative to the data folder, as recorded in `_source_file`.
    public var name: String
    public var size: Int64
    /// 64-bit FNV-1a of the content (of the Delta version for a Delta input).
    public var hash: UInt64

    /// The Delta `txn` appId under which bronze records this file: the same path, size and
    /// content are ingested once, however often the pipeline runs.
    public var appID: String { "amlgraph.bronze.\(kind.rawValue).\(name).\(size).\(String(hash, radix: 16))" }
}

public enum InputFiles {
    /// Files for `kind` in `folder`: `kind.csv`, `kind_*.csv`, `kind-*.csv`, the same with
    /// `.parquet`, and a Delta table directory `kind` or `kind.delta`. Sorted by name, so runs
    /// ingest in a stable order. O(directory size + bytes hashed).
    public static func find(_ kind: InputKind, in folder: String) throws -> [InputFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var out: [InputFile] = []
        for name in names.sorted() {
            let lower = name.lowercased()
            let stem = kind.rawValue
            let path = (folder as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            if isDir.boolValue {
                guard lower == stem || lower == stem + ".delta", FileManager.default.fileExists(atPath: path + "/_delta_log") else { continue }
                out.append(InputFile(kind: kind, path: path, name: name, size: 0, hash: try deltaFingerprint(path)))
                continue
            }
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".parquet") else { continue }
            let base = lower.hasSuffix(".csv") ? String(lower.dropLast(4)) : String(lower.dropLast(8))
            guard base == stem || base.hasPrefix(stem + "_") || base.hasPrefix(stem + "-") else { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            out.append(InputFile(kind: kind, path: path, name: name, size: size, hash: try contentHash(path)))
        }
        return out
    }

    /// One input named by a config: a CSV/Parquet file or a Delta table at `path`. The
    /// fingerprint covers the content and `settingsFingerprint` (how it is parsed), so the
    /// same file read with other settings is ingested again.
    public static func file(_ kind: InputKind, path: String, settingsFingerprint: String) throws -> InputFile {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw PipelineError.missingInput("\(path): no such file (inputs.\(kind.rawValue).path)")
        }
        var settings: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in settingsFingerprint.utf8 { settings = (settings ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let name = (path as NSString).lastPathComponent
        if isDir.boolValue {
            guard FileManager.default.fileExists(atPath: path + "/_delta_log") else {
                throw PipelineError.missingInput("\(path): a folder but not a Delta table (inputs.\(kind.rawValue).path)")
            }
            return InputFile(kind: kind, path: path, name: name, size: 0, hash: try deltaFingerprint(path) ^ settings)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        return InputFile(kind: kind, path: path, name: name, size: size, hash: try contentHash(path) ^ settings)
    }

    /// FNV-1a over the file's bytes, read through a memory map. O(size).
    public static func contentHash(_ path: String) throws -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard ((attributes[.size] as? NSNumber)?.intValue ?? 0) > 0 else { return h }
        let file = try MappedFile(path: path)
        for b in file.bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// A Delta input is identified by its latest version's commit file.
    static func deltaFingerprint(_ path: String) throws -> UInt64 {
        let log = (path as NSString).appendingPathComponent("_delta_log")
        let commits = ((try? FileManager.default.contentsOfDirectory(atPath: log)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        guard let last = commits.last else { return 0 }
        return try contentHash((log as NSString).appendingPathComponent(last))
    }
}
