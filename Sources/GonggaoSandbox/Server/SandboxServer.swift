import Foundation
import GonggaoCore
import GonggaoHTTP

/// The three sandbox portals on one loopback HTTP server, under `/provincial`, `/county` and
/// `/mobile`, plus `/_sandbox/…` to inject faults and inspect what was published.
///
/// ```swift
/// let sandbox = SandboxServer(config: .demo(), logger: logger)
/// let port = try sandbox.start()     // or: try await sandbox.run() until cancelled
/// … sandbox.url(of: .county) …      // http://127.0.0.1:<port>/county
/// await sandbox.stop()
/// ```
///
/// - Important: Owns its `HTTPServer`; state is in memory and gone when the process ends.
public final class SandboxServer: Sendable {
    public let config: SandboxConfig
    private let logger: Logger
    private let state = SandboxState()
    private let server: HTTPServer

    public init(config: SandboxConfig, logger: Logger) {
        self.config = config
        self.logger = logger
        let service = PortalService(config: config, state: state, logger: logger)
        var router = Router()
        for portal in SandboxPortal.allCases {
            Self.registerPortal(portal, service: service, state: state, in: &router)
        }
        let state = state
        AdminRoutes(
            state: state,
            portalURLs: {
                let base = state.listenBase
                return Dictionary(uniqueKeysWithValues: SandboxPortal.allCases.map { ($0.rawValue, base + $0.prefix) })
            }
        ).register(in: &router)
        server = HTTPServer(configuration: config.http, router: router, logger: logger)
    }

    /// The portal's endpoints (CONTRACT.md): create/update/withdraw and its public item pages.
    private static func registerPortal(
        _ portal: SandboxPortal, service: PortalService, state: SandboxState,
        in router: inout Router
    ) {
        let base = portal.prefix + "/" + portal.collection
        switch portal {
        case .provincial:
            router.post(base) { await service.handle(portal, .publish(.create), $0) }
            router.put(base + "/{noticeId}") { await service.handle(portal, .publish(.update), $0) }
        case .county, .mobile:
            router.post(base) { await service.handle(portal, .publish(.publish), $0) }
        }
        router.post(base + "/{noticeId}/withdraw") { await service.handle(portal, .withdraw, $0) }
        router.get(portal.prefix + "/public/{publicationId}") { request in
            let id = request.parameters["publicationId"] ?? ""
            guard let item = state.with(portal, { $0.item(publicationId: id) }) else {
                return .error(status: 404, code: "unknown-publication", message: "no publication \(id)")
            }
            guard item.status == .published else {
                return .error(status: 410, code: "withdrawn", message: "publication \(id) was withdrawn")
            }
            return .json(
                PublicView(
                    publicationId: item.publicationId, noticeId: item.noticeId, version: item.version,
                    title: item.title, payload: item.payload))
        }
    }

    /// Binds and starts serving; returns the port (the OS's choice when configured as 0). Throws
    /// a `SandboxConfigError` naming a bad setting, or an `HTTPServerError` when it cannot listen.
    @discardableResult
    public func start() throws -> UInt16 {
        if let problem = config.problem { throw SandboxConfigError(message: problem) }
        try server.start()
        state.listenBase = baseURL
        state.publicBase = config.publicBaseURL ?? baseURL
        logger.info("sandbox portals listening", urls(prefix: "sandbox.url."))
        return server.port
    }

    /// Serves until the calling task is cancelled (SIGTERM/SIGINT in the CLI), then stops gracefully.
    public func run() async throws {
        if server.port == 0 { try start() }
        try await server.run()
    }

    /// Graceful stop (in-flight requests get `config.http.shutdownGrace`; hanging faults are cut).
    public func stop() async { await server.stop() }

    /// The port, 0 before `start()`.
    public var port: UInt16 { server.port }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String {
        let host = config.http.host
        let shown =
            host == "0.0.0.0" || host == "localhost"
            ? "127.0.0.1" : host == "::" ? "[::1]" : host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)"
    }

    /// The base URL a channel of this portal's kind is configured with, e.g. `http://127.0.0.1:8790/county`.
    public func url(of portal: SandboxPortal) -> String { baseURL + portal.prefix }

    // MARK: In-process inspection (same data as the /_sandbox endpoints)

    public func items(of portal: SandboxPortal) -> [SandboxItem] { state.with(portal) { $0.orderedItems } }

    public func item(_ noticeId: String, of portal: SandboxPortal) -> SandboxItem? {
        state.with(portal) { $0.items[noticeId] }
    }

    public func log(of portal: SandboxPortal) -> [SandboxLogEntry] { state.with(portal) { $0.log } }

    public func faults(of portal: SandboxPortal) -> [QueuedFault] { state.with(portal) { $0.faults } }

    /// Queues a fault for the portal's next matching request(s).
    public func inject(_ fault: SandboxFault, into portal: SandboxPortal) throws {
        if let problem = fault.problem { throw SandboxConfigError(message: "fault: " + problem) }
        state.with(portal) { $0.enqueue(fault) }
    }

    public func clearFaults(of portal: SandboxPortal) { state.with(portal) { $0.clearFaults() } }

    /// Forgets every item, log entry, webhook-id answer and fault.
    public func reset() { state.reset() }

    private func urls(prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for portal in SandboxPortal.allCases { out[prefix + portal.rawValue] = url(of: portal) }
        return out
    }
}

/// What `GET /{portal}/public/{publicationId}` shows.
struct PublicView: Codable, Sendable {
    var publicationId: String
    var noticeId: String
    var version: Int
    var title: String
    var payload: JSONValue
}

/// A sandbox setting that cannot work, named by its key path.
public struct SandboxConfigError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
