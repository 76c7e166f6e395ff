import AMLWorkbench
import ArgumentParser
import Columnar
import SparkConnect

struct SparkSQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark-sql",
        abstract: "Run a Spark SQL query on a Spark Connect server and write its rows.",
        discussion: """
        The rows come back as Arrow batches and are written like any other table. For
        checking a server and the client's types; large results belong in Parquet written
        by Spark itself. With --schema, only the result's schema is asked for (AnalyzePlan)
        and printed as name:type lines.

        Examples:
          amlgraph spark-sql "SELECT version()" --spark-remote sc://localhost:15002 --out -
          amlgraph spark-sql "SELECT * FROM parquet.`/data/t.parquet` LIMIT 10" --out sample.csv
        """
    )

    @Argument(help: "The SQL query.") var query: String
    @Option(name: .customLong("spark-remote"), help: "Spark Connect server, sc://HOST:PORT (default: $SPARK_REMOTE).") var sparkRemote: String?
    @Option(help: "Output file; `-` for stdout.") var out = "-"
    @Option(help: "Output format: csv, parquet or delta (default: by what --out looks like).") var format: String?
    @Flag(help: "Print the result schema (name:type per line) instead of running the query.") var schema = false

    func run() throws {
        guard let address = sparkRemote ?? ProcessInfoEnvironment.value("SPARK_REMOTE") else {
            throw CLIError("spark-sql needs --spark-remote sc://HOST:PORT (or SPARK_REMOTE)")
        }
        do {
            let client = try SparkConnectClient(address)
            if schema {
                for field in try client.schema(of: .sql(query)).fields { print("\(field.name):\(field.type)") }
                return
            }
            try TableIO.write(try client.sql(query), to: out, format: TableFormat.parse(format))
        } catch let error as SparkConnectError {
            if error.isUserError { throw CLIError(error.description) }
            throw error
        }
    }
}
