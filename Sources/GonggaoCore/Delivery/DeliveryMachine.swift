import Foundation

/// A delivery's life as a pure function: what happens when an attempt ends.
public enum DeliveryMachine {
    /// What an ended attempt does to the delivery.
    public enum Action: Sendable, Equatable {
        case delivered(DeliveryReceipt)
        case retry(at: Date, reason: String)
        case dead(reason: String)
        /// The version is no longer current (superseded or withdrawn): never send it again.
        case cancel(reason: String)
    }

    /// The outcome of an attempt, as the engine saw it.
    public enum Result: Sendable, Equatable {
        case delivered(DeliveryReceipt)
        case retryable(reason: String, retryAfter: Duration?)
        case rejected(reason: String)
    }

    /// Decides what follows attempt `delivery.attempts` (already counted at claim).
    /// - Parameter stillCurrent: false when the version was superseded or withdrawn meanwhile.
    public static func attemptFinished(_ delivery: Delivery, result: Result, stillCurrent: Bool, policy: RetryPolicy,
                                       now: Date, random: Double) -> Action {
        switch result {
        case .delivered(let receipt):
            return .delivered(receipt)
        case .rejected(let reason):
            return .dead(reason: "rejected: \(reason)")
        case .retryable(let reason, let retryAfter):
            if !stillCurrent && delivery.purpose == .publish {
                return .cancel(reason: "version no longer current after: \(reason)")
            }
            guard let at = policy.nextAttempt(after: delivery.attempts, now: now, retryAfter: retryAfter, random: random) else {
                return .dead(reason: "gave up after \(delivery.attempts) attempts: \(reason)")
            }
            return .retry(at: at, reason: reason)
        }
    }

    /// Applies `action` to the delivery row (releasing its lease).
    public static func apply(_ action: Action, to d: Delivery, now: Date) -> Delivery {
        var next = d
        next.leaseOwner = nil
        next.leaseExpiresAt = nil
        next.updatedAt = now
        switch action {
        case .delivered(let receipt):
            next.state = .delivered
            next.receipt = receipt
            next.lastError = nil
        case .retry(let at, let reason):
            next.state = .retrying
            next.nextAttemptAt = at
            next.lastError = reason
        case .dead(let reason):
            next.state = .dead
            next.lastError = reason
        case .cancel(let reason):
            next.state = .cancelled
            next.lastError = reason
        }
        return next
    }

    /// Puts a dead (or cancelled-by-operator) delivery back in the queue for an operator's retry or
    /// replay; a fresh round of attempts follows.
    public static func requeue(_ d: Delivery, now: Date) -> Delivery {
        var next = d
        next.state = .pending
        next.attempts = 0
        next.nextAttemptAt = now
        next.leaseOwner = nil
        next.leaseExpiresAt = nil
        next.updatedAt = now
        return next
    }
}
