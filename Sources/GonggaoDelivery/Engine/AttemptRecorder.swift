import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoStore

/// Writes an attempt's end: the attempt log row and the delivery's next state, in one transaction.
enum AttemptRecorder {
    /// What recording an attempt did.
    struct Recorded: Sendable {
        /// The delivery's new state, or nil when this worker no longer held the lease (the attempt is
        /// still logged; the row belongs to whoever holds it now).
        var state: DeliveryState?
        /// How long after its lease expired the attempt finished (seconds), when it did.
        var leaseOverrun: Double?
    }

    /// Appends the attempt and moves the delivery on; also records the lane's circuit when it changed.
    static func record(_ d: Delivery, outcome: ChannelOutcome, started: Date, finished: Date, owner: String,
                       policy: RetryPolicy, random: Double, circuit: ChannelCircuit? = nil,
                       store: any NoticeStore) async throws -> Recorded {
        try await store.write(recording(d, outcome: outcome, started: started, finished: finished, owner: owner, policy: policy,
                                        random: random, circuit: circuit))
    }

    /// `record`'s work inside a write transaction (for a `GroupCommit` to share one among several).
    static func recording(_ d: Delivery, outcome: ChannelOutcome, started: Date, finished: Date, owner: String,
                          policy: RetryPolicy, random: Double,
                          circuit: ChannelCircuit? = nil) -> @Sendable (any StoreWriter) throws -> Recorded {
        { tx in
            if let circuit { try tx.recordChannelCircuit(circuit) }
            guard let current = try tx.delivery(d.id) else { return Recorded() }
            // Numbered by the log, not the claim: a worker that lost its lease may still finish.
            let number = (try tx.attempts(deliveryID: d.id).last?.number ?? 0) + 1
            let overrun = d.leaseExpiresAt.map { finished.timeIntervalSince($0) }.flatMap { $0 > 0 ? $0 : nil }
            var detail = outcome.attemptDetail
            if let overrun { detail += " · finished \(Int(overrun.rounded(.up))) s after its lease expired" }
            try tx.appendAttempt(DeliveryAttempt(deliveryID: d.id, number: number, startedAt: started, finishedAt: finished,
                                                 outcome: outcome.attemptOutcome, detail: detail,
                                                 reason: outcome.reason, httpStatus: outcome.httpStatus,
                                                 curlError: outcome.transportError, excerpt: outcome.excerpt))
            guard current.state == .inFlight, current.leaseOwner == owner else { return Recorded(leaseOverrun: overrun) }
            let version = try tx.noticeVersion(d.noticeID, version: d.version)
            let stillCurrent = d.purpose == .withdraw || version?.state == .approved
            let action = DeliveryMachine.attemptFinished(current, result: outcome.machineResult, stillCurrent: stillCurrent,
                                                         policy: policy, now: finished, random: random)
            let next = DeliveryMachine.apply(action, to: current, now: finished)
            try tx.updateDelivery(next)
            return Recorded(state: next.state, leaseOverrun: overrun)
        }
    }

    /// Cancels a claimed publish delivery without sending it, because its version is no longer the
    /// approved one (superseded or withdrawn while it waited, or while a crashed worker held it).
    /// Re-checks the version inside the write transaction; appends a `cancelled` attempt and an audit
    /// entry. Returns the delivery's new state: `cancelled`, nil when this worker lost the lease, or
    /// the unchanged state when the version turned out to be current after all (the caller sends).
    static func cancelNotCurrent(_ d: Delivery, at: Date, owner: String, store: any NoticeStore) async throws -> DeliveryState? {
        try await store.write { tx in
            guard let current = try tx.delivery(d.id), current.state == .inFlight, current.leaseOwner == owner else { return nil }
            guard let reason = try NotCurrent.reason(d, tx) else { return current.state }
            let number = (try tx.attempts(deliveryID: d.id).last?.number ?? 0) + 1
            try tx.appendAttempt(DeliveryAttempt(deliveryID: d.id, number: number, startedAt: at, finishedAt: at, outcome: .cancelled,
                                                 detail: "not sent: \(reason)", reason: reason))
            let next = DeliveryMachine.apply(.cancel(reason: "not sent: \(reason)"), to: current, now: at)
            try tx.updateDelivery(next)
            try tx.appendAudit(AuditRecord(at: at, actor: "worker \(owner)", action: "delivery.cancel", subject: d.id,
                                           detail: "\(d.channel) \(d.noticeID)/v\(d.version) not sent: \(reason)"))
            return next.state
        }
    }
}

/// Whether a delivery's version may still be sent. "No retry or replay ever sends a superseded or
/// withdrawn version": a publish delivery whose version is not the approved one is never sent.
enum NotCurrent {
    /// Why `d` must not be sent, or nil when it may be. Withdrawals are always sent.
    static func reason(_ d: Delivery, _ tx: any StoreReader) throws -> String? {
        guard d.purpose == .publish else { return nil }
        guard let v = try tx.noticeVersion(d.noticeID, version: d.version) else { return nil } // the builder reports it missing
        switch v.state {
        case .approved:
            return nil
        case .superseded:
            let latest = try tx.noticeVersions(d.noticeID).last { $0.state == .approved || $0.state == .withdrawn }
            return "v\(d.version) is superseded" + (latest.map { " (v\($0.version) is \($0.state.rawValue))" } ?? "")
        default:
            return "v\(d.version) is \(v.state.rawValue)"
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
