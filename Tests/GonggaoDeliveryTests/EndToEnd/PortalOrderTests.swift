import Foundation
import GonggaoCore
import GonggaoSandbox
import HTTPTestSupport
import Testing

/// Order per (notice, channel) against the real portals: a correction and a withdrawal approved
/// while earlier sends are still in flight reach every portal after them, never before.
@Suite("Order against the sandbox portals", .serialized)
struct PortalOrderTests {
    static let policy = RetryPolicy(delays: [.milliseconds(100), .milliseconds(100)], jitter: 0)
    /// Long enough to act while a send is in flight, well inside the adapters’ 10 s timeout (loaded CI machines).
    static let slowAnswer = 2500

    @Test func createThenUpdateThenWithdrawOnEveryPortal() async throws {
        let world = try await PortalWorld(policy: Self.policy, timeoutSeconds: 10)
        world.run()
        let id = try await world.submittedNotice()
        // The notice's first two requests on each portal are processed at once but answered slowly:
        // v1's create, then v2's update, each stays in flight at the engine for 2.5 s.
        for portal in PortalWorld.portals {
            try world.sandbox.inject(SandboxFault(mode: .slow, count: 2, delayMs: Self.slowAnswer, noticeId: id), into: portal)
        }
        let requestsSeen: @Sendable (Int) -> Bool = { n in PortalWorld.portals.allSatisfy { world.log($0, notice: id).count == n } }

        try await world.approve(id)
        #expect(try await eventually { requestsSeen(1) }, "v1's create reached every portal")
        #expect(try await world.deliveries(id).map(\.state) == [.inFlight, .inFlight, .inFlight])

        // v2 is approved while v1's create is in flight: its update waits.
        _ = try await world.workflow.correct(id, content: nil, as: "alice")
        _ = try await world.workflow.submit(id, as: "alice")
        let v2 = try await world.workflow.approve(id, as: "bob")
        #expect(v2.changed && v2.version.version == 2 && v2.deliveries.count == 3)
        world.engine.wake()
        try await Task.sleep(for: .milliseconds(400))
        #expect(requestsSeen(1), "no update overtook an in-flight create")

        // v2's update is in flight when the notice is withdrawn: the withdrawal waits for it.
        #expect(try await eventually { requestsSeen(2) }, "v2's update reached every portal")
        let inFlight = try await world.deliveries(id).filter { $0.version == 2 && $0.purpose == .publish }
        #expect(inFlight.map(\.state) == [.inFlight, .inFlight, .inFlight])
        let reason = "项目范围调整，撤回本公告"
        let withdrawn = try await world.workflow.withdraw(id, reason: reason, as: "bob")
        #expect(withdrawn.changed)
        world.engine.wake()
        try await Task.sleep(for: .milliseconds(400))
        #expect(requestsSeen(2), "no withdrawal overtook an in-flight update")

        #expect(try await eventually { try await world.deliveries(id).allSatisfy(\.state.isFinal) })
        let deliveries = try await world.deliveries(id)
        #expect(deliveries.map { "\($0.version)/\($0.purpose.rawValue)/\($0.state.rawValue)" }.sorted() == [
            "1/publish/delivered", "1/publish/delivered", "1/publish/delivered",
            "2/publish/delivered", "2/publish/delivered", "2/publish/delivered",
            "2/withdraw/delivered", "2/withdraw/delivered", "2/withdraw/delivered",
        ])

        for portal in PortalWorld.portals {
            let mine = deliveries.filter { $0.channel == portal.channelKind }
            let create = try #require(mine.first { $0.version == 1 })
            let update = try #require(mine.first { $0.version == 2 && $0.purpose == .publish })
            let withdraw = try #require(mine.first { $0.purpose == .withdraw })
            let item = try #require(world.sandbox.item(id, of: portal), "\(portal) holds the notice")
            let publish = portal == .provincial ? ["create", "update"] : ["publish", "publish"]
            #expect(item.history.map(\.operation) == publish + ["withdraw"], "\(portal): \(item.history)")
            #expect(item.history.map(\.effect) == [.created, .updated, .withdrawn], "\(portal): \(item.history)")
            #expect(item.history.map(\.version) == [1, 2, 2])
            #expect(item.history.map(\.webhookId) == [create.id, update.id, withdraw.id])
            #expect(item.history.map(\.seq) == item.history.map(\.seq).sorted())
            #expect(item.status == .withdrawn && item.version == 2 && item.withdrawalReason == reason)
            #expect(world.log(portal, notice: id).map(\.outcome) == ["created", "updated", "withdrawn"])
            // One publication id for the item's whole life, as every receipt says.
            #expect(create.receipt?.publicationID == item.publicationId && update.receipt?.publicationID == item.publicationId)
            #expect(create.attempts == 1 && update.attempts == 1 && withdraw.attempts == 1)

            // The same record over the sandbox's HTTP endpoints: the admin book and the public page.
            let book = try await Loopback.request(port: world.sandbox.port, "GET", "/_sandbox/\(portal.rawValue)/items/\(id)")
            let history = (book.json?["history"] as? [[String: Any]] ?? []).compactMap { $0["effect"] as? String }
            #expect(book.status == 200 && history == ["created", "updated", "withdrawn"], "\(book.text.prefix(300))")
            #expect(book.json?["status"] as? String == "withdrawn")
            let page = try await Loopback.request(port: world.sandbox.port, "GET", "/\(portal.rawValue)/public/\(item.publicationId)")
            #expect(page.status == 410, "\(portal): the public page of a withdrawn item is gone")
        }
        await world.stop()
    }
}
