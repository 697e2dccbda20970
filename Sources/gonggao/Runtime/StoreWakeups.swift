import GonggaoCore
import GonggaoDelivery
import GonggaoStore

/// Work queued by other processes reaches a worker at once: with PostgreSQL, every new delivery is
/// announced with NOTIFY at commit and the worker LISTENs (across machines); with SQLite the lanes
/// poll every `delivery.pollMilliseconds` (one machine, a short poll is enough).
enum StoreWakeups {
    /// Runs until cancelled, waking `engine` on each notification; nil when the store has none.
    static func listener(_ store: any NoticeStore, engine: DeliveryEngine, logger: Logger) -> (@Sendable () async -> Void)? {
        guard let postgres = store as? PostgresStore else { return nil }
        return {
            do {
                try await postgres.listen { _ in engine.wake() }
            } catch is CancellationError {
            } catch {
                logger.error("LISTEN failed; new work is found by polling", ["error": String(describing: error)])
            }
        }
    }

    /// Runs every part at once until the caller's task is cancelled.
    static func all(_ parts: [(@Sendable () async -> Void)?]) -> (@Sendable () async -> Void)? {
        let present = parts.compactMap { $0 }
        if present.isEmpty { return nil }
        return {
            await withTaskGroup(of: Void.self) { group in
                for part in present { group.addTask { await part() } }
            }
        }
    }
}
