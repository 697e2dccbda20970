import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoStore

/// Pushes due warning alerts to the officers' alert endpoint: each one sent, its outcome fed to the
/// same `DeliveryMachine` and `RetryPolicy` as notices' deliveries (retry, dead letter), the result
/// stored with the warning. One dispatcher per process; a second process may send an alert again
/// (at-least-once), always under the same webhook-id, which receivers deduplicate on.
public struct AlertDispatcher: Sendable {
    public let store: any NoticeStore
    public let endpoint: AlertEndpoint
    public let client: HTTPClient
    public let policy: RetryPolicy
    public let now: @Sendable () -> Date
    public let logger: Logger
    /// How often the loop looks for due alerts.
    public var interval: Duration = .seconds(1)

    public init(store: any NoticeStore, endpoint: AlertEndpoint, client: HTTPClient, policy: RetryPolicy,
                now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        self.endpoint = endpoint
        self.client = client
        self.policy = policy
        self.now = now
        self.logger = logger
    }

    /// Sends every due alert once; returns how many were sent.
    @discardableResult
    public func runOnce() async throws -> Int {
        let at = now()
        let due = try await store.read { tx in
            try tx.warnings(WarningFilter(limit: .max)).filter { w in
                guard let a = w.alert else { return false }
                return (a.state == .pending || a.state == .retrying) && a.nextAttemptAt <= at
            }
        }
        for w in due {
            guard var alert = w.alert else { continue }
            alert.attempts += 1
            let outcome = await endpoint.send(w, alert: alert, client: client, now: now())
            let result: DeliveryMachine.Result = switch outcome.kind {
            case .delivered(let receipt): .delivered(receipt)
            case .retryable(let retryAfter): .retryable(reason: outcome.reason, retryAfter: retryAfter)
            case .rejected: .rejected(reason: outcome.reason)
            }
            let finished = now()
            let action = DeliveryMachine.attemptFinished(alert, result: result, stillCurrent: true, policy: policy, now: finished,
                                                         random: Double.random(in: 0..<1))
            let next = DeliveryMachine.apply(action, to: alert, now: finished)
            try await store.write { tx in
                guard var current = try tx.warning(id: w.id), current.alert?.id == next.id else { return }
                current.alert = next
                try tx.saveWarning(current)
            }
            logger.log(next.state == .dead ? .error : .info, "warning alert sent", [
                "warning.id": w.id, "alert.id": next.id, "alert.attempt": "\(next.attempts)", "alert.state": next.state.rawValue,
                "alert.outcome": outcome.reason,
            ])
        }
        return due.count
    }

    /// Runs until cancelled; a failed round is logged and tried again.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                logger.error("alert round failed", ["error": String(describing: error)])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
