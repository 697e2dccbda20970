import Foundation
import Synchronization

/// Counts failed logins per client address in a sliding window; past the limit the address is
/// refused (429) until its oldest failure leaves the window.
///
/// Memory is bounded: expired entries are pruned as failures arrive, and past `maxAddresses`
/// the address whose latest failure is oldest is forgotten.
final class LoginThrottle: Sendable {
    private let limit: Int
    private let window: TimeInterval
    private let maxAddresses: Int
    private let failures = Mutex<[String: [Date]]>([:])

    init(limit: Int, window: TimeInterval, maxAddresses: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.maxAddresses = maxAddresses
    }

    /// Seconds until `address` may try again, or nil when it may try now.
    func retryAfter(_ address: String, now: Date) -> TimeInterval? {
        failures.withLock { table -> TimeInterval? in
            let recent = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, window - now.timeIntervalSince(oldest))
        }
    }

    /// Records one failure of `address`.
    func recordFailure(_ address: String, now: Date) {
        failures.withLock { table in
            var list = (table[address] ?? []).filter { now.timeIntervalSince($0) < window }
            list.append(now)
            if list.count > limit { list.removeFirst(list.count - limit) }
            table[address] = list
            guard table.count > maxAddresses else { return }
            table = table.filter { _, dates in dates.last.map { now.timeIntervalSince($0) < window } ?? false }
            while table.count > maxAddresses,
                  let stalest = table.min(by: { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }) {
                table.removeValue(forKey: stalest.key)
            }
        }
    }
}
