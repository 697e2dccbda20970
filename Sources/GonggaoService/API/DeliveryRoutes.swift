import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// `{"channel": "…", "since": "2026-12-01T00:00:00Z", "includeAll": false}` for a bulk replay.
struct ReplayBody: Decodable, Sendable {
    let channel: String
    let since: String
    let includeAll: Bool?
}

extension ServiceApp {
    var deliveryEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/api/deliveries", .officers) { [self] in try await listDeliveries($0) },
            Endpoint(.post, "/api/deliveries/replay", .approvers) { [self] in try await replayDeliveries($0) },
            Endpoint(.get, "/api/deliveries/{id}", .officers) { [self] in try await showDelivery($0) },
            Endpoint(.post, "/api/deliveries/{id}/retry", .approvers) { [self] in try await retryDelivery($0) },
        ]
    }

    func listDeliveries(_ call: Call) async throws -> HTTPResponse {
        var version: Int?
        if let raw = call.query("version") {
            guard let v = Int(raw), v >= 1 else {
                throw HTTPError(status: 400, code: "bad-parameter", message: "version must be a positive integer", field: "version")
            }
            version = v
        }
        let filter = DeliveryFilter(
            noticeID: call.query("notice"), version: version, state: try call.query("state", as: DeliveryState.self),
            channel: call.query("channel"), limit: try call.limit(default: 200, max: 10_000))
        let deliveries = try await environment.store.read { tx in try tx.deliveries(filter) }
        return .json(ListResult(deliveries))
    }

    func showDelivery(_ call: Call) async throws -> HTTPResponse {
        let id = call.parameter("id")
        let found = try await environment.store.read { tx -> DeliveryDetail? in
            guard let d = try tx.delivery(id) else { return nil }
            return DeliveryDetail(delivery: d, attempts: try tx.attempts(deliveryID: id))
        }
        guard let found else { throw WorkflowError.unknownDelivery(id) }
        return .json(found)
    }

    func retryDelivery(_ call: Call) async throws -> HTTPResponse {
        .json(try await retry(call.parameter("id"), as: call.user))
    }

    /// Re-queues one delivery and wakes the workers (the API's and the console's path).
    func retry(_ id: String, as user: User) async throws -> Delivery {
        let d = try await environment.desk.retry(id, as: user.name)
        environment.wake()
        return d
    }

    /// Re-queues `channel`'s dead letters since `since` and wakes the workers (the API's and the console's path).
    func replay(channel: String, since: Date, includeAll: Bool, as user: User) async throws -> [Delivery] {
        let requeued = try await environment.desk.replay(channel: channel, since: since, includeAll: includeAll, as: user.name)
        if !requeued.isEmpty { environment.wake() }
        return requeued
    }

    func replayDeliveries(_ call: Call) async throws -> HTTPResponse {
        let body = try JSONBody.require(ReplayBody.self, from: call.request)
        guard let since = Instant.parse(body.since) else {
            throw ValidationError(field: "since", "'\(body.since)' is not an ISO 8601 instant or a YYYY-MM-DD date")
        }
        let requeued = try await replay(channel: body.channel, since: since, includeAll: body.includeAll ?? false, as: call.user)
        return .json(ListResult(requeued))
    }
}
