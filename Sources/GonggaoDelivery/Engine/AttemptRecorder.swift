import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoStore

/// Writes an attempt's end: the attempt log row and the delivery's next state, in one transaction.
enum AttemptRecorder {
    /// Returns the delivery's new state, or nil when this worker no longer held the lease (the
    /// attempt is still logged; the row belongs to whoever holds it now).
    static func record(_ d: Delivery, outcome: ChannelOutcome, started: Date, finished: Date, owner: String,
                       policy: RetryPolicy, random: Double, store: any NoticeStore) async throws -> DeliveryState? {
        try await store.write { tx in
            guard let current = try tx.delivery(d.id) else { return nil }
            // Numbered by the log, not the claim: a worker that lost its lease may still finish.
            let number = (try tx.attempts(deliveryID: d.id).last?.number ?? 0) + 1
            try tx.appendAttempt(DeliveryAttempt(deliveryID: d.id, number: number, startedAt: started, finishedAt: finished,
                                                 outcome: outcome.attemptOutcome, detail: outcome.attemptDetail))
            guard current.state == .inFlight, current.leaseOwner == owner else { return nil }
            let version = try tx.noticeVersion(d.noticeID, version: d.version)
            let stillCurrent = d.purpose == .withdraw || version?.state == .approved
            let action = DeliveryMachine.attemptFinished(current, result: outcome.machineResult, stillCurrent: stillCurrent,
                                                         policy: policy, now: finished, random: random)
            let next = DeliveryMachine.apply(action, to: current, now: finished)
            try tx.updateDelivery(next)
            return next.state
        }
    }
}

extension ChannelOutcome {
    var machineResult: DeliveryMachine.Result {
        switch kind {
        case .delivered(let receipt): .delivered(receipt)
        case .retryable(let after): .retryable(reason: reason, retryAfter: after)
        case .rejected: .rejected(reason: reason)
        }
    }

    var attemptOutcome: DeliveryAttempt.Outcome {
        switch kind {
        case .delivered: .delivered
        case .retryable: .retryable
        case .rejected: .rejected
        }
    }

    /// `HTTP 503 · curl 28 · reason · excerpt` (never a secret: built from the response side only).
    var attemptDetail: String {
        var parts: [String] = [reason]
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let transportError { parts.append("curl \(transportError)") }
        if let excerpt, !excerpt.isEmpty { parts.append("response: \(excerpt)") }
        return parts.joined(separator: " · ")
    }
}
