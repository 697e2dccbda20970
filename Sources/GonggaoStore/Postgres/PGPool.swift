import Dispatch
import Synchronization

/// A small pool of PostgreSQL connections, each in a slot with its own serial DispatchQueue.
///
/// A caller waits (suspended, not blocking a thread) for a free slot, then its work runs on that
/// slot's queue: blocking libpq calls never run on the cooperative pool, and a connection is only
/// ever touched from its slot's queue. A slot opens its connection on first use and again after
/// the connection died (the server restarted, the network dropped it).
final class PGPool: Sendable {
    /// One connection's place in the pool.
    final class Slot: @unchecked Sendable {
        // @unchecked Sendable: `connection` is only read or written on `queue`.
        let queue: DispatchQueue
        private let configuration: PostgresConfiguration
        private var connection: PGConnection?

        init(index: Int, configuration: PostgresConfiguration) {
            self.queue = DispatchQueue(label: "gonggao.postgres.\(index)")
            self.configuration = configuration
        }

        /// The slot's live connection, opened (again) when it has none or its connection died.
        /// - Important: call on `queue` only.
        func connected() throws -> PGConnection {
            if let c = connection, c.isUsable { return c }
            drop()
            let c = try PGConnection(configuration)
            connection = c
            return c
        }

        /// Gives a connection the pool opened elsewhere (the first one, which ran the migrations).
        func adopt(_ c: PGConnection) { connection = c }

        /// Closes and forgets the connection; the next use opens a new one.
        func drop() {
            connection?.close()
            connection = nil
        }
    }

    private struct State {
        var free: [Int]
        var waiters: [CheckedContinuation<Int, any Error>] = []
        var closed = false
    }

    private let slots: [Slot]
    private let state: Mutex<State>

    init(_ configuration: PostgresConfiguration) {
        let size = max(1, configuration.poolSize)
        slots = (0..<size).map { Slot(index: $0, configuration: configuration) }
        state = Mutex(State(free: Array((0..<size).reversed())))
    }

    /// Hands `connection` to the first slot (done once, before anything runs).
    func adopt(_ connection: PGConnection) {
        let slot = slots[0]
        slot.queue.sync { slot.adopt(connection) }
    }

    /// Runs `work` on a free slot's queue.
    func withSlot<T: Sendable>(_ work: @escaping @Sendable (Slot) throws -> T) async throws -> T {
        let index = try await acquire()
        defer { release(index) }
        let slot = slots[index]
        return try await withCheckedThrowingContinuation { continuation in
            slot.queue.async { continuation.resume(with: Result { try work(slot) }) }
        }
    }

    private func acquire() async throws -> Int {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int, any Error>) in
            state.withLock { s in
                if s.closed {
                    c.resume(throwing: StoreError.closed)
                } else if let i = s.free.popLast() {
                    c.resume(returning: i)
                } else {
                    s.waiters.append(c)
                }
            }
        }
    }

    private func release(_ index: Int) {
        state.withLock { s in
            if !s.waiters.isEmpty && !s.closed {
                s.waiters.removeFirst().resume(returning: index)
            } else {
                s.free.append(index)
            }
        }
    }

    /// Refuses new work, fails the waiters, and closes every connection once its current work ends.
    func close() async {
        let waiters = state.withLock { s -> [CheckedContinuation<Int, any Error>] in
            s.closed = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(throwing: StoreError.closed) }
        for slot in slots {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                slot.queue.async {
                    slot.drop()
                    c.resume()
                }
            }
        }
    }
}
