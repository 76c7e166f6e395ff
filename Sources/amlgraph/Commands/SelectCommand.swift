import AMLWorkbench
import ArgumentParser
import Columnar

extension ExpressionError: UserFacingError {}

struct SelectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "select",
        abstract: "Filter rows and compute columns with the expression language.",
        discussion: """
        --where keeps the rows where the expression is true (null counts as false, as in SQL).
        --columns is a comma-separated list of `expression [as name]`; without it every input
        column is kept. Expressions use SQL syntax: arithmetic, comparisons,
        and/or/not, is null, in (...), between, like, case when ... end, cast(x as
        type) and the functions coalesce, abs, greatest, least, lower, upper, trim,
        length, substr, round, floor, ceil, sqrt, ln, exp, pow, if. `/` always
        divides as doubles (5 / 2 = 2.5). Durations such as 30d, 12h, 15m, 10s are
        microseconds, for timestamp arithmetic.

        Examples:
          amlgraph select --input datasets/small/transactions.csv --where \\
              "txn_amount between 9000 and 9999 and originator_id <> beneficiary_id" \\
              --out near_threshold.csv
          amlgraph select --input entities.csv --where \\
              "lower(name) like '%holdings%'" --columns \\
              "entity_id, upper(trim(name)) as name, coalesce(risk_score, 0) * 2 as doubled" \\
              --out -
        """
    )

    @Option(help: "Input table (CSV).") var input: String
    @Option(name: .customLong("where"), help: "Keep rows where this expression is true.") var whereExpression: String?
    @Option(help: "Output columns: `expr [as name], ...` (default: all input columns).") var columns: String?
    @Option(help: "Keep at most this many rows (after filtering).") var limit: Int?
    @Option(help: "Output file; `-` for stdout.") var out: String
    @Option(name: .customLong("timings-json"), help: "Write stage timings (seconds) as JSON here.") var timingsJSON: String?
    @Flag(help: "No progress display.") var quiet = false
    @OptionGroup var csv: CSVInputOptions

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() throws {
        let progress = Progress(quiet: quiet)
        defer { progress.finish() }
        var clock = Stopwatch()
        // Syntax errors surface before the file is read.
        _ = try whereExpression.map { try Expression.parse($0) }
        let projection = try columns.map { try ExpressionParser.parseProjection($0) }
        progress.stage("reading \(input)")
        var table = try csv.read(input)
        let loadSeconds = clock.lap()
        progress.stage("evaluating")
        let scope = ExpressionScope([("", table.schema)])
        if let whereExpression {
            let filter = try ExpressionEvaluator(whereExpression, scope: scope)
            try filter.requireBool("--where")
            var keep = try filter.selection(["": ExpressionInput(table)], rowCount: table.rowCount)
            if let limit, keep.count > limit { keep = Array(keep.prefix(limit)) }
            table = table.gather(keep)
        } else if let limit, table.rowCount > limit {
            table = table.slice(0..<limit)
        }
        if let projection {
            var pairs: [(String, Column)] = []
            for (name, expression) in projection {
                guard !pairs.contains(where: { $0.0 == name }) else { throw CLIError("--columns: the name '\(name)' is used twice; rename one with `as`") }
                let evaluator = try ExpressionEvaluator(expression, source: columns!, scope: scope)
                pairs.append((name, try evaluator.evaluate(["": ExpressionInput(table)], rowCount: table.rowCount)))
            }
            table = try Table(pairs)
        }
        let evalSeconds = clock.lap()
        progress.stage("writing \(out)")
        try TableIO.write(table, to: out)
        let writeSeconds = clock.lap()
        progress.finish()
        if let timingsJSON {
            try TimingsJSON.write([("load_s", loadSeconds), ("eval_s", evalSeconds), ("write_s", writeSeconds), ("total_s", clock.total), ("rows", table.rowCount)], to: timingsJSON)
        }
    }
}
