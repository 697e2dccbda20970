import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoDelivery
import GonggaoStore
import Synchronization
import Testing
import TestSupport

/// A clock that stands still until the test moves it (lease expiry without waiting).
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Fixtures.t0) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now() } }
}

/// The engine's safety rules: no superseded or withdrawn version is ever sent (not even after a
/// crash), a stop lets in-flight sends finish, circuits are visible in the store, leases cover sends.
@Suite("Delivery engine safety", .serialized)
struct EngineSafetyTests {
    struct World {
        let ts: TestStore
        let clock: ManualClock
        let workflow: NoticeWorkflow
        let engine: DeliveryEngine
    }

    func world(_ backend: StoreBackend, _ adapter: ScriptedAdapter, breakerThreshold: Int = 5,
               policy: RetryPolicy = RetryPolicy(delays: [.milliseconds(1)], jitter: 0)) async throws -> World {
        let ts = try await backend.makeOffPool()
        let clock = ManualClock()
        let workflow = NoticeWorkflow(store: ts.store, users: Fixtures.users, channels: [adapter.channel],
                                      withdrawChannels: [adapter.channel], now: clock.function)
        _ = try await workflow.importProject(Fixtures.sampleProject(), as: "alice")
        let lane = LaneSettings(adapter: adapter, concurrency: 4, ratePerSecond: 1000, retry: policy,
                                breakerThreshold: breakerThreshold, breakerCooldown: .seconds(60))
        let engine = DeliveryEngine(store: ts.store, lanes: [lane], logger: .discard, owner: "wrk_test",
                                    pollInterval: .milliseconds(20), now: clock.function,
                                    publicURL: { p, _ in "https://gg.example/p/\(p.key)" })
        return World(ts: ts, clock: clock, workflow: workflow, engine: engine)
    }

    func approve(_ w: World) async throws -> String {
        let v = try await w.workflow.draft(Fixtures.preAnnouncement(), as: "alice")
        _ = try await w.workflow.submit(v.id, as: "alice")
        _ = try await w.workflow.approve(v.id, as: "bob")
        return v.id
    }

    func deliveries(_ w: World, _ id: String) async throws -> [Delivery] {
        try await w.ts.store.read { try $0.deliveries(DeliveryFilter(noticeID: id)) }
    }

