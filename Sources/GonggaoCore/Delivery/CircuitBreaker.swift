import Foundation

/// A per-channel circuit breaker: opens after `threshold` consecutive failures, lets one probe
/// through after `cooldown` (half-open), closes on its success and re-opens (longer) on its failure.
public struct CircuitBreaker: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case closed
        case open(until: Date)
        case halfOpen
    }

    public private(set) var state: State = .closed
    public private(set) var consecutiveFailures = 0
    public private(set) var probeInFlight = false
    /// When the circuit entered its current state (nil: closed since the breaker was made).
    public private(set) var since: Date?
    public let threshold: Int
    public let cooldown: Duration
    public let maxCooldown: Duration
    private var currentCooldown: Duration

    public init(threshold: Int = 5, cooldown: Duration = .seconds(10), maxCooldown: Duration = .seconds(300)) {
        self.threshold = threshold
        self.cooldown = cooldown
        self.maxCooldown = maxCooldown
        self.currentCooldown = cooldown
    }

    /// How many sends may start now, given `wanted`.
    public mutating func permits(_ wanted: Int, now: Date) -> Int {
        switch state {
        case .closed:
            return wanted
        case .open(let until):
            guard now >= until else { return 0 }
            state = .halfOpen
            since = now
            probeInFlight = false
            return permits(wanted, now: now)
        case .halfOpen:
            guard !probeInFlight, wanted > 0 else { return 0 }
            probeInFlight = true
            return 1
        }
    }

    /// Returns a half-open probe permit that was not used (nothing was due after all).
    public mutating func releaseProbe() {
        if case .halfOpen = state { probeInFlight = false }
    }

    /// Records a finished send. Only channel-level failures count (retryable outcomes); a permanent
    /// rejection of one document says nothing about the channel's health.
    public mutating func record(success: Bool, now: Date) {
        if success {
            if state != .closed { since = now }
            state = .closed
            consecutiveFailures = 0
            currentCooldown = cooldown
            probeInFlight = false
            return
        }
        consecutiveFailures += 1
        switch state {
        case .halfOpen:
            currentCooldown = min(currentCooldown * 2, maxCooldown)
            state = .open(until: now.addingTimeInterval(currentCooldown.seconds))
            since = now
            probeInFlight = false
        case .closed where consecutiveFailures >= threshold:
            state = .open(until: now.addingTimeInterval(currentCooldown.seconds))
            since = now
        default:
            break
        }
    }

    /// When an open circuit lets a probe through.
    public var reopensAt: Date? {
        if case .open(let until) = state { return until }
        return nil
    }

    /// `closed`, `open`, `half-open`.
    public var name: String {
        switch state {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half-open"
        }
    }
}
