import Foundation

/// The time source of one run: the real clock, or the instant in `GONGGAO_CLOCK` when it is set
/// (an ISO 8601 instant such as `2026-12-01T09:00:00+08:00`), so tests and demos can fix time.
enum WallClock {
    static let environmentVariable = "GONGGAO_CLOCK"

    static func from(environment: [String: String]) throws(ConfigError) -> @Sendable () -> Date {
        guard let text = environment[environmentVariable], !text.isEmpty else { return { Date() } }
        guard let instant = parse(text) else {
            throw ConfigError(file: environmentVariable, "'\(text)' is not an ISO 8601 instant (e.g. 2026-12-01T09:00:00+08:00)")
        }
        return { instant }
    }

    /// For long-running commands (worker, serve): a clock that runs. With `GONGGAO_CLOCK` it starts
    /// at that instant and advances with the real time elapsed, so retries and leases still expire.
    static func running(environment: [String: String]) throws(ConfigError) -> @Sendable () -> Date {
        let fixed = try from(environment: environment)
        guard environment[environmentVariable].map({ !$0.isEmpty }) == true else { return fixed }
        let start = fixed()
        let began = ContinuousClock.now
        return {
            let elapsed = ContinuousClock.now - began
            return start.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
    }

    /// Parses an ISO 8601 instant with an offset or `Z`, with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
