import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoDelivery
import GonggaoStore
import Synchronization
import Testing
import TestSupport

/// The engine's mechanics on real stores: lanes, retries, dead letters, isolation, order, leases.
@Suite("Delivery engine", .serialized)
struct EngineTests {
    static let fast = RetryPolicy(delays: [.milliseconds(30), .milliseconds(30)], jitter: 0)

    final class Harness: @unchecked Sendable {
        // @unchecked: `task` is set once by the test's own task before anything else reads it.
        let ts: TestStore
        let workflow: NoticeWorkflow
        let engine: DeliveryEngine
        var task: Task<Void, Never>?

        init(ts: TestStore, workflow: NoticeWorkflow, engine: DeliveryEngine) {
            self.ts = ts
            self.workflow = workflow
            self.engine = engine
        }

        func run() {
            let engine = self.engine
            task = Task { await engine.run() }
        }

        func stop() async {
            task?.cancel()
            await task?.value
            await ts.cleanup()
        }

        /// Drafts, submits and approves a fresh pre-announcement; returns its id.
        func approvedNotice() async throws -> String {
            let v = try await workflow.draft(Fixtures.preAnnouncement(), as: "alice")
            _ = try await workflow.submit(v.id, as: "alice")
            _ = try await workflow.approve(v.id, as: "bob")
            engine.wake()
            return v.id
        }

        func deliveries(_ id: String) async throws -> [Delivery] {
            try await ts.store.read { try $0.deliveries(DeliveryFilter(noticeID: id)) }
        }
    }

    func start(_ backend: StoreBackend, _ adapters: [ScriptedAdapter], policy: RetryPolicy = fast,
               breakerThreshold: Int = 5, running: Bool = true) async throws -> Harness {
        let ts = try await backend.makeOffPool()
        let workflow = NoticeWorkflow(store: ts.store, users: Fixtures.users, channels: adapters.map(\.channel),
                                      withdrawChannels: adapters.map(\.channel), now: { Date() })
        _ = try await workflow.importProject(Fixtures.sampleProject(), as: "alice")
        let lanes = adapters.map { LaneSettings(adapter: $0, concurrency: 4, ratePerSecond: 1000, retry: policy,
                                                breakerThreshold: breakerThreshold, breakerCooldown: .milliseconds(200)) }
        let engine = DeliveryEngine(store: ts.store, lanes: lanes, logger: .discard, pollInterval: .milliseconds(50),
                                    publicURL: { p, _ in "https://gg.example/p/\(p.key)" })
        let h = Harness(ts: ts, workflow: workflow, engine: engine)
        if running { h.run() }
        return h
    }

    @Test(arguments: StoreBackend.allCases)
    func approvalIsDeliveredOnEveryChannel(backend: StoreBackend) async throws {
        let adapters = Fixtures.channels.map { ScriptedAdapter($0) }
        let h = try await start(backend, adapters)
        let id = try await h.approvedNotice()
        #expect(try await eventually { try await h.deliveries(id).allSatisfy { $0.state == .delivered } })
        for d in try await h.deliveries(id) {
            #expect(d.attempts == 1 && d.receipt?.publicationID == "PUB-\(id)" && d.leaseOwner == nil)
            let attempts = try await h.ts.store.read { try $0.attempts(deliveryID: d.id) }
            #expect(attempts.map(\.outcome) == [.delivered])
        }
        #expect(adapters.allSatisfy { $0.requests.map(\.operation) == [.create] })
        #expect(adapters[1].requests.first?.delivery.id == (try await h.deliveries(id))[1].id)
        await h.stop()
    }

    @Test(arguments: StoreBackend.allCases)
    func retryableFailuresRetryThenDeliver(backend: StoreBackend) async throws {
        let flaky = ScriptedAdapter("provincial-portal") { r, n in
            n <= 2 ? .retryable("HTTP 503", retryAfter: nil, httpStatus: 503) : .delivered(DeliveryReceipt(publicationID: "P1"))
        }
        let h = try await start(backend, [flaky])
        let id = try await h.approvedNotice()
        #expect(try await eventually { try await h.deliveries(id).first?.state == .delivered })
        let d = try #require(try await h.deliveries(id).first)
        #expect(d.attempts == 3)
        let attempts = try await h.ts.store.read { try $0.attempts(deliveryID: d.id) }
        #expect(attempts.map(\.outcome) == [.retryable, .retryable, .delivered])
        #expect(attempts.map(\.number) == [1, 2, 3])
        #expect(attempts[0].detail.contains("HTTP 503"))
        // Every try carried the same idempotency key.
        #expect(Set(flaky.requests.map(\.delivery.id)) == [d.id])
        await h.stop()
    }

