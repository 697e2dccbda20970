import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoStore
import Synchronization

/// One channel's worker loop: claims due deliveries within its concurrency, rate and circuit limits,
/// sends them, and records each outcome. Lanes share nothing, so a dead portal delays only itself.
final class Lane: Sendable {
    let settings: LaneSettings
    let store: any NoticeStore
    let logger: Logger
    let owner: String
    let now: @Sendable () -> Date
    let publicURL: @Sendable (Project, NoticeContent) -> String
    let random: @Sendable () -> Double
    let wake = WakeSignal()
    /// The longest the lane sleeps before looking at the store again (other processes' approvals).
    let pollInterval: Duration

    private struct Counters {
        var inFlight = 0
        var breaker: CircuitBreaker
        var limiter: RateLimiter
        /// Set by `stopClaiming()`: the loop ends, in-flight attempts finish.
        var draining = false
        /// The circuit as last written to the store (written again only when it changes).
        var recorded: (state: String, failures: Int)?
    }

    private let counters: Mutex<Counters>
    /// Attempts finishing together share one write transaction (each still committed before it counts).
    private let records: GroupCommit<AttemptRecorder.Recorded>
    /// When this lane started (a closed circuit's "since" until it first changes).
    private let startedAt: Date

    init(settings: LaneSettings, store: any NoticeStore, logger: Logger, owner: String, pollInterval: Duration,
         now: @escaping @Sendable () -> Date, publicURL: @escaping @Sendable (Project, NoticeContent) -> String,
         random: @escaping @Sendable () -> Double) {
        self.settings = settings
        self.store = store
        self.logger = logger.with(["channel.name": settings.channel])
        self.owner = owner
        self.pollInterval = pollInterval
        self.now = now
        self.publicURL = publicURL
        self.random = random
        records = GroupCommit(store: store)
        precondition(settings.leaseProblem == nil, "channel \(settings.channel): \(settings.leaseProblem ?? "")")
        startedAt = now()
        counters = Mutex(Counters(breaker: CircuitBreaker(threshold: settings.breakerThreshold, cooldown: settings.breakerCooldown),
                                  limiter: RateLimiter(rate: settings.ratePerSecond)))
    }

    var circuit: String { counters.withLock { $0.breaker.name } }
    var inFlight: Int { counters.withLock { $0.inFlight } }

    /// Stops claiming; `run()` returns once the attempts in flight have finished and been recorded.
    func stopClaiming() {
        counters.withLock { $0.draining = true }
        wake.signal()
    }

    private var draining: Bool { counters.withLock { $0.draining } }

