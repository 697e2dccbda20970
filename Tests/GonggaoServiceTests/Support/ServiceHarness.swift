import Foundation
import GonggaoCore
import GonggaoDelivery
import GonggaoHTTP
@testable import GonggaoService
import GonggaoStore
import HTTPTestSupport
import Synchronization
import TestSupport

/// A clock tests set by hand.
final class ManualClock: Sendable {
    private let instant: Mutex<Date>

    init(_ start: Date = Fixtures.t0) { instant = Mutex(start) }

    func now() -> Date { instant.withLock { $0 } }
    func advance(by seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now() } }
}

/// The fixture users plus a printer and a poster (who only fetch posters).
enum ServiceUsers {
    static let directory = UserDirectory(
        Fixtures.users.all + [
            User(name: "pete", displayName: "打印员", roles: [.printer]),
            User(name: "polly", displayName: "张贴员", roles: [.poster]),
        ])

    /// One user per role, for the authorization matrix.
    static let byRole: [(role: String, user: String)] = [
        ("drafter", "alice"), ("approver", "bob"), ("admin", "root"), ("printer", "pete"), ("poster", "polly"),
        ("viewer", "vera"),
    ]
}

/// A running service over a fresh store, with a token for every user.
final class ServiceHarness: Sendable {
    let testStore: TestStore
    let clock: ManualClock
    let app: ServiceApp
    let server: HTTPServer
    let tokens: [String: String]
    let counters: Counters
    let logs: LogCapture

    var store: any NoticeStore { testStore.store }
    var port: UInt16 { server.port }
    var workflow: NoticeWorkflow { app.environment.workflow }

    static let base = "https://gonggao.example.gov.cn"

    static func pagesDirectory() -> String {
        Fixtures.repositoryRoot().appendingPathComponent("Templates/pages").path
    }

    private init(testStore: TestStore, clock: ManualClock, app: ServiceApp, server: HTTPServer, tokens: [String: String],
                 counters: Counters, logs: LogCapture) {
        self.testStore = testStore
        self.clock = clock
        self.app = app
        self.server = server
        self.tokens = tokens
        self.counters = counters
        self.logs = logs
    }

    var wakes: Int { counters.wakes.load(ordering: .relaxed) }
    var renders: Int { counters.renders.load(ordering: .relaxed) }

    /// Starts a service; `configure` may change the environment before the app is built.
    /// `tokenLifetime`: of every user's token (tests that move the clock by weeks need longer than a day).
    static func start(
        backend: StoreBackend = .memory, auth: AuthSettings = AuthSettings(), clockStart: Date = Fixtures.t0,
        tokenLifetime: TimeInterval = 86_400,
        http: (inout HTTPServerConfiguration) -> Void = { _ in },
        configure: (inout ServiceEnvironment) -> Void = { _ in }
    ) async throws -> ServiceHarness {
        let testStore = try await backend.makeOffPool()
        let clock = ManualClock(clockStart)
        let users = ServiceUsers.directory
        // Gated like the real service: the shipped 2025–2026 calendars and the default rules.
        let statutory = StatutoryClock(calendar: try Fixtures.shippedCalendar())
        let workflow = NoticeWorkflow(store: testStore.store, users: users, channels: Fixtures.channels,
                                      withdrawChannels: Fixtures.withdrawChannels, now: clock.function, statutory: statutory)
        let desk = DeliveryDesk(store: testStore.store, users: users, channels: Fixtures.channels, now: clock.function)
        let counters = Counters()
        let logs = LogCapture()
        var environment = ServiceEnvironment(
            store: testStore.store, workflow: workflow, desk: desk, users: users, auth: auth, publicBaseURL: base,
            pages: try PageTemplates.load(directory: pagesDirectory()), logger: logs.logger, now: clock.function,
            wake: { counters.wakes.add(1, ordering: .relaxed) },
            renderPoster: { version, project, type in
                counters.renders.add(1, ordering: .relaxed)
                return Array("\(type == .pdf ? "%PDF-1.7" : "PNG") \(version.reference) \(project.key)".utf8)
            },
            laneStatus: { Fixtures.channels.map { (channel: $0, circuit: $0 == "county-column" ? "open" : "closed", inFlight: 0) } },
            warnings: WarningDesk(store: testStore.store, clock: statutory, users: users, now: clock.function))
        configure(&environment)
        let app = ServiceApp(environment)
        var configuration = HTTPServerConfiguration(threads: 2, shutdownGrace: .seconds(2))
        configuration.accessLogLevel = nil
        http(&configuration)
        let server = HTTPServer(configuration: configuration, router: app.router(), logger: .discard)
        try server.start()
        var tokens: [String: String] = [:]
        for user in users.all {
            tokens[user.name] = try await TokenIssuer.issue(
                user: user.name, lifetime: tokenLifetime, by: "test", store: testStore.store, users: users, now: clock.now()
            ).token
        }
        return ServiceHarness(testStore: testStore, clock: clock, app: app, server: server, tokens: tokens,
                              counters: counters, logs: logs)
    }