    @Test(arguments: StoreBackend.allCases)
    func exhaustedAndRejectedDeliveriesAreDeadLettered(backend: StoreBackend) async throws {
        let failing = ScriptedAdapter("provincial-portal") { _, _ in .retryable("HTTP 500", httpStatus: 500) }
        let refusing = ScriptedAdapter("county-column") { _, _ in .rejected("HTTP 422 title too long", httpStatus: 422) }
        let h = try await start(backend, [failing, refusing], breakerThreshold: 100)
        let id = try await h.approvedNotice()
        #expect(try await eventually { try await h.deliveries(id).allSatisfy { $0.state == .dead } })
        let ds = try await h.deliveries(id)
        #expect(ds[0].attempts == 3 && ds[0].lastError == "gave up after 3 attempts: HTTP 500")
        #expect(ds[1].attempts == 1 && ds[1].lastError == "rejected: HTTP 422 title too long")
        await h.stop()
    }

    @Test func aHangingPortalDelaysNoOtherChannel() async throws {
        let hanging = ScriptedAdapter("provincial-portal", timeout: .seconds(3)) { _, _ in
            try? await Task.sleep(for: .seconds(3))
            return .retryable("timeout after 3 s", transportError: 28)
        }
        let healthy = ["print", "county-column", "mobile-platform"].map { ScriptedAdapter($0) }
        let h = try await start(.sqlite, [hanging] + healthy)
        let started = ContinuousClock.now
        let id = try await h.approvedNotice()
        #expect(try await eventually(timeout: .seconds(5)) {
            try await h.deliveries(id).filter { $0.channel != "provincial-portal" }.allSatisfy { $0.state == .delivered }
        })
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(try await h.deliveries(id).first { $0.channel == "provincial-portal" }?.state == .inFlight)
        await h.stop()
    }

    @Test(arguments: StoreBackend.allCases)
    func oneNoticeOnOneChannelGoesInOrder(backend: StoreBackend) async throws {
        let gate = Gate()
        let portal = ScriptedAdapter("provincial-portal") { r, n in
            if n == 1 { await gate.wait() } // v1's create stays in flight
            return .delivered(DeliveryReceipt(publicationID: "P-\(r.notice.id)"))
        }
        let h = try await start(backend, [portal])
        let id = try await h.approvedNotice()
        #expect(try await eventually { portal.requests.count == 1 })
        let v2 = try await h.workflow.correct(id, content: nil, as: "alice")
        _ = try await h.workflow.submit(id, as: "alice")
        _ = try await h.workflow.approve(id, as: "bob")
        h.engine.wake()
        try await Task.sleep(for: .milliseconds(300))
        #expect(portal.requests.count == 1) // the update waits behind the in-flight create
        gate.open()
        #expect(try await eventually { try await h.deliveries(id).allSatisfy { $0.state == .delivered } })
        _ = try await h.workflow.withdraw(id, reason: "范围调整", as: "bob")
        h.engine.wake()
        #expect(try await eventually { try await h.deliveries(id).allSatisfy { $0.state == .delivered } && portal.requests.count == 3 })
        #expect(portal.requests.map(\.operation) == [.create, .update, .withdraw])
        #expect(portal.requests.map(\.notice.version) == [1, v2.version, v2.version])
        #expect(portal.requests[1].priorReceipt?.publicationID == "P-\(id)")
        await h.stop()
    }

    @Test func aWithdrawalOvertakesNoCreateAndCancelsTheUnsentUpdate() async throws {
        let gate = Gate()
        let portal = ScriptedAdapter("provincial-portal") { r, n in
            if n == 1 { await gate.wait() }
            return .delivered(DeliveryReceipt(publicationID: "P-\(r.notice.id)"))
        }
        let h = try await start(.sqlite, [portal])
        let id = try await h.approvedNotice()
        #expect(try await eventually { portal.requests.count == 1 })
        _ = try await h.workflow.correct(id, content: nil, as: "alice")
        _ = try await h.workflow.submit(id, as: "alice")
        _ = try await h.workflow.approve(id, as: "bob")
        _ = try await h.workflow.withdraw(id, reason: "撤回", as: "bob")
        h.engine.wake()
        try await Task.sleep(for: .milliseconds(300))
        #expect(portal.requests.count == 1)
        gate.open()
        #expect(try await eventually { try await h.deliveries(id).allSatisfy(\.state.isFinal) && portal.requests.count == 2 })
        // The withdrawn version's update is never sent; the withdrawal follows the create.
        #expect(portal.requests.map(\.operation) == [.create, .withdraw])
        let states = try await h.deliveries(id).map { "\($0.version)/\($0.purpose.rawValue)/\($0.state.rawValue)" }
        #expect(states == ["1/publish/delivered", "2/publish/cancelled", "2/withdraw/delivered"])
        await h.stop()
    }

    @Test(arguments: StoreBackend.allCases)
    func anExpiredLeaseIsReclaimed(backend: StoreBackend) async throws {
        let portal = ScriptedAdapter("provincial-portal")
        let h = try await start(backend, [portal], running: false)
        let id = try await h.approvedNotice()
        // A worker that dies mid-attempt leaves its claim behind; while its lease runs nobody else takes it.
        let now = Date()
        let claimed = try await h.ts.store.write { tx in
            try tx.claimDue(channel: "provincial-portal", now: now, owner: "dead-worker", leaseUntil: now.addingTimeInterval(0.5), limit: 10)
        }
        #expect(claimed.count == 1 && claimed[0].attempts == 1)
        let second = try await h.ts.store.write { tx in
            try tx.claimDue(channel: "provincial-portal", now: now, owner: "other", leaseUntil: now.addingTimeInterval(60), limit: 10)
        }
        #expect(second.isEmpty)
        h.run()
        #expect(try await eventually { try await h.deliveries(id).first?.state == .delivered })
        let d = try #require(try await h.deliveries(id).first)
        #expect(d.attempts == 2 && d.leaseOwner == nil)
        #expect(portal.requests.count == 1)
        await h.stop()
    }

    @Test(arguments: StoreBackend.allCases)
    func aPausedChannelWaitsAndResumes(backend: StoreBackend) async throws {
        let portal = ScriptedAdapter("provincial-portal")
        let printer = ScriptedAdapter("print")
        let h = try await start(backend, [printer, portal])
        let desk = DeliveryDesk(store: h.ts.store, users: Fixtures.users, channels: ["print", "provincial-portal"], now: { Date() })
        try await desk.setPaused("provincial-portal", true, as: "bob")
        let id = try await h.approvedNotice()
        #expect(try await eventually { try await h.deliveries(id).first { $0.channel == "print" }?.state == .delivered })
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await h.deliveries(id).first { $0.channel == "provincial-portal" }?.state == .pending)
        let overview = try await desk.overview()
        #expect(overview.first { $0.channel == "provincial-portal" }?.paused == true)
        try await desk.setPaused("provincial-portal", false, as: "bob")
        h.engine.wake()
        #expect(try await eventually { try await h.deliveries(id).allSatisfy { $0.state == .delivered } })
        await h.stop()
    }

    @Test func operatorRetryAndReplayNeverResendASupersededVersion() async throws {
        let failing = ScriptedAdapter("provincial-portal") { _, _ in .rejected("HTTP 400", httpStatus: 400) }
        let h = try await start(.sqlite, [failing])
        let desk = DeliveryDesk(store: h.ts.store, users: Fixtures.users, channels: ["provincial-portal"], now: { Date() })
        let id = try await h.approvedNotice()
        #expect(try await eventually { try await h.deliveries(id).first?.state == .dead })
        let dead = try #require(try await h.deliveries(id).first)
        let retried = try await desk.retry(dead.id, as: "bob")
        #expect(retried.state == .pending && retried.attempts == 0)
        h.engine.wake()
        #expect(try await eventually { try await h.deliveries(id).first?.state == .dead && failing.requests.count == 2 })
        // A correction supersedes v1: its dead letter can no longer be retried or replayed.
        _ = try await h.workflow.correct(id, content: nil, as: "alice")
        _ = try await h.workflow.submit(id, as: "alice")
        _ = try await h.workflow.approve(id, as: "bob")
        h.engine.wake()
        #expect(try await eventually { try await h.deliveries(id).allSatisfy { $0.state == .dead } })
        await #expect(throws: DeliveryDesk.Refusal.self) { try await desk.retry(dead.id, as: "bob") }
        let replayed = try await desk.replay(channel: "provincial-portal", since: .distantPast, as: "bob")
        #expect(replayed.map(\.version) == [2])
        await #expect(throws: WorkflowError.self) { try await desk.retry(dead.id, as: "alice") }
        await h.stop()
    }

    @Test func nothingToWithdrawWhereTheChannelNeverGotIt() async throws {
        let refusing = ScriptedAdapter("mobile-platform") { r, _ in
            r.operation == .withdraw ? .delivered(DeliveryReceipt()) : .rejected("HTTP 400", httpStatus: 400)
        }
        let h = try await start(.sqlite, [refusing])
        let id = try await h.approvedNotice()
        #expect(try await eventually { try await h.deliveries(id).first?.state == .dead })
        _ = try await h.workflow.withdraw(id, reason: "撤回", as: "bob")
        h.engine.wake()
        #expect(try await eventually { try await h.deliveries(id).last?.state == .delivered })
        #expect(refusing.requests.map(\.operation) == [.create])
        #expect(try await h.deliveries(id).last?.receipt?.excerpt?.contains("nothing to withdraw") == true)
        await h.stop()
    }
}

/// Blocks callers until opened.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { c in
            let resume = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if resume { c.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        waiters.forEach { $0.resume() }
    }
}
