import Foundation
import GonggaoCore
import GonggaoHTTP

/// One channel's health: paused, deliveries by state, oldest waiting, last success, circuit.
struct ChannelView: Encodable, Sendable {
    let channel: String
    let paused: Bool
    let deliveries: [String: Int]
    let oldestWaiting: Date?
    let lastSuccess: Date?
    /// `closed`, `open`, `half-open`; nil when this process runs no worker for the channel.
    let circuit: String?
    let inFlight: Int?
}

extension ServiceApp {
    var channelEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/api/channels", .officers) { [self] _ in try await listChannels() },
            Endpoint(.post, "/api/channels/{name}/pause", .approvers) { [self] in try await pauseChannel($0, paused: true) },
            Endpoint(.post, "/api/channels/{name}/resume", .approvers) { [self] in try await pauseChannel($0, paused: false) },
        ]
    }

    func channelViews() async throws -> [ChannelView] {
        let overview = try await environment.desk.overview()
        let lanes = Dictionary(environment.laneStatus().map { ($0.channel, $0) }) { a, _ in a }
        return overview.map { o in
            var counts: [String: Int] = [:]
            for state in DeliveryState.allCases { counts[state.rawValue] = o.counts[state] ?? 0 }
            return ChannelView(channel: o.channel, paused: o.paused, deliveries: counts, oldestWaiting: o.oldestWaiting,
                               lastSuccess: o.lastSuccess, circuit: lanes[o.channel]?.circuit, inFlight: lanes[o.channel]?.inFlight)
        }
    }

    func listChannels() async throws -> HTTPResponse {
        .json(ListResult(try await channelViews()))
    }

    func pauseChannel(_ call: Call, paused: Bool) async throws -> HTTPResponse {
        let name = call.parameter("name")
        guard environment.desk.channels.contains(name) else {
            throw HTTPError(status: 404, code: "channel-not-found", message: "unknown channel '\(name)'")
        }
        try await environment.desk.setPaused(name, paused, as: call.user.name)
        if !paused { environment.wake() }
        let view = try await channelViews().first { $0.channel == name }
        return .json(view)
    }
}