    func stop() async {
        await server.stop(grace: .seconds(1))
        await testStore.cleanup()
    }

    /// Runs `body` with a fresh service, stopping it afterwards whatever happens.
    static func with<T>(
        backend: StoreBackend = .memory, auth: AuthSettings = AuthSettings(), clockStart: Date = Fixtures.t0,
        tokenLifetime: TimeInterval = 86_400,
        http: (inout HTTPServerConfiguration) -> Void = { _ in },
        configure: (inout ServiceEnvironment) -> Void = { _ in },
        _ body: (ServiceHarness) async throws -> T
    ) async throws -> T {
        let h = try await start(backend: backend, auth: auth, clockStart: clockStart, tokenLifetime: tokenLifetime, http: http,
                                configure: configure)
        do {
            let result = try await body(h)
            await h.stop()
            return result
        } catch {
            await h.stop()
            throw error
        }
    }

    // MARK: requests

    /// A request as `user` (nil = no Authorization header).
    func call(
        _ method: String, _ path: String, as user: String? = nil, json: Any? = nil, body: [UInt8]? = nil,
        contentType: String? = nil, headers: [(String, String)] = []
    ) async throws -> LoopbackResponse {
        var all = headers
        if let user { all.append(("Authorization", "Bearer \(tokens[user]!)")) }
        var bytes = body ?? []
        if let json {
            bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
            all.append(("Content-Type", contentType ?? "application/json"))
        } else if let contentType {
            all.append(("Content-Type", contentType))
        }
        return try await Loopback.request(port: port, method, path, headers: all, body: bytes)
    }

    // MARK: fixtures through the API

    /// Imports the sample project (optionally changed) as alice.
    @discardableResult
    func importProject(_ change: (inout Project) -> Void = { _ in }) async throws -> Project {
        var p = Fixtures.sampleProject()
        change(&p)
        let r = try await call("POST", "/api/projects", as: "alice", json: ProjectJSON.file(p))
        precondition(r.status == 201 || r.status == 200, "import failed: \(r.status) \(r.text)")
        return p
    }

    /// Drafts `content` as `drafter` and returns the notice id.
    func draft(_ content: NoticeContent, as drafter: String = "alice") async throws -> String {
        let r = try await call("POST", "/api/notices", as: drafter, json: try ProjectJSON.object(content))
        precondition(r.status == 201, "draft failed: \(r.status) \(r.text)")
        return r.json!["id"] as! String
    }

    /// Draft, submit (alice) and approve (bob): a published notice. With `overrideGate`, the admin
    /// (root) approves it with that reason although its stage gate is closed (a later stage whose
    /// earlier stage's posting period has not run).
    func publish(_ content: NoticeContent, overrideGate: String? = nil) async throws -> String {
        let id = try await draft(content)
        _ = try await call("POST", "/api/notices/\(id)/submit", as: "alice")
        let r = overrideGate == nil
            ? try await call("POST", "/api/notices/\(id)/approve", as: "bob")
            : try await call("POST", "/api/notices/\(id)/approve", as: "root", json: ["overrideGate": overrideGate!])
        precondition(r.status == 200, "approve failed: \(r.status) \(r.text)")
        return id
    }
}

/// Counters the environment's closures update (they cannot capture the harness before it exists).
final class Counters: Sendable {
    let wakes = Atomic<Int>(0)
    let renders = Atomic<Int>(0)
}

/// JSON bodies from domain values.
enum ProjectJSON {
    static func object<T: Encodable>(_ value: T) throws -> Any {
        let data = try JSONCoding.encoder.encode(value)
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The import format `{project: {...}, parcels: [...]}`.
    static func file(_ p: Project) throws -> Any {
        var header = try object(p) as! [String: Any]
        let parcels = header.removeValue(forKey: "parcels")!
        return ["project": header, "parcels": parcels]
    }
}
