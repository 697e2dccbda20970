import Foundation

/// When to try a failed delivery again, and when to give up (dead-letter).
public struct RetryPolicy: Sendable, Equatable, Codable {
    /// Delay before attempt n+1 after attempt n failed; `delays[0]` is the wait before the first
    /// retry. The number of attempts is `delays.count + 1`.
    public var delays: [Duration]
    /// Each delay is multiplied by a random factor in 1 ± jitter.
    public var jitter: Double
    /// The longest a `Retry-After` may push a retry out.
    public var retryAfterCap: Duration

    public init(delays: [Duration], jitter: Double = 0.2, retryAfterCap: Duration = .seconds(3600)) {
        self.delays = delays
        self.jitter = jitter
        self.retryAfterCap = retryAfterCap
    }

    /// Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (±20 %): 10 attempts.
    public static let standard = RetryPolicy(delays: [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000),
        .seconds(36_000), .seconds(50_400), .seconds(72_000), .seconds(86_400),
    ])

    /// `attempts` tries with delays growing from `base` by `factor` (for tests and fast channels).
    public static func exponentialJitter(base: Duration, factor: Double = 2, attempts: Int, jitter: Double = 0.2) -> RetryPolicy {
        var delays: [Duration] = []
        var d = base
        for _ in 0..<max(0, attempts - 1) {
            delays.append(d)
            d = d * factor
        }
        return RetryPolicy(delays: delays, jitter: jitter)
    }

    public var maxAttempts: Int { delays.count + 1 }

    /// The time of the next attempt after attempt `attempt` (1-based) failed, or nil to dead-letter.
    /// `random` is a number in [0, 1) (injected, so tests are exact).
    public func nextAttempt(after attempt: Int, now: Date, retryAfter: Duration?, random: Double) -> Date? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        let base = delays[attempt - 1].seconds
        var delay = base * (1 + jitter * (2 * random - 1))
        if let retryAfter {
            delay = max(delay, min(retryAfter.seconds, retryAfterCap.seconds))
        }
        return now.addingTimeInterval(delay)
    }
}

extension Duration {
    /// This duration in seconds, as a Double.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
