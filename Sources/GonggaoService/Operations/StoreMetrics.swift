import Foundation
import GonggaoCore
import GonggaoStore
import Synchronization

/// What `/metrics` reads from the store: deliveries by channel and state, attempts by outcome, the
/// approve→delivered latency, queue depth, the oldest due delivery, paused channels, notices.
struct StoreMetrics: Sendable {
    /// Approve→delivered latency buckets, seconds: 1 s … 1 day.
    static let latencyBounds: [Double] = [1, 5, 15, 60, 300, 900, 1_800, 3_600, 7_200, 21_600, 86_400]

    var deliveries: [String: [DeliveryState: Int]] = [:]
    var attempts: [String: [DeliveryAttempt.Outcome: Int]] = [:]
    var latency: [String: Histogram] = [:]
    var queueDepth: [String: Int] = [:]
    var oldestDueAge: [String: Double] = [:]
    var paused: [String: Bool] = [:]
    var notices: [NoticeState: Int] = [:]
    /// Statutory warnings by kind and state.
    var warnings: [WarningKind: [StatutoryWarning.State: Int]] = [:]

    /// Reads everything in one transaction. `channels` are the configured ones (always reported).
    static func read(_ tx: any StoreReader, channels: [String], now: Date) throws -> StoreMetrics {
        var m = StoreMetrics()
        for c in channels {
            m.deliveries[c] = [:]
            m.attempts[c] = [:]
            m.latency[c] = Histogram(bounds: latencyBounds)
            m.queueDepth[c] = 0
            m.oldestDueAge[c] = 0
        }
        for d in try tx.deliveries(DeliveryFilter(limit: Int.max)) {
            m.deliveries[d.channel, default: [:]][d.state, default: 0] += 1
            if !d.state.isFinal {
                m.queueDepth[d.channel, default: 0] += 1
                // Due: waiting and its time has come (an in-flight one is due again when its lease ran out).
                let dueAt = d.state == .inFlight ? (d.leaseExpiresAt ?? d.nextAttemptAt) : d.nextAttemptAt
                if dueAt <= now { m.oldestDueAge[d.channel] = max(m.oldestDueAge[d.channel] ?? 0, now.timeIntervalSince(dueAt)) }
            }
            if d.state == .delivered && d.purpose == .publish {
                m.latency[d.channel, default: Histogram(bounds: latencyBounds)].observe(max(0, d.updatedAt.timeIntervalSince(d.createdAt)))
            }
            if d.attempts > 0 {
                for a in try tx.attempts(deliveryID: d.id) { m.attempts[d.channel, default: [:]][a.outcome, default: 0] += 1 }
            }
        }
        for s in try tx.channelStates() { m.paused[s.channel] = s.paused }
        for c in channels where m.paused[c] == nil { m.paused[c] = false }
        for v in try tx.notices(NoticeFilter(limit: Int.max)) { m.notices[v.state, default: 0] += 1 }
        for w in try tx.warnings(WarningFilter(limit: Int.max)) { m.warnings[w.kind, default: [:]][w.state, default: 0] += 1 }
        return m
    }

    func write(to out: inout PrometheusText) {
        let channels = deliveries.keys.sorted()
        out.family("gonggao_deliveries", "gauge", "Deliveries by channel and state.")
        for c in channels {
            for s in DeliveryState.allCases {
                out.sample("gonggao_deliveries", [("channel", c), ("state", s.rawValue)], Double(deliveries[c]?[s] ?? 0))
            }
        }
        out.family("gonggao_delivery_attempts_total", "counter", "Delivery attempts by channel and outcome.")
        for c in attempts.keys.sorted() {
            for o in [DeliveryAttempt.Outcome.delivered, .retryable, .rejected] {
                out.sample("gonggao_delivery_attempts_total", [("channel", c), ("outcome", o.rawValue)], Double(attempts[c]?[o] ?? 0))
            }
        }
        out.family("gonggao_delivery_latency_seconds", "histogram",
                   "Approval to confirmed publication, per channel (delivered publish deliveries).")
        for c in latency.keys.sorted() { out.histogram("gonggao_delivery_latency_seconds", [("channel", c)], latency[c]!) }
        out.family("gonggao_delivery_queue_depth", "gauge", "Deliveries not yet final (pending, in flight, retrying).")
        for c in queueDepth.keys.sorted() { out.sample("gonggao_delivery_queue_depth", [("channel", c)], Double(queueDepth[c]!)) }
        out.family("gonggao_delivery_oldest_due_age_seconds", "gauge", "How long the oldest due delivery has waited (0 = none).")
        for c in oldestDueAge.keys.sorted() {
            out.sample("gonggao_delivery_oldest_due_age_seconds", [("channel", c)], oldestDueAge[c]!.rounded())
        }
        out.family("gonggao_channel_paused", "gauge", "1 while an operator has paused the channel.")
        for c in paused.keys.sorted() { out.sample("gonggao_channel_paused", [("channel", c)], paused[c]! ? 1 : 0) }
        out.family("gonggao_notices", "gauge", "Notices by the state of their latest version.")
        for s in NoticeState.allCases { out.sample("gonggao_notices", [("state", s.rawValue)], Double(notices[s] ?? 0)) }
        out.family("gonggao_warnings", "gauge", "Statutory warnings by kind and state.")
        for k in WarningKind.allCases {
            for s in StatutoryWarning.State.allCases {
                out.sample("gonggao_warnings", [("kind", k.rawValue), ("state", s.rawValue)], Double(warnings[k]?[s] ?? 0))
            }
        }
    }
}

/// The last store metrics and when they were read: a scrape storm reads the store at most once a second.
final class StoreMetricsCache: Sendable {
    private let last = Mutex<(at: ContinuousClock.Instant, metrics: StoreMetrics)?>(nil)
    let maxAge: Duration

    init(maxAge: Duration = .seconds(1)) { self.maxAge = maxAge }

    func get(read: () async throws -> StoreMetrics) async throws -> StoreMetrics {
        if let cached = last.withLock({ $0 }), ContinuousClock.now - cached.at < maxAge { return cached.metrics }
        let fresh = try await read()
        last.withLock { $0 = (.now, fresh) }
        return fresh
    }
}
