import Foundation
import GonggaoChannels
import GonggaoCore
import Synchronization

/// A test double for the engine's mechanics (not a channel): answers from a script and records
/// every request in order. Real channels are tested against the sandbox portals.
final class ScriptedAdapter: ChannelAdapter {
    let channel: String
    let timeout: Duration
    private let script: @Sendable (ChannelRequest, Int) async -> ChannelOutcome
    private let log = Mutex<[ChannelRequest]>([])

    init(_ channel: String, timeout: Duration = .seconds(5),
         script: @escaping @Sendable (ChannelRequest, Int) async -> ChannelOutcome = { r, _ in
             .delivered(DeliveryReceipt(publicationID: "PUB-\(r.notice.id)"))
         }) {
        self.channel = channel
        self.timeout = timeout
        self.script = script
    }

    func send(_ request: ChannelRequest) async -> ChannelOutcome {
        let n = log.withLock { $0.append(request); return $0.count }
        return await script(request, n)
    }

    var requests: [ChannelRequest] { log.withLock { $0 } }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
