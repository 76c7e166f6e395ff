// Customer identifiers (SSNs, phone numbers, emails, account numbers) masked wherever the
// report or a gold table would show them.
import Columnar

/// Which columns hold customer identifiers, and whether they are masked in gold tables and
/// the HTML report (the `privacy:` section of the pipeline config; `amlgraph report
/// --show-identifiers` for the report alone).
///
/// Masking keeps the last `keepLast` letters and digits of a value and replaces every earlier
/// letter or digit by `*`, separators kept (`043-01-0001` → `***-**-0001`, `+44 7508 371061`
/// → `+** **** **1061`, as card and SSN masks print them). An email keeps its first
/// character and its domain (`wei.jackson42@mail.com` → `w***@mail.com`). Columns are
/// matched by name, case-insensitively. Entity and account ids that key the gold tables and
/// the report's links are not masked (they are how an investigator finds the customer);
/// a bank whose ids are account numbers pseudonymises them before the pipeline.
public struct IdentifierMasking: ConfigSection, Equatable {
    /// Show identifiers in full instead of masked (default false).
    public var showInFull = false
    /// Letters and digits kept at the end of a masked value (default 4, as SSN and card masks).
    public var keepLast = 4
    /// Columns that hold customer identifiers (the canonical entity columns `ssn`,
    /// `phone_number`, `email_addr`, and the usual names of account and document numbers).
    public var columns = ["ssn", "phone_number", "email_addr", "phone", "email", "account_number", "iban", "tax_id", "passport_number", "national_id"]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case showInFull = "show_identifiers_in_full", keepLast = "keep_last", columns = "identifier_columns"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = IdentifierMasking()
        showInFull = try c.decodeIfPresent(Bool.self, forKey: .showInFull) ?? d.showInFull
        keepLast = try c.decodeIfPresent(Int.self, forKey: .keepLast) ?? d.keepLast
        columns = try c.decodeIfPresent([String].self, forKey: .columns) ?? d.columns
    }

    public static let documentation: [(key: String, text: String)] = [
        ("show_identifiers_in_full", "show SSNs, phones, emails and account numbers in full in gold tables and the report"),
        ("keep_last", "letters and digits left visible at the end of a masked identifier"),
        ("identifier_columns", "columns (any table) that hold customer identifiers"),
    ]

    public func problems() -> [(key: String, message: String)] {
        keepLast < 0 || keepLast > 64 ? [("keep_last", "expected a count from 0 to 64")] : []
    }

    /// True when `column` holds identifiers under these settings.
    public func masks(_ column: String) -> Bool {
        !showInFull && columns.contains { $0.lowercased() == column.lowercased() }
    }

    /// `value` masked (see the type's documentation). O(length).
    public func mask(_ value: String) -> String {
        if let at = value.lastIndex(of: "@"), at != value.startIndex {
            return String(value[value.startIndex]) + "***" + value[at...]
        }
        var visible = keepLast
        var out: [Character] = []
        for ch in value.reversed() {
            if ch.isLetter || ch.isNumber {
                if visible > 0 { visible -= 1; out.append(ch) } else { out.append("*") }
            } else {
                out.append(ch)
            }
        }
        return String(out.reversed())
    }

    /// `table` with every identifier column's text values masked (other columns shared).
    /// O(rows of the masked columns).
    public func apply(_ table: Table) -> Table {
        guard !showInFull, table.columnNames.contains(where: masks) else { return table }
        var pairs: [(String, Column)] = []
        for (name, column) in zip(table.columnNames, table.columns) {
            guard masks(name) else { pairs.append((name, column)); continue }
            // Numbers (an account number read as an integer) become masked text too.
            var b = ColumnBuilder(type: .string, capacity: column.count)
            for r in 0..<column.count {
                let v = column.value(at: r)
                if case let .string(s) = v { b.append(string: mask(s)) } else if v.isNull { b.appendNull() } else { b.append(string: mask(v.description)) }
            }
            pairs.append((name, b.finish()))
        }
        return (try? Table(pairs)) ?? table
    }
}
