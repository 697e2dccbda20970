import Foundation

/// One received request, complete with its body, as a handler sees it.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The percent-decoded path without the query, e.g. `/provincial/items/ntc_1`.
    public var path: String
    /// Query arguments in order, percent-decoded; a key without `=` has an empty value.
    public var query: [(name: String, value: String)]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer's IP address (`127.0.0.1`, `::1`), when known.
    public var remoteAddress: String?
    /// The client's address as the router's `clientAddress` works it out (behind a trusted proxy:
    /// from `X-Forwarded-For`); the peer's when the router has no resolver.
    public var clientAddress: String?
    /// The id logged with this request and echoed in the `X-Request-Id` response header.
    public var requestID: String
    /// Values of the route's `{name}` segments.
    public var parameters: PathParameters
    /// The pattern of the matched route (`/items/{id}`), for logs and metrics.
    public var route: String?

    public init(
        method: HTTPMethod, path: String, query: [(name: String, value: String)] = [],
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], remoteAddress: String? = nil, requestID: String = "test",
        parameters: PathParameters = PathParameters(), route: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.parameters = parameters
        self.route = route
    }

    /// The first value of query argument `name`.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The media type of the body without parameters, lower-cased (`application/json`).
    public var mediaType: String? {
        headers["content-type"].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
    }
}
