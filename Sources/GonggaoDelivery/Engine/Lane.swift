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
    }

    private let counters: Mutex<Counters>

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
        counters = Mutex(Counters(breaker: CircuitBreaker(threshold: settings.breakerThreshold, cooldown: settings.breakerCooldown),
                                  limiter: RateLimiter(rate: settings.ratePerSecond)))
    }

    var circuit: String { counters.withLock { $0.breaker.name } }
    var inFlight: Int { counters.withLock { $0.inFlight } }

    /// Runs until cancelled; in-flight sends then finish (each bounded by the adapter timeout).
    func run() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
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
                if claimed.isEmpty { await wake.wait(timeout: await sleepTime()) }
            }
        }
    }

    /// Claims as many due deliveries as the lane's limits allow right now.
    private func claimBatch() async throws -> [Delivery] {
        let at = now()
        let due = try await store.read { [settings] tx in try tx.nextDueTime(channel: settings.channel) }
        guard let due, due <= at else { return [] }
        let allowed = counters.withLock { c -> Int in
            let free = settings.concurrency - c.inFlight
            guard free > 0 else { return 0 }
            let byCircuit = c.breaker.permits(free, now: at)
            return c.limiter.take(byCircuit, now: at)
        }
        guard allowed > 0 else { return [] }
        let leaseUntil = at.addingTimeInterval(settings.lease.seconds)
        let claimed = try await store.write { [settings, owner] tx in
            try tx.claimDue(channel: settings.channel, now: at, owner: owner, leaseUntil: leaseUntil, limit: allowed)
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

    /// Sends one claimed delivery and records the outcome.
    private func attempt(_ d: Delivery) async {
        let started = now()
        var log = logger.with(["delivery.id": d.id, "notice.id": d.noticeID, "notice.version": "\(d.version)",
                               "delivery.attempt": "\(d.attempts)", "delivery.purpose": d.purpose.rawValue])
        let outcome: ChannelOutcome
        do {
            let built = try await store.read { [publicURL] tx in try RequestBuilder.build(d, publicURL: publicURL, now: started, tx) }
            switch built {
            case .success(let request):
                log = log.with(["channel.operation": request.operation.rawValue])
                outcome = await settings.adapter.send(request)
            case .failure(let skip):
                switch skip.skip {
                case .nothingToWithdraw:
                    outcome = .delivered(DeliveryReceipt(excerpt: "nothing to withdraw: the channel never received the notice"),
                                         reason: "nothing to withdraw")
                case .missing(let what):
                    outcome = .rejected(what)
                }
            }
        } catch {
            outcome = .retryable("store read failed: \(error)")
        }
        let finished = now()
        let channelFailed: Bool
        if case .retryable = outcome.kind { channelFailed = true } else { channelFailed = false }
        counters.withLock { c in
            c.inFlight -= 1
            c.breaker.record(success: !channelFailed, now: finished)
        }
        do {
            let state = try await AttemptRecorder.record(d, outcome: outcome, started: started, finished: finished, owner: owner,
                                                         policy: settings.retry, random: random(), store: store)
            log.info("attempt finished", ["delivery.state": state?.rawValue ?? "lease-lost", "outcome": outcome.reason,
                                          "http.status": outcome.httpStatus.map { "\($0)" } ?? "",
                                          "duration.ms": "\(Int(finished.timeIntervalSince(started) * 1000))"])
        } catch {
            log.error("recording the attempt failed; the lease will expire and the delivery be retried", ["error": "\(error)"])
        }
        wake.signal()
    }
}
