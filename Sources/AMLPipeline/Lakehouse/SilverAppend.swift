// An incremental day in silver: the new bronze files are validated on their own and appended,
// giving the rows a rebuild over all of bronze would give.
import Columnar
import DeltaLake

/// The silver rows of an incremental day and what they are checked against.
struct SilverIncrement {
    /// The new bronze rows (this run's files, in ingest order).
    var bronze: Table
    /// Silver, quarantine and quality rows of the new rows only.
    var result: SilverResult
    /// Silver as earlier runs left it.
    var kept: Table
}

enum SilverAppend {
    /// Validates `added` (this run's bronze batches of `kind`) against the expectations, with
    /// the keys silver already holds counted as seen, so a key repeated from an earlier day is
    /// quarantined as `unique_<key>` just as a rebuild would. Row rules look at one row at a
    /// time, so the new rows pass or fail as they would in a rebuild.
    /// Returns nil when appending would not give a rebuild's table: the new rows' columns or
    /// types differ from silver's (a new column, text ids where silver has integers), which a
    /// rebuild resolves by widening every row.
    /// O(new rows · expectations + silver rows read).
    static func build(kind: InputKind, added: [Table], silverRoot: String, quarantineRoot: String,
                      suite: ExpectationSuite) throws -> SilverIncrement? {
        guard DeltaTable.isDeltaTable(silverRoot), DeltaTable.isDeltaTable(quarantineRoot) else { return nil }
        let bronze = try TableUnion.byName(added)
        let kept = try DeltaTable.read(silverRoot)
        let quarantineSchema = try Snapshot.load(quarantineRoot).schema()
        let result = try SilverStage.build(kind: kind, bronze: bronze, suite: suite,
                                           keptKeys: ExpectationSuite.keys[kind.rawValue].flatMap { try? kept.column($0) })
        func shape(_ s: Schema) -> [String] { s.fields.map { "\($0.name):\($0.type)" } }
        guard shape(result.silver.schema) == shape(kept.schema), shape(result.quarantine.schema) == shape(quarantineSchema) else { return nil }
        return SilverIncrement(bronze: bronze, result: result, kept: kept)
    }
}
