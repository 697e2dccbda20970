import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoDelivery

extension DeliverySettings {
    /// The lane for `adapter`: each key of the channel's `delivery` block, else this global block's.
    func lane(for adapter: any ChannelAdapter, overrides: ChannelConfig.DeliveryOverrides?) -> LaneSettings {
        let o = overrides ?? ChannelConfig.DeliveryOverrides()
        var merged = self
        merged.retryScheduleSeconds = o.retryScheduleSeconds ?? retryScheduleSeconds
        merged.retryJitter = o.retryJitter ?? retryJitter
        return LaneSettings(adapter: adapter, concurrency: o.concurrency ?? concurrency,
                            ratePerSecond: o.ratePerSecond ?? ratePerSecond, retry: merged.retryPolicy,
                            breakerThreshold: o.breakerThreshold ?? breakerThreshold,
                            breakerCooldown: .milliseconds(Int64((o.breakerCooldownSeconds ?? breakerCooldownSeconds) * 1000)),
                            lease: o.leaseSeconds.map { .milliseconds(Int64($0 * 1000)) })
    }
}
