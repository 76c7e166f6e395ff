// Reading ahead while the caller works: one producer thread makes the next batch (CSV parsing
// and bronze typing) while the consumer validates and writes the current one, so the serial
// parts of the two overlap on a machine with more than one core. Batches reach the consumer
// in the order they were made, so nothing downstream depends on the overlap.
import Foundation

/// A bounded hand-off of values from one producer thread to the calling thread.
final class BatchPrefetch<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Element] = []
    private var producerDone = false
    private var producerError: Error?
    private var consumerStopped = false
    private let capacity: Int

    /// Raised inside the producer when the consumer stopped early (it threw).
    struct Stopped: Error {}

    private init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Runs `produce` on its own thread, which hands values to `emit` (blocking while
    /// `capacity` values wait), and calls `consume` on the calling thread with each value in
    /// emission order. Errors: the producer's first error is rethrown after the values it
    /// emitted before it were consumed; a consumer error stops the producer (at its next
    /// `emit`) and is rethrown once the producer thread has finished. Returns when both are done.
    /// Memory: the value being consumed and the next one (made, then waiting to be taken).
    static func run(capacity: Int = 1, produce: @escaping (_ emit: (Element) throws -> Void) throws -> Void,
                    consume: (Element) throws -> Void) throws {
        let channel = BatchPrefetch(capacity: capacity)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { try produce(channel.put) } catch { channel.fail(error) }
            channel.finish()
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let value = try channel.take() { try consume(value) }
        } catch {
            channel.stop()
            finished.wait()
            throw error
        }
        finished.wait()
    }

    private func put(_ value: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !consumerStopped { condition.wait() }
        if consumerStopped { throw Stopped() }
        queue.append(value)
        condition.broadcast()
        // The next value is made only once this one was taken: at most one value waits and
        // one is being made while the consumer works.
        while !queue.isEmpty && !consumerStopped { condition.wait() }
    }

    private func fail(_ error: Error) {
        condition.lock()
        if !(error is Stopped) { producerError = error }
        condition.unlock()
    }

    private func finish() {
        condition.lock()
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    private func stop() {
        condition.lock()
        consumerStopped = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next value, nil when the producer finished cleanly; throws the producer's error.
    private func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !producerDone { condition.wait() }
        if !queue.isEmpty {
            let value = queue.removeFirst()
            condition.broadcast()
            return value
        }
        if let producerError { throw producerError }
        return nil
    }
}
