import Foundation
import GonggaoCore
import GonggaoHTTP

/// The Gonggao HTTP service: the officer API, the public parcel pages, posters, health, metrics and
/// the OpenAPI document, as one `Router` for an `HTTPServer`.
///
/// ```swift
/// let app = ServiceApp(environment)
/// let server = HTTPServer(configuration: http, router: app.router(), logger: logger)
/// try await server.run()
/// ```
///
/// - Important: one `ServiceApp` per process: it owns the login throttle, the HTTP counters and
///   the page and poster caches its router's handlers share.
public final class ServiceApp: Sendable {
    public let environment: ServiceEnvironment
    let authenticator: Authenticator
    let clients: ClientAddressResolver
    let httpMetrics = HTTPMetrics()
    let pageCache = PageCache()
    let posterCache = PosterCache()
    /// Notice versions' API JSON (`GET /api/notices/{id}`).
    let versionJSON = VersionJSONCache()
    /// Whole `GET /api/notices/{id}` answers, while the store's change stamp stands.
    let noticeJSON = StampedCache<[UInt8]>(maxEntries: 1_024)
    /// The audit log's last seq (parcel pages' cache key), while the store's change stamp stands.
    let auditSeq = StampedCache<Int64>(maxEntries: 1)
    let storeMetrics = StoreMetricsCache()
    /// The officer console's signed-in sessions (in memory; see `ConsoleSessions`).
    let consoleSessions = ConsoleSessions()
    /// `/openapi.json`, serialized once.
    let openAPIBody: [UInt8]

    public init(_ environment: ServiceEnvironment) {
        self.environment = environment
        self.openAPIBody = Array(OpenAPIDocument.json(publicBaseURL: environment.publicBaseURL).utf8)
        self.clients = ClientAddressResolver(trustedProxies: environment.auth.trustedProxies)
        self.authenticator = Authenticator(
            store: environment.store, users: environment.users,
            throttle: LoginThrottle(limit: environment.auth.failureLimit, window: environment.auth.failureWindow),
            now: environment.now, logger: environment.logger)
    }

    /// Every route of the service, in the order the OpenAPI document lists them.
    var endpoints: [Endpoint] {
        projectEndpoints + noticeEndpoints + postingEndpoints + posterEndpoints + deliveryEndpoints + paymentEndpoints
            + warningEndpoints + channelEndpoints + tokenEndpoints + operationEndpoints + pageEndpoints
    }

    /// A router with every route; unknown paths answer a JSON 404 (counted in the metrics).
    public func router() -> Router {
        var router = Router()
        for endpoint in endpoints {
            let readOnly = endpoint.access != .everyone && endpoint.method == .get
            router.add(endpoint.method, endpoint.pattern, bodyLimit: endpoint.bodyLimit) { [self] request in
                await RequestStamp.scope(environment.store, when: readOnly) { await handle(endpoint, request) }
            }
        }
        // The officer console: HTML pages, not in the OpenAPI document.
        for route in consoleRoutes {
            router.add(route.method, route.pattern) { [self] request in await handleConsole(route, request) }
        }
        router.notFound = { request in
            .error(status: 404, code: "not-found", message: "no route for \(request.method) \(request.path)")
        }
        router.clientAddress = { [clients] request in
            clients.client(peer: request.remoteAddress, forwardedFor: request.headers.values("x-forwarded-for"))
        }
        // Every answer is counted here, also those the server gives by itself (405, 413, 503).
        router.onFinished = { [httpMetrics] request, status, elapsed in
            httpMetrics.record(method: request.method.rawValue, route: request.route ?? "unmatched", status: status,
                               seconds: elapsed.seconds)
        }
        return router
    }

    /// Authenticates, authorises, runs the handler and maps its errors.
    func handle(_ endpoint: Endpoint, _ request: HTTPRequest) async -> HTTPResponse {
        let client = request.clientAddress
            ?? clients.client(peer: request.remoteAddress, forwardedFor: request.headers.values("x-forwarded-for"))
        var response: HTTPResponse
        do {
            var principal: Principal?
            if endpoint.access != .everyone {
                let p = try await authenticator.authenticate(request, client: client)
                guard endpoint.access.permits(p.user) else {
                    let roles = p.user.roles.map(\.rawValue).sorted().joined(separator: ", ")
                    throw EarlyResponse(
                        .error(
                            status: 403, code: "forbidden",
                            message: "user '\(p.user.name)' (\(roles)) may not \(endpoint.method) \(endpoint.pattern): it needs one of the roles \(endpoint.access.roleNames.joined(separator: ", "))"))
                }
                principal = p
            }
            response = try await endpoint.handler(Call(request: request, client: client, principal: principal))
        } catch {
            response = ErrorMapping.response(for: error, logger: environment.logger, request: request)
        }
        if endpoint.access != .everyone && !response.headers.contains("Cache-Control") {
            response.headers.set("Cache-Control", "no-store")
        }
        return response
    }
}
