import Foundation

/// A token bucket: `rate` sends per second on average, bursts up to `burst`.
public struct RateLimiter: Sendable, Equatable {
    public let rate: Double
    public let burst: Double
    private var tokens: Double
    private var updated: Date?

    public init(rate: Double, burst: Double? = nil) {
        self.rate = rate
        self.burst = burst ?? max(1, rate)
        self.tokens = self.burst
    }

    /// Takes up to `wanted` tokens; returns how many were granted.
    public mutating func take(_ wanted: Int, now: Date) -> Int {
        refill(now)
        let granted = min(wanted, Int(tokens.rounded(.down)))
        tokens -= Double(granted)
        return granted
    }

    /// Returns tokens taken but not used.
    public mutating func giveBack(_ count: Int) {
        tokens = min(burst, tokens + Double(max(0, count)))
    }

    /// When at least one token will be available.
    public mutating func nextToken(now: Date) -> Date {
        refill(now)
        if tokens >= 1 { return now }
        return now.addingTimeInterval((1 - tokens) / rate)
    }

    private mutating func refill(_ now: Date) {
        if let updated { tokens = min(burst, tokens + max(0, now.timeIntervalSince(updated)) * rate) }
        updated = now
    }
}