    /// A worker claimed v1's create and was SIGKILLed; v2 was approved (or the notice withdrawn)
    /// meanwhile. After the dead worker's lease expires, the next worker must not send v1.
    @Test(arguments: StoreBackend.allCases, [false, true])
    func aVersionSupersededWhileItsWorkerWasDeadIsCancelledNotResent(backend: StoreBackend, withdraw: Bool) async throws {
        let portal = ScriptedAdapter("provincial-portal")
        let w = try await world(backend, portal)
        defer { Task { await w.ts.cleanup() } }
        let id = try await approve(w)
        let at = w.clock.now()
        let claimed = try await w.ts.store.write { tx in
            try tx.claimDue(channel: "provincial-portal", now: at, owner: "wrk_killed", leaseUntil: at.addingTimeInterval(60), limit: 10)
        }
        #expect(claimed.map(\.version) == [1])
        _ = try await w.workflow.correct(id, content: nil, as: "alice")
        _ = try await w.workflow.submit(id, as: "alice")
        _ = try await w.workflow.approve(id, as: "bob")
        if withdraw { _ = try await w.workflow.withdraw(id, reason: "撤回", as: "bob") }
        // cancelUnfinished leaves the in-flight v1 row alone: only its worker (dead) could end it.
        #expect(try await deliveries(w, id).first?.state == .inFlight)

        let task = Task { await w.engine.run() }
        try await Task.sleep(for: .milliseconds(150))
        #expect(portal.requests.isEmpty, "nothing is claimed while the dead worker's lease runs")
        w.clock.advance(61)
        w.engine.wake()
        #expect(try await eventually { try await deliveries(w, id).allSatisfy(\.state.isFinal) })
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await task.value

        // v1 was never sent again. The dead worker may have delivered it before dying, so v2 goes as
        // an update (which creates the item where it is missing) and the withdrawal is sent.
        #expect(!portal.requests.contains { $0.notice.version == 1 })
        #expect(portal.requests.map(\.operation) == (withdraw ? [.withdraw] : [.update]))
        let ds = try await deliveries(w, id)
        let v1 = try #require(ds.first { $0.version == 1 })
        #expect(v1.state == .cancelled)
        #expect(v1.lastError?.contains(withdraw ? "not sent: v1 is superseded (v2 is withdrawn)" : "not sent: v1 is superseded (v2 is approved)") == true,
                "\(v1.lastError ?? "")")
        let attempts = try await w.ts.store.read { try $0.attempts(deliveryID: v1.id) }
        #expect(attempts.map(\.outcome) == [.cancelled])
        #expect(attempts.first?.reason?.hasPrefix("v1 is superseded") == true)
        let audit = try await w.ts.store.read { try $0.auditEntries(after: 0, limit: 100) }
        #expect(audit.contains { $0.action == "delivery.cancel" && $0.subject == v1.id && $0.actor == "worker wrk_test" })
        if withdraw {
            // The withdrawal follows; the v2 update (cancelled at withdrawal) is never sent either.
            #expect(ds.map { "\($0.version)/\($0.purpose.rawValue)/\($0.state.rawValue)" }
                    == ["1/publish/cancelled", "2/publish/cancelled", "2/withdraw/delivered"])
        } else {
            #expect(ds.map { "\($0.version)/\($0.state.rawValue)" } == ["1/cancelled", "2/delivered"])
        }
    }

    /// A stop (SIGTERM) ends claiming but lets the send in flight finish: it is recorded delivered,
    /// not cancelled, and nothing new is claimed.
    @Test(arguments: StoreBackend.allCases)
    func stopClaimingLetsTheInFlightSendFinish(backend: StoreBackend) async throws {
        let gate = Gate()
        let portal = ScriptedAdapter("provincial-portal") { r, _ in
            await gate.wait()
            return Task.isCancelled ? .retryable("cancelled") : .delivered(DeliveryReceipt(publicationID: "P-\(r.notice.id)"))
        }
        let w = try await world(backend, portal)
        defer { Task { await w.ts.cleanup() } }
        let first = try await approve(w)
        let task = Task { await w.engine.run() }
        #expect(try await eventually { portal.requests.count == 1 })
        w.engine.stopClaiming()
        let second = try await approve(w)
        w.engine.wake()
        try await Task.sleep(for: .milliseconds(200))
        let finished = Mutex(false)
        let watcher = Task { await task.value; finished.withLock { $0 = true } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!finished.withLock { $0 }, "run() waits for the send in flight")
        gate.open()
        await watcher.value
        let d = try #require(try await deliveries(w, first).first)
        #expect(d.state == .delivered && d.receipt?.publicationID == "P-\(first)")
        #expect(try await w.ts.store.read { try $0.attempts(deliveryID: d.id) }.map(\.outcome) == [.delivered])
        #expect(try await deliveries(w, second).first?.state == .pending, "nothing is claimed after the stop")
        #expect(portal.requests.count == 1)
    }

    /// Workers write each circuit change to the store, so `channel list` shows it.
    @Test(arguments: StoreBackend.allCases)
    func circuitChangesAreRecordedInTheStore(backend: StoreBackend) async throws {
        let failing = ScriptedAdapter("provincial-portal") { _, _ in .retryable("HTTP 503", httpStatus: 503) }
        let w = try await world(backend, failing, breakerThreshold: 2,
                                policy: RetryPolicy(delays: Array(repeating: .zero, count: 5), jitter: 0))
        defer { Task { await w.ts.cleanup() } }
        let opened = w.clock.now()
        let id = try await approve(w)
        let task = Task { await w.engine.run() }
        #expect(try await eventually { try await w.ts.store.read { try $0.channelCircuits() }.first?.state == "open" })
        task.cancel()
        await task.value
        let circuit = try #require(try await w.ts.store.read { try $0.channelCircuits() }.first)
        #expect(circuit.channel == "provincial-portal" && circuit.consecutiveFailures == 2 && circuit.worker == "wrk_test")
        #expect(circuit.since == opened && circuit.reopensAt == opened.addingTimeInterval(60))
        #expect(failing.requests.count == 2, "an open circuit sends nothing until its cooldown")
        #expect(try await deliveries(w, id).first?.state == .retrying)
        let desk = DeliveryDesk(store: w.ts.store, users: Fixtures.users, channels: ["provincial-portal"], now: w.clock.function)
        #expect(try await desk.overview().first?.circuit == circuit)
    }

    /// An adapter that overruns its own timeout (a stuck render) is cut off by the lane well within
    /// the lease, and the attempt says so.
    @Test func aSendOverrunningItsTimeoutIsCutOffBeforeTheLeaseEnds() async throws {
        let stuck = ScriptedAdapter("print", timeout: .milliseconds(100)) { _, _ in
            try? await Task.sleep(for: .seconds(30))
            return .delivered(DeliveryReceipt())
        }
        let w = try await world(.sqlite, stuck, policy: RetryPolicy(delays: [.seconds(3600)], jitter: 0))
        defer { Task { await w.ts.cleanup() } }
        let id = try await approve(w)
        let task = Task { await w.engine.run() }
        let started = ContinuousClock.now
        #expect(try await eventually(timeout: .seconds(8)) { try await deliveries(w, id).first?.state == .retrying })
        #expect(ContinuousClock.now - started < .seconds(5))
        task.cancel()
        await task.value
        let d = try #require(try await deliveries(w, id).first)
        let attempt = try #require(try await w.ts.store.read { try $0.attempts(deliveryID: d.id) }.first)
        #expect(attempt.reason?.hasPrefix("no answer within 2.1 s") == true, "\(attempt.reason ?? "")")
    }

    @Test func aLeaseNotLongerThanTheSendIsRefused() {
        let adapter = ScriptedAdapter("print", timeout: .seconds(60))
        #expect(LaneSettings(adapter: adapter).leaseProblem == nil)
        #expect(LaneSettings(adapter: adapter).lease == .seconds(150))
        let short = LaneSettings(adapter: adapter, lease: .seconds(60))
        #expect(short.leaseProblem?.contains("must be longer than the channel's timeout (60.0 s)") == true, "\(short.leaseProblem ?? "")")
        #expect(LaneSettings(adapter: adapter, lease: .seconds(67)).leaseProblem == nil)
    }
}
