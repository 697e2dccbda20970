import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoStore

extension CommandSpec {
    /// `gonggao worker [--until-idle]`.
    static let worker = CommandSpec(
        path: ["worker"],
        summary: "deliver queued notices on every enabled channel until SIGTERM/SIGINT",
        options: [
            OptionSpec(name: "until-idle", help: "stop once nothing is pending, in flight or due within 10 s (demos, scripts)"),
        ],
        discussion: """
            One lane per enabled channel, each with its own concurrency, rate limit and circuit breaker. Workers
            in other processes on the same store (another 'gonggao worker', 'gonggao serve') share the queue
            through leases. On SIGTERM or SIGINT no new work is claimed and in-flight sends finish within the
            config's delivery.graceSeconds. Unless --until-idle, the statutory warnings are evaluated every
            warnings.evaluateEverySeconds (default 600) as part of the same run. Logs are JSON lines on stderr.
            """
    ) { inv, ctx in
        let logger = ctx.logger("worker")
        let now = try WallClock.running(environment: ctx.environment)
        try await ctx.withStore { store in
            let runtime = try ChannelRuntime(config: ctx.config, environment: ctx.environment, logger: logger)
            let engine = try runtime.engine(store: store, config: ctx.config, logger: logger, now: now)
            logger.notice("worker started", ["worker.id": engine.owner, "channels": runtime.adapters.map(\.channel).joined(separator: ",")])
            let untilIdle = inv.flag("until-idle")
            await runtime.recoverPreviews()
            var warningParts: (@Sendable () async -> Void)?
            if !untilIdle {
                let warnings = ctx.warningLoop(store, now: now, logger: logger)
                warningParts = { try? await warnings.run() }
            }
            let alerts = untilIdle ? nil : try AlertLoop.part(ctx, store: store, now: now, logger: logger)
            let alongside = StoreWakeups.all([warningParts, alerts, StoreWakeups.listener(store, engine: engine, logger: logger)])
            let reason = await WorkerLoop.run(engine: engine, grace: ctx.config.delivery.graceSeconds, logger: logger,
                                              alongside: alongside) {
                untilIdle ? await WorkerLoop.waitUntilIdle(store: store, now: now) : nil
            }
            // --until-idle ends with every poster's preview pages in the spool; a signal leaves them recorded.
            await runtime.close(drainPreviews: untilIdle)
            logger.notice("worker stopped", ["reason": reason])
        }
    }
}

/// Runs an engine until a stop signal or `until` returns, then lets in-flight sends finish.
enum WorkerLoop {
    /// What ends a part of the loop.
    private enum Event: Sendable {
        case engineStopped, stoppingDone, graceExpired, nothing
    }

    /// Runs `engine` until SIGTERM/SIGINT or until `until` returns a reason; returns why it stopped.
    ///
    /// Then the engine stops claiming, and the attempts in flight get `grace` seconds to finish
    /// undisturbed; their real outcomes are recorded. At the grace deadline the sends still running are
    /// cancelled (recorded as retryable "cancelled" attempts, retried by the next worker); if even that
    /// does not end them within 5 s more, the process exits with status 1 (their leases expire and
    /// another worker retries them: nothing is lost).
    /// `alongside` (the warning loop) runs until the stop is decided, then is cancelled.
    /// `stopping` runs once the stop is decided, beside the in-flight sends (the service stops its
    /// HTTP server there).
    static func run(engine: DeliveryEngine, grace: Double, logger: Logger,
                    alongside: (@Sendable () async -> Void)? = nil,
                    until: @escaping @Sendable () async -> String?,
                    stopping: @escaping @Sendable () async -> Void = {}) async -> String {
        let stop = StopSignal()
        return await withTaskGroup(of: Event.self) { group in
            group.addTask { await engine.run(); return .engineStopped }
            // The stop decision: its own group, so its waiters are cancelled without touching the engine.
            let reason = await withTaskGroup(of: String?.self) { waiters in
                waiters.addTask { await stop.wait().map { "signal \($0)" } }
                waiters.addTask { await until() }
                // Runs beside the engine (the warning evaluation loop) and is cancelled when the stop is decided.
                if let alongside { waiters.addTask { await alongside(); return nil } }
                var reason = "stopped"
                while let finished = await waiters.next() {
                    if let finished { reason = finished; break }
                }
                waiters.cancelAll()
                return reason
            }
            logger.notice("stopping: no new work is claimed; in-flight sends may finish", ["reason": reason, "grace.seconds": "\(grace)"])
            engine.stopClaiming()
            group.addTask { await stopping(); return .stoppingDone }
            group.addTask {
                do { try await Task.sleep(for: .milliseconds(Int64(grace * 1000))) } catch { return .nothing }
                return .graceExpired
            }
            var engineStopped = false
            var stoppingDone = false
            while !(engineStopped && stoppingDone), let event = await group.next() {
                switch event {
                case .engineStopped: engineStopped = true
                case .stoppingDone: stoppingDone = true
                case .nothing: break
                case .graceExpired:
                    logger.error("in-flight sends did not finish within the grace period; cancelling them (they will be retried)",
                                 ["grace.seconds": "\(grace)"])
                    group.cancelAll()
                    Task.detached {
                        try await Task.sleep(for: .seconds(5))
                        logger.error("in-flight sends ignored their cancellation; exiting (their leases will expire and be retried)")
                        exit(ExitStatus.failure.rawValue)
                    }
                }
            }
            group.cancelAll() // the grace timer
            return reason
        }
    }

    /// Returns once no delivery is pending or in flight and no retry is due within 10 s.
    static func waitUntilIdle(store: any NoticeStore, now: @escaping @Sendable () -> Date) async -> String? {
        while !Task.isCancelled {
            let busy = try? await store.read { tx -> Bool in
                let horizon = now().addingTimeInterval(10)
                for state in [DeliveryState.pending, .inFlight] where !(try tx.deliveries(DeliveryFilter(state: state, limit: 1))).isEmpty {
                    return true
                }
                return try tx.deliveries(DeliveryFilter(state: .retrying)).contains { $0.nextAttemptAt <= horizon }
            }
            if busy == false { return "idle" }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
