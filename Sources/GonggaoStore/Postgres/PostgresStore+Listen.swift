import Dispatch
import Foundation
import Synchronization

extension PostgresStore {
    /// Listens on a NOTIFY channel until the calling task is cancelled, calling `onNotify` with each
    /// notification's payload (for `deliveriesChannel`: the delivery channel that has new work).
    ///
    /// Uses a connection of its own (outside the pool), waiting on its socket with `poll()` on a
    /// DispatchQueue thread. When that connection breaks it reconnects, and then calls `onNotify("")`
    /// once: notifications sent while it was away are lost, so the listener should look at the queue.
    /// Run it in the worker's task group; cancel the task to stop it.
    ///
    /// - Parameter ready: called once the first LISTEN is in place (tests wait for it).
    /// - Throws: the connection error when the first connection fails (later failures are retried).
    public func listen(channel: String = PostgresStore.deliveriesChannel, ready: @escaping @Sendable () -> Void = {},
                       onNotify: @escaping @Sendable (String) -> Void) async throws {
        guard !channel.isEmpty, channel.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (97...122).contains($0) || (48...57).contains($0) }),
              !(48...57).contains(channel.utf8.first!) else {
            throw StoreError.backend(code: -1, message: "a NOTIFY channel name is lower-case letters, digits and _")
        }
        let configuration = self.configuration
        let stop = StopFlag()
        let queue = DispatchQueue(label: "gonggao.postgres.listen")
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                queue.async {
                    c.resume(with: Result {
                        try Self.listenLoop(configuration, channel: channel, stop: stop, ready: ready, onNotify: onNotify)
                    })
                }
            }
        } onCancel: {
            stop.set()
        }
    }

    private static func listenLoop(_ configuration: PostgresConfiguration, channel: String, stop: StopFlag,
                                   ready: @Sendable () -> Void, onNotify: (String) -> Void) throws {
        func connect() throws -> PGConnection {
            let c = try PGConnection(configuration)
            try c.rows("LISTEN \(unsafeSQL: channel)")
            return c
        }
        var connection: PGConnection?
        do {
            connection = try connect()
        } catch let e as PostgresError {
            throw e.storeError
        }
        ready()
        defer { connection?.close() }
        while !stop.isSet {
            guard let c = connection, c.isUsable else {
                connection?.close()
                connection = nil
                // Back off a little between attempts while the server is away.
                for _ in 0..<5 where !stop.isSet { usleep(50_000) }
                if stop.isSet { break }
                if let c = try? connect() {
                    connection = c
                    onNotify("")
                }
                continue
            }
            // Short waits, so cancellation is seen within 100 ms.
            var fd = pollfd(fd: c.socket, events: Int16(POLLIN), revents: 0)
            let n = poll(&fd, 1, 100)
            if n < 0 && errno != EINTR { c.close() }
            guard n > 0 else { continue }
            do {
                for note in try c.consumeNotifications() where note.channel == channel { onNotify(note.payload) }
            } catch {
                c.close()
            }
        }
    }
}

/// A one-way flag set by a cancellation handler and read by a DispatchQueue loop.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
