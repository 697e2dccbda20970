/// What the server calls for a request; runs on the cooperative pool, never on a libmicrohttpd
/// thread, and may take as long as it likes (the connection waits, suspended).
public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse

/// One method + pattern and its handler.
public struct Route: Sendable {
    public let method: HTTPMethod
    public let pattern: RoutePattern
    /// The largest request body this route accepts, in bytes; nil = the server's default.
    public let bodyLimit: Int?
    let handler: HTTPHandler
}

/// How a request resolved against the routes.
public enum RouteMatch: Sendable {
    case matched(Route, PathParameters)
    /// The path exists for other methods only (answer 405 with `Allow`).
    case methodNotAllowed(allowed: [HTTPMethod])
    case notFound
}

/// A small router: method + typed path pattern → handler, with per-route body limits.
///
/// Unknown paths answer 404 (or go to `notFound` when set), a known path with another method 405
/// with an `Allow` header. `HEAD` uses the `GET` route when no `HEAD` route exists.
public struct Router: Sendable {
    public private(set) var routes: [Route] = []
    /// Answers requests no route matches; nil = a JSON 404.
    public var notFound: HTTPHandler?
    /// Works out the client's address (e.g. from `X-Forwarded-For` when the peer is a trusted proxy);
    /// nil = the peer's. Runs on a libmicrohttpd thread: keep it quick and non-blocking.
    public var clientAddress: (@Sendable (HTTPRequest) -> String)?
    /// Told about every finished exchange with its final status — also the answers the server gives
    /// by itself (405, 413, 503 while stopping) — and its duration: for request metrics.
    public var onFinished: (@Sendable (HTTPRequest, _ status: Int, _ duration: Duration) -> Void)?

    public init() {}

    /// Adds a route; the same method and pattern twice is a programming error.
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler
    ) {
        let parsed = RoutePattern(pattern)
        precondition(
            !routes.contains { $0.method == method && $0.pattern.segments == parsed.segments },
            "route \(method) \(pattern) added twice")
        routes.append(Route(method: method, pattern: parsed, bodyLimit: bodyLimit, handler: handler))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.get, pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping HTTPHandler) { add(.delete, pattern, handler) }
    public mutating func post(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) {
        add(.post, pattern, bodyLimit: bodyLimit, handler)
    }
    public mutating func put(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) {
        add(.put, pattern, bodyLimit: bodyLimit, handler)
    }
    public mutating func patch(_ pattern: String, bodyLimit: Int? = nil, _ handler: @escaping HTTPHandler) {
        add(.patch, pattern, bodyLimit: bodyLimit, handler)
    }

    /// Resolves `method` and a percent-decoded `path`.
    public func match(_ method: HTTPMethod, _ path: String) -> RouteMatch {
        let parts = RoutePattern.split(path)
        var candidates: [(route: Route, values: [String: String])] = []
        for route in routes {
            if let values = route.pattern.match(parts) { candidates.append((route, values)) }
        }
        guard !candidates.isEmpty else { return .notFound }
        let wanted: [HTTPMethod] = method == .head ? [.head, .get] : [method]
        for m in wanted {
            let best = candidates.filter { $0.route.method == m }
                .max { $0.route.pattern.specificity.lexicographicallyPrecedes($1.route.pattern.specificity) }
            if let best { return .matched(best.route, PathParameters(best.values)) }
        }
        var allowed: [HTTPMethod] = []
        for c in candidates where !allowed.contains(c.route.method) { allowed.append(c.route.method) }
        if allowed.contains(.get) && !allowed.contains(.head) { allowed.append(.head) }
        return .methodNotAllowed(allowed: allowed)
    }

    /// Runs the request through the routes without a network (for tests and in-process callers).
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var request = request
        switch match(request.method, request.path) {
        case .matched(let route, let parameters):
            request.parameters = parameters
            request.route = route.pattern.description
            return await route.handler(request)
        case .methodNotAllowed(let allowed):
            return Self.methodNotAllowed(request, allowed)
        case .notFound:
            if let notFound { return await notFound(request) }
            return Self.notFoundResponse(request)
        }
    }

    static func notFoundResponse(_ request: HTTPRequest) -> HTTPResponse {
        .error(status: 404, code: "not-found", message: "no route for \(request.method) \(request.path)")
    }

    static func methodNotAllowed(_ request: HTTPRequest, _ allowed: [HTTPMethod]) -> HTTPResponse {
        HTTPResponse.error(
            status: 405, code: "method-not-allowed",
            message: "\(request.method) is not allowed on \(request.path)"
        )
        .adding("Allow", allowed.map(\.rawValue).joined(separator: ", "))
    }
}
