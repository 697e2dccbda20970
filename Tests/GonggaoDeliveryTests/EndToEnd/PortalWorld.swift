import Foundation
import GonggaoChannels
import GonggaoCore
import GonggaoDelivery
import GonggaoSandbox
import GonggaoStore
import Synchronization
import TestSupport

/// A clock that starts at a fixed instant and runs with real time, like `gonggao worker` under
/// `GONGGAO_CLOCK`: retries and leases still fall due, but every recorded instant is in 2026.
final class RunningClock: Sendable {
    let start: Date
    private let began = ContinuousClock.now

    init(start: Date = Fixtures.t0) { self.start = start }

    func now() -> Date { start.addingTimeInterval((ContinuousClock.now - began).seconds) }

    var function: @Sendable () -> Date { { self.now() } }
}

/// The real thing in one process: the sandbox portals on a loopback port of the OS's choosing, the
/// three portal adapters (libcurl, signing, templates) pointed at them, a SQLite store in a
/// temporary folder, the approval workflow, and a `DeliveryEngine` over all of it. Sandbox, engine
/// and workflow share one `RunningClock`, so signing timestamps and due times agree.
final class PortalWorld: Sendable {
    static let portals: [SandboxPortal] = [.provincial, .county, .mobile]
    static let channels = portals.map(\.channelKind)

    let clock = RunningClock()
    let sandbox: SandboxServer
    let client: HTTPClient
    let ts: TestStore
    let workflow: NoticeWorkflow
    let engine: DeliveryEngine
    let policy: RetryPolicy
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// - Parameters:
    ///   - policy: every lane's retry schedule.
    ///   - timeoutSeconds: each adapter's total timeout (connect included); a `hang` beyond it is a timeout.
    init(policy: RetryPolicy, timeoutSeconds: Double = 1, concurrency: Int = 4) async throws {
        self.policy = policy
        var config = SandboxConfig.demo()
        config.maxHang = .seconds(5)
        config.now = clock.function
        sandbox = SandboxServer(config: config, logger: .discard)
        try sandbox.start()
        client = try HTTPClient(logger: .discard)
        ts = try StoreBackend.sqlite.make()
        workflow = NoticeWorkflow(store: ts.store, users: Fixtures.users, channels: Self.channels,
                                  withdrawChannels: Self.channels, now: clock.function)
        _ = try await workflow.importProject(Fixtures.sampleProject(), as: "alice")
        let templates = Fixtures.repositoryRoot().appendingPathComponent("Templates/channels").path
        var lanes: [LaneSettings] = []
        for portal in Self.portals {
            let adapter = try ChannelFactory.makeAdapter(
                config: Self.channelConfig(portal, url: sandbox.url(of: portal), timeoutSeconds: timeoutSeconds),
                secrets: .fixed(environment: Self.environment), client: client, logger: .discard,
                templateDirectory: templates)
            // The breaker is out of the way: these tests are about the retry policy, not the circuit.
            lanes.append(LaneSettings(adapter: adapter, concurrency: concurrency, ratePerSecond: 1000, retry: policy,
                                      breakerThreshold: 1000, breakerCooldown: .milliseconds(100)))
        }
        engine = DeliveryEngine(store: ts.store, lanes: lanes, logger: .discard, pollInterval: .milliseconds(20),
                                now: clock.function, publicURL: { p, _ in "https://gonggao.example.gov.cn/p/\(p.key)" },
                                random: { 0.5 })
    }

    /// Starts the engine's lanes (a task the test owns; `stop()` cancels it).
    func run() {
        let engine = engine
        task.withLock { $0 = Task { await engine.run() } }
    }

    func stop() async {
        let running = task.withLock { t -> Task<Void, Never>? in defer { t = nil }; return t }
        running?.cancel()
        await running?.value
        await client.shutdown(gracePeriod: .zero)
        await sandbox.stop()
        await ts.cleanup()
    }

    // MARK: notices

    /// Drafts and submits a fresh pre-announcement (not yet approved: faults can be aimed at its id first).
    func submittedNotice() async throws -> String {
        let v = try await workflow.draft(Fixtures.preAnnouncement(), as: "alice")
        _ = try await workflow.submit(v.id, as: "alice")
        return v.id
    }

    /// Approves the submitted version and wakes the lanes, as `notice approve` does in `serve`.
    func approve(_ id: String) async throws {
        _ = try await workflow.approve(id, as: "bob")
        engine.wake()
    }

    func deliveries(_ id: String) async throws -> [Delivery] {
        try await ts.store.read { try $0.deliveries(DeliveryFilter(noticeID: id)) }
    }

    func attempts(_ deliveryID: String) async throws -> [DeliveryAttempt] {
        try await ts.store.read { try $0.attempts(deliveryID: deliveryID) }
    }

    /// The sandbox's requests concerning one notice, in arrival order.
    func log(_ portal: SandboxPortal, notice id: String) -> [SandboxLogEntry] {
        sandbox.log(of: portal).filter { $0.noticeId == id }
    }

    // MARK: config

    static let environment: [String: String] = [
        "GG_PROVINCIAL_SECRET": SandboxConfig.Demo.provincialSecret,
        "GG_COUNTY_SECRET": SandboxConfig.Demo.countySecret,
        "GG_COUNTY_TOKEN": SandboxConfig.Demo.countyBearerToken,
        "GG_MOBILE_SECRET": SandboxConfig.Demo.mobileSecret,
        "GG_MOBILE_APPKEY": SandboxConfig.Demo.mobileAppKey,
    ]

    /// The channel entry a deployer would write for `portal`, with the sandbox's demo credentials.
    static func channelConfig(_ portal: SandboxPortal, url: String, timeoutSeconds: Double) -> ChannelConfig {
        var config: ChannelConfig
        switch portal {
        case .provincial:
            config = ChannelConfig(name: portal.channelKind, type: ChannelKind.provincialPortal,
                                   signing: .init(secrets: [.environment("GG_PROVINCIAL_SECRET")]))
        case .county:
            config = ChannelConfig(name: portal.channelKind, type: ChannelKind.countyColumn,
                                   signing: .init(secrets: [.environment("GG_COUNTY_SECRET")]),
                                   credential: .environment("GG_COUNTY_TOKEN"),
                                   county: .init(orgCode: "000014349", siteId: "3305230001"))
        case .mobile:
            config = ChannelConfig(name: portal.channelKind, type: ChannelKind.mobilePlatform,
                                   signing: .init(secrets: [.environment("GG_MOBILE_SECRET")]),
                                   credential: .environment("GG_MOBILE_APPKEY"))
        }
        config.url = url
        config.timeoutSeconds = timeoutSeconds
        config.connectTimeoutSeconds = min(1, timeoutSeconds)
        return config
    }
}

extension SandboxPortal {
    /// The portal a channel of the sandbox's kind delivers to.
    init(channel: String) { self = SandboxPortal(name: channel)! }

    /// The start of the publication ids this portal assigns (CONTRACT.md), e.g. `PRV-2026-`.
    var publicationPrefix: String {
        switch self {
        case .provincial: "PRV-2026-"
        case .county: "CTY-2026-"
        case .mobile: "MOB-2026-"
        }
    }
}
