import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoDelivery
import GonggaoHTTP
import GonggaoStore
import Synchronization
import Testing
import TestSupport

/// Statutory warnings reach the officers' alert endpoint as signed Standard Webhooks, through the
/// real HTTP client, with the delivery retry policy and dead letters — against a receiver on loopback
/// that verifies every signature.
@Suite(.serialized) struct AlertDispatchTests {
    static let secret = StandardWebhooks.Secret("whsec_dGVzdC1hbGVydHMtc2VjcmV0LTAwMDAwMDAwMDA=")!

    /// What the receiver saw: webhook-id and whether its signature verified, per request.
    final class Receiver: Sendable {
        let seen = Mutex<[(id: String, verified: Bool, type: String)]>([])
        /// Answer 503 to the first request of each id, then `finalStatus`.
        let finalStatus: Int
        /// The test's clock (the dispatcher signs with it).
        let now: @Sendable () -> Date

        init(finalStatus: Int, now: @escaping @Sendable () -> Date) {
            self.finalStatus = finalStatus
            self.now = now
        }

        var router: Router {
            var r = Router()
            r.post("/alerts") { [self] request in
                let id = request.headers["webhook-id"] ?? ""
                let verified = (try? StandardWebhooks.verify(
                    id: request.headers["webhook-id"], timestamp: request.headers["webhook-timestamp"],
                    signatures: request.headers["webhook-signature"], body: request.body, secret: Self.secret, now: now())) != nil
                let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
                let first = seen.withLock { list in
                    defer { list.append((id, verified, object?["type"] as? String ?? "")) }
                    return !list.contains { $0.id == id }
                }
                if !verified { return GonggaoHTTP.HTTPResponse(status: 401) }
                return GonggaoHTTP.HTTPResponse(status: first ? 503 : finalStatus)
            }
            return r
        }

        static var secret: StandardWebhooks.Secret { AlertDispatchTests.secret }
    }

    /// A store holding the sample project and an approved pre-announcement nobody posted (no channels,
    /// so only the three not-posted warnings arise), and a desk
    /// that gives every raised or escalated warning an alert.
    func world(_ ts: TestStore) async throws -> (WarningDesk, @Sendable (String) -> Void, @Sendable () -> Date) {
        let clock = Mutex(Date())
        let set: @Sendable (String) -> Void = { day in clock.withLock { $0 = CivilDate(iso: day)!.startInstant.addingTimeInterval(36_000) } }
        set("2026-12-01")
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let statutory = StatutoryClock(calendar: try Fixtures.shippedCalendar())
        let wf = NoticeWorkflow(store: ts.store, users: Fixtures.users, channels: [], withdrawChannels: [], now: now,
                                statutory: statutory)
        _ = try await wf.importProject(Fixtures.sampleProject(), as: "alice")
        let draft = try await wf.draft(Fixtures.preAnnouncement(), as: "alice")
        _ = try await wf.submit(draft.id, as: "alice")
        _ = try await wf.approve(draft.id, as: "bob")
        var desk = WarningDesk(store: ts.store, clock: statutory, users: Fixtures.users, now: now)
        desk.alertChannel = "officer-alerts"
        return (desk, set, now)
    }

    func dispatcher(_ ts: TestStore, port: UInt16, client: HTTPClient, attempts: Int, now: @escaping @Sendable () -> Date) -> AlertDispatcher {
        let endpoint = AlertEndpoint(url: "http://127.0.0.1:\(port)/alerts", signer: WebhookSigner(secrets: [Self.secret]))
        return AlertDispatcher(store: ts.store, endpoint: endpoint, client: client,
                               policy: RetryPolicy(delays: Array(repeating: .zero, count: attempts - 1), jitter: 0),
                               now: now, logger: .discard)
    }

    @Test func raisedAndEscalatedWarningsAreDeliveredSignedAfterARetry() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let (desk, setDay, now) = try await world(ts)
            let receiver = Receiver(finalStatus: 200, now: now)
            let server = HTTPServer(router: receiver.router, logger: .discard)
            try server.start()
            let client = try HTTPClient(logger: .discard)
            let alerts = dispatcher(ts, port: server.port, client: client, attempts: 5, now: now)

            setDay("2026-12-02")
            #expect(try await desk.evaluate().raised.filter { $0.kind == .notPosted }.count == 3)
            #expect(try await alerts.runOnce() == 3, "three raised warnings, three alerts")
            #expect(try await alerts.runOnce() == 3, "each answered 503 once: retried")
            #expect(try await alerts.runOnce() == 0, "nothing left to send")
            var stored = try await ts.store.read { tx in try tx.warnings(WarningFilter(kind: .notPosted)) }
            #expect(stored.allSatisfy { $0.alert?.state == .delivered && $0.alert?.attempts == 2 })

            setDay("2026-12-07")
            #expect(try await desk.evaluate().escalated.filter { $0.kind == .notPosted }.count == 3)
            let firstRound = try await alerts.runOnce()
            let secondRound = try await alerts.runOnce()
            #expect(firstRound == 3 && secondRound == 3)
            stored = try await ts.store.read { tx in try tx.warnings(WarningFilter(kind: .notPosted)) }
            #expect(stored.allSatisfy { $0.alert?.state == .delivered && $0.alert?.version == 2 }, "the escalation is a new alert")

            let seen = receiver.seen.withLock { $0 }
            #expect(seen.count == 12 && seen.allSatisfy(\.verified), "every push signed with the endpoint's secret")
            #expect(Set(seen.map(\.id)).count == 6, "a retry keeps its webhook-id; an escalation has its own")
            #expect(seen.filter { $0.type == "warning.escalated" }.count == 6)
            await client.shutdown()
            await server.stop()
        }
    }

    @Test func aRefusingEndpointEndsAsADeadLetterAndNothingElseChanges() async throws {
        try await StoreBackend.sqlite.withStore { ts in
            let (desk, setDay, now) = try await world(ts)
            let receiver = Receiver(finalStatus: 400, now: now)
            let server = HTTPServer(router: receiver.router, logger: .discard)
            try server.start()
            let client = try HTTPClient(logger: .discard)
            let alerts = dispatcher(ts, port: server.port, client: client, attempts: 5, now: now)
            setDay("2026-12-02")
            _ = try await desk.evaluate()
            try await alerts.runOnce()
            try await alerts.runOnce()
            let stored = try await ts.store.read { tx in try tx.warnings(WarningFilter(kind: .notPosted)) }
            #expect(stored.count == 3 && stored.allSatisfy { $0.alert?.state == .dead && $0.state == .open })
            #expect(stored.allSatisfy { $0.alert?.lastError?.contains("400") == true }, "\(stored.map { $0.alert?.lastError ?? "" })")
            #expect(try await alerts.runOnce() == 0, "a dead letter is not retried by itself")
            await client.shutdown()
            await server.stop()
        }
    }
}
