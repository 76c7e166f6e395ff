// Runs the async gRPC calls from the synchronous CLI and library API.
import Dispatch

final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Runs `body` on the concurrency pool and waits for it: the CLI's commands are synchronous,
/// and the client's public API is synchronous to match every other library call here.
func blocking<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}
