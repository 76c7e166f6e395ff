/// Which protocol versions and table features this implementation reads and writes
/// (PROTOCOL.md "Protocol Evolution", "Table Features"). Anything else is refused with a
/// message naming the version or feature, never misread.
public enum ProtocolSupport {
    /// Reader features whose presence does not change how files are read.
    /// (`deletionVectors`: deleted rows are left out; `columnMapping`: names and ids resolved;
    /// `v2Checkpoint`: UUID-named JSON/Parquet checkpoints, `checkpointMetadata` and sidecar
    /// files are read.)
    /// `variantType` (and its `-preview` name): a `variant` column is read as the struct
    /// PROTOCOL.md stores it as, struct<metadata: binary, value: binary> (as delta-rs returns
    /// it). Shredded variants (`variantShredding`) are refused.
    public static let readerFeatures: Set<String> = ["timestampNtz", "vacuumProtocolCheck", "deletionVectors", "columnMapping", "v2Checkpoint",
                                                     "variantType", "variantType-preview"]
    /// Writer features we honour when writing.
    /// (`invariants` and `checkConstraints` are evaluated on every written row; vacuum and
    /// checkpoint run the writer check, as `vacuumProtocolCheck` asks. `v2Checkpoint` only
    /// governs checkpoints: PROTOCOL.md always allows a classic V1-spec checkpoint, which is
    /// what `checkpoint` writes, and forbids multi-part ones, which amlgraph never writes.)
    public static let writerFeatures: Set<String> = ["appendOnly", "invariants", "checkConstraints", "timestampNtz", "vacuumProtocolCheck", "v2Checkpoint"]

    /// Throws `unsupported` unless the table can be read correctly.
    public static func checkReadable(_ p: ProtocolAction, _ m: MetadataAction, root: String) throws {
        switch p.minReaderVersion {
        case 1: return
        case 2: return // column mapping is the only reader-v2 feature (ColumnMapping reads it)
        case 3:
            for f in p.readerFeatures ?? [] where !readerFeatures.contains(f) {
                throw DeltaError.unsupported("\(root) needs reader feature '\(f)' (supported: \(readerFeatures.sorted().joined(separator: ", ")))")
            }
        default:
            throw DeltaError.unsupported("\(root) needs reader version \(p.minReaderVersion); amlgraph reads versions 1-3")
        }
    }

    /// Throws `unsupported` unless we can write this table without breaking its guarantees.
    public static func checkWritable(_ p: ProtocolAction, _ m: MetadataAction, root: String) throws {
        try checkReadable(p, m, root: root)
        // Writers would have to assign physical names and ids; amlgraph reads such tables only.
        if p.minReaderVersion >= 2, let mode = m.configuration["delta.columnMapping.mode"], mode != "none" {
            throw DeltaError.unsupported("\(root) uses column mapping (mode \(mode)); amlgraph reads such tables but does not write them")
        }
        switch p.minWriterVersion {
        case 1, 2, 3: return // 2: appendOnly + invariants; 3: adds checkConstraints
        case 7:
            for f in p.writerFeatures ?? [] where !writerFeatures.contains(f) {
                throw DeltaError.unsupported("\(root) needs writer feature '\(f)' to write (supported: \(writerFeatures.sorted().joined(separator: ", ")))")
            }
        default:
            throw DeltaError.unsupported("\(root) needs writer version \(p.minWriterVersion); amlgraph writes versions 1-3 and 7 with features \(writerFeatures.sorted().joined(separator: ", "))")
        }
    }
}
