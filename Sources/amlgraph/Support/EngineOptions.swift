import ArgumentParser
import Foundation
import SparkConnect
import SparkEngine

extension SparkEngineError: UserFacingError {}

/// `--engine local|spark` and the Spark Connect address, shared by the commands that can run
/// on a Spark cluster.
struct EngineOptions: ParsableArguments {
    enum Engine: String, ExpressibleByArgument, CaseIterable { case local, spark }

    @Option(help: "Where to compute: local (this machine) or spark (a Spark Connect server; see --spark-remote).")
    var engine: Engine = .local
    @Option(name: .customLong("spark-remote"), help: "Spark Connect server, sc://HOST:PORT (default: $SPARK_REMOTE).")
    var sparkRemote: String?
    @Option(name: .customLong("spark-staging"), help: "Directory for the Parquet files exchanged with Spark; on a cluster it must be shared storage mounted at the same path (default: a temporary directory).")
    var sparkStaging: String?
    @Flag(name: .customLong("spark-keep-staging"), help: "Keep the staging directory (to inspect Spark's intermediate files).")
    var keepStaging = false

    var isSpark: Bool { engine == .spark }

    /// Opens a Spark session and staging directory, runs `body`, and closes them; Spark
    /// Connect failures become one-line errors (exit 1 for the user's, exit 2 for protocol bugs).
    func withSpark<T>(_ body: (SparkWorkspace) throws -> T) throws -> T {
        guard let address = sparkRemote ?? ProcessInfoEnvironment.value("SPARK_REMOTE") else {
            throw CLIError("--engine spark needs --spark-remote sc://HOST:PORT (or SPARK_REMOTE)")
        }
        do {
            let client = try SparkConnectClient(address)
            let workspace = try SparkWorkspace(client: client, base: sparkStaging)
            workspace.keep = keepStaging
            defer { workspace.close() }
            return try body(workspace)
        } catch let error as SparkConnectError {
            if error.isUserError { throw CLIError(error.description) }
            throw error
        }
    }
}

enum ProcessInfoEnvironment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let s = String(cString: raw)
        return s.isEmpty ? nil : s
    }
}
