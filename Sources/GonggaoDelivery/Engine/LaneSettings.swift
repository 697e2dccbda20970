import Foundation
import GonggaoChannels
import GonggaoCore

/// One channel's lane: its adapter and the limits that keep it from slowing the others.
public struct LaneSettings: Sendable {
    public var adapter: any ChannelAdapter
    /// Sends in flight at once on this channel.
    public var concurrency: Int
    /// Sends started per second on average.
    public var ratePerSecond: Double
    public var retry: RetryPolicy
    public var breakerThreshold: Int
    public var breakerCooldown: Duration
    /// How long a claim holds a delivery; nil: `defaultLease`. See `leaseProblem`.
    public var leaseOverride: Duration?

    public init(adapter: any ChannelAdapter, concurrency: Int = 4, ratePerSecond: Double = 50, retry: RetryPolicy = .standard,
                breakerThreshold: Int = 5, breakerCooldown: Duration = .seconds(10), lease: Duration? = nil) {
        self.adapter = adapter
        self.concurrency = concurrency
        self.ratePerSecond = ratePerSecond
        self.retry = retry
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.leaseOverride = lease
    }

    public var channel: String { adapter.channel }

    /// How long a claim holds a delivery: longer than the adapter's timeout, so a slow send is never
    /// claimed twice at once (Svix's duplicate-send bug).
    public var lease: Duration { leaseOverride ?? defaultLease }

    /// Twice the adapter's timeout plus 30 s.
    public var defaultLease: Duration { adapter.timeout * 2 + .seconds(30) }

    /// The shortest lease allowed: the adapter's timeout, the lane's margin past it (after which the
    /// lane cancels the send) and 5 s to record the outcome.
    public var minimumLease: Duration { adapter.timeout + Lane.sendMargin + .seconds(5) }

    /// Why this lane's lease is unsafe, or nil: a lease no longer than the send it covers lets a second
    /// worker claim and send the same delivery while the first is still sending.
    public var leaseProblem: String? {
        guard lease < minimumLease else { return nil }
        return "the lease (\(lease.seconds) s) must be longer than the channel's timeout (\(adapter.timeout.seconds) s) plus "
            + "\((Lane.sendMargin + .seconds(5)).seconds) s: at least \(minimumLease.seconds) s"
    }
}
