import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoStore

/// The delivery workers: one lane per channel over one store.
///
/// `run()` works until `stopClaiming()` (SIGTERM/SIGINT in `gonggao worker`/`serve`): lanes stop
/// claiming, the attempts in flight finish undisturbed (each bounded by its adapter's timeout), their
/// real outcomes are recorded, and `run()` returns. Cancelling `run()`'s task instead also cancels the
/// sends in flight (the grace deadline): they end as retryable "cancelled" attempts. Call
/// `wake()` after an approval in this process: lanes look at the store at once. Approvals made by
/// other processes on the same store are seen within `pollInterval` (100 ms by default).
public final class DeliveryEngine: Sendable {
    private let lanes: [Lane]
    public let owner: String

    public init(store: any NoticeStore, lanes settings: [LaneSettings], logger: Logger, owner: String = Identifier.make("wrk"),
                pollInterval: Duration = .milliseconds(100), now: @escaping @Sendable () -> Date = { Date() },
                publicURL: @escaping @Sendable (Project, NoticeContent) -> String,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.owner = owner
        let log = logger.with(["worker.id": owner])
        lanes = settings.map {
            Lane(settings: $0, store: store, logger: log, owner: owner, pollInterval: pollInterval, now: now,
                 publicURL: publicURL, random: random)
        }
    }

    public func run() async {
        await withDiscardingTaskGroup { group in
            for lane in lanes { group.addTask { await lane.run() } }
        }
    }

    /// Stops claiming new work; `run()` returns once every attempt in flight has been recorded.
    public func stopClaiming() {
        for lane in lanes { lane.stopClaiming() }
    }

    /// Makes every lane look for due work now.
    public func wake() {
        for lane in lanes { lane.wake.signal() }
    }

    /// Each lane's circuit state and sends in flight, for `channel list` and metrics.
    public var laneStatus: [(channel: String, circuit: String, inFlight: Int)] {
        lanes.map { ($0.settings.channel, $0.circuit, $0.inFlight) }
    }
}