    /// Runs until `stopClaiming()` or cancellation. After `stopClaiming()` the attempts in flight
    /// finish undisturbed and are recorded; cancellation also cancels them (their sends end as
    /// "cancelled" retryable attempts).
    func run() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled && !draining {
                let claimed: [Delivery]
                do {
                    claimed = try await claimBatch()
                } catch {
                    logger.error("claim failed", ["error": "\(error)"])
                    await wake.wait(timeout: .seconds(1))
                    continue
                }
                for d in claimed {
                    group.addTask { await self.attempt(d) }
                }
                if claimed.isEmpty && !draining { await wake.wait(timeout: await sleepTime()) }
            }
        }
    }

    /// The circuit to write to the store, when it changed since the last write (call under the lock).
    private static func circuitChange(_ c: inout Counters, channel: String, owner: String, fallbackSince: Date,
                                      at: Date) -> ChannelCircuit? {
        let snapshot = (state: c.breaker.name, failures: c.breaker.consecutiveFailures)
        if let last = c.recorded, last == snapshot { return nil }
        c.recorded = snapshot
        return ChannelCircuit(channel: channel, state: snapshot.state, since: c.breaker.since ?? fallbackSince,
                              consecutiveFailures: snapshot.failures, reopensAt: c.breaker.reopensAt, worker: owner,
                              recordedAt: at)
    }

    /// Claims as many due deliveries as the lane's limits allow right now.
    private func claimBatch() async throws -> [Delivery] {
        let at = now()
        let due = try await store.read { [settings] tx in try tx.nextDueTime(channel: settings.channel) }
        guard let due, due <= at else { return [] }
        let (allowed, circuit) = counters.withLock { c -> (Int, ChannelCircuit?) in
            let free = settings.concurrency - c.inFlight
            guard free > 0 else { return (0, nil) }
            let byCircuit = c.breaker.permits(free, now: at)
            let change = Self.circuitChange(&c, channel: settings.channel, owner: owner, fallbackSince: startedAt, at: at)
            return (c.limiter.take(byCircuit, now: at), change)
        }
        guard allowed > 0 else {
            if let circuit { try await store.write { tx in try tx.recordChannelCircuit(circuit) } }
            return []
        }
        let leaseUntil = at.addingTimeInterval(settings.lease.seconds)
        // A lease need not be synced by itself: the attempt's record (synced) makes it durable.
        let claimed = try await store.writeLease { [settings, owner] tx in
            if let circuit { try tx.recordChannelCircuit(circuit) }
            return try tx.claimDue(channel: settings.channel, now: at, owner: owner, leaseUntil: leaseUntil, limit: allowed)
        }
        counters.withLock { c in
            c.inFlight += claimed.count
            // Permits taken for rows another worker claimed first go back.
            c.limiter.giveBack(allowed - claimed.count)
            if claimed.isEmpty { c.breaker.releaseProbe() }
        }
        return claimed
    }

    /// How long to sleep when nothing was claimed: until the next due time, the circuit's probe or
    /// the next rate token, never longer than the poll interval.
    private func sleepTime() async -> Duration {
        let at = now()
        var wakeAt = at.addingTimeInterval(pollInterval.seconds)
        counters.withLock { c in
            if let reopen = c.breaker.reopensAt { wakeAt = min(wakeAt, max(reopen, at)) }
        }
        if let due = try? await store.read({ [settings] tx in try tx.nextDueTime(channel: settings.channel) }), due > at {
            wakeAt = min(wakeAt, due)
        }
        return .milliseconds(max(1, Int64(wakeAt.timeIntervalSince(at) * 1000)))
    }

    /// What a claimed delivery leads to before anything is sent.
    private enum Plan {
        case send(ChannelRequest)
        /// Its version is no longer current: cancelled, never sent.
        case cancel(String)
        /// Recorded without a send (nothing to withdraw, something missing from the store).
        case outcome(ChannelOutcome)
    }

    private func plan(_ d: Delivery, started: Date) async -> Plan {
        do {
            return try await store.read { [publicURL] tx -> Plan in
                if let reason = try NotCurrent.reason(d, tx) { return .cancel(reason) }
                switch try RequestBuilder.build(d, publicURL: publicURL, now: started, tx) {
                case .success(let request):
                    return .send(request)
                case .failure(let skip):
                    switch skip.skip {
                    case .nothingToWithdraw:
                        return .outcome(.delivered(DeliveryReceipt(excerpt: "nothing to withdraw: the channel never received the notice"),
                                                   reason: "nothing to withdraw"))
                    case .missing(let what):
                        return .outcome(.rejected(what))
                    }
                }
            }
        } catch {
            return .outcome(.retryable("store read failed: \(error)"))
        }
    }

    /// Sends one claimed delivery and records the outcome.
    private func attempt(_ d: Delivery) async {
        let started = now()
        var log = logger.with(["delivery.id": d.id, "notice.id": d.noticeID, "notice.version": "\(d.version)",
                               "delivery.attempt": "\(d.attempts)", "delivery.purpose": d.purpose.rawValue])
        let outcome: ChannelOutcome
        switch await plan(d, started: started) {
        case .cancel(let reason):
            await cancelUnsent(d, reason: reason, log: log)
            return
        case .outcome(let o):
            outcome = o
        case .send(let request):
            log = log.with(["channel.operation": request.operation.rawValue])
            outcome = await send(request, log: log)
        }
        let finished = now()
        let channelFailed: Bool
        if case .retryable = outcome.kind { channelFailed = true } else { channelFailed = false }
        let circuit = counters.withLock { c -> ChannelCircuit? in
            c.inFlight -= 1
            c.breaker.record(success: !channelFailed, now: finished)
            return Self.circuitChange(&c, channel: settings.channel, owner: owner, fallbackSince: startedAt, at: finished)
        }
        do {
            let recorded = try await records.write(AttemptRecorder.recording(d, outcome: outcome, started: started, finished: finished,
                                                                             owner: owner, policy: settings.retry, random: random(),
                                                                             circuit: circuit))
            var fields = ["delivery.state": recorded.state?.rawValue ?? "lease-lost", "outcome": outcome.reason,
                          "http.status": outcome.httpStatus.map { "\($0)" } ?? "",
                          "duration.ms": "\(Int(finished.timeIntervalSince(started) * 1000))"]
            if let overrun = recorded.leaseOverrun {
                fields["lease.overrun.ms"] = "\(Int(overrun * 1000))"
                log.error("attempt finished after its lease expired: another worker may have sent it meanwhile", fields)
            } else {
                log.info("attempt finished", fields)
            }
        } catch {
            log.error("recording the attempt failed; the lease will expire and the delivery be retried", ["error": "\(error)"])
        }
        wake.signal()
    }

    /// Cancels a delivery whose version is no longer current, without sending it.
    private func cancelUnsent(_ d: Delivery, reason: String, log: Logger) async {
        counters.withLock { c in
            c.inFlight -= 1
            c.breaker.releaseProbe()
        }
        do {
            let state = try await AttemptRecorder.cancelNotCurrent(d, at: now(), owner: owner, store: store)
            if state == .inFlight {
                // Current again inside the write transaction (cannot happen today): leave it for the lease.
                log.error("delivery became current while being cancelled; it will be retried when its lease expires")
            } else {
                log.notice("delivery cancelled without sending", ["reason": reason, "delivery.state": state?.rawValue ?? "lease-lost"])
            }
        } catch {
            log.error("recording the cancellation failed; the lease will expire and the delivery be looked at again", ["error": "\(error)"])
        }
        wake.signal()
    }

    /// The adapter's send, bounded by the adapter's own timeout plus `sendMargin`: an adapter that
    /// overruns it (a print render stuck in a library) is cancelled and the attempt ends as a
    /// retryable timeout, well before the lease expires.
    private func send(_ request: ChannelRequest, log: Logger) async -> ChannelOutcome {
        let adapter = settings.adapter
        let limit = adapter.timeout + Self.sendMargin
        return await withTaskGroup(of: ChannelOutcome?.self) { group in
            group.addTask { await adapter.send(request) }
            group.addTask {
                do { try await Task.sleep(for: limit) } catch { return nil }
                return .retryable("no answer within \(limit.seconds) s (the channel's timeout plus \(Self.sendMargin.seconds) s): cancelled")
            }
            var first: ChannelOutcome?
            while first == nil, let next = await group.next() {
                if let next { first = next }
            }
            group.cancelAll()
            if let first, first.reason.hasPrefix("no answer within") {
                log.error("the channel overran its timeout; its send was cancelled", ["timeout.seconds": "\(adapter.timeout.seconds)"])
            }
            return first ?? .retryable("cancelled")
        }
    }

    /// How long past its own timeout an adapter's send may run before the lane gives up on it.
    static let sendMargin: Duration = .seconds(2)
}
