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

    public init(adapter: any ChannelAdapter, concurrency: Int = 4, ratePerSecond: Double = 50, retry: RetryPolicy = .standard,
                breakerThreshold: Int = 5, breakerCooldown: Duration = .seconds(10)) {
        self.adapter = adapter
        self.concurrency = concurrency
        self.ratePerSecond = ratePerSecond
        self.retry = retry
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
    }

    public var channel: String { adapter.channel }

    /// Longer than the adapter's timeout, so a slow send is never claimed twice at once.
    public var lease: Duration { adapter.timeout * 2 + .seconds(30) }
}
