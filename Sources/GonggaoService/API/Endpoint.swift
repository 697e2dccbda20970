import Foundation
import GonggaoCore
import GonggaoHTTP

/// One route of the service: method, pattern, who may call it, its body limit and its handler.
struct Endpoint: Sendable {
    typealias Handler = @Sendable (Call) async throws -> HTTPResponse

    let method: HTTPMethod
    let pattern: String
    let access: Access
    /// Bytes; nil = the server's default (1 MiB).
    let bodyLimit: Int?
    let handler: Handler

    init(_ method: HTTPMethod, _ pattern: String, _ access: Access, bodyLimit: Int? = nil, _ handler: @escaping Handler) {
        self.method = method
        self.pattern = pattern
        self.access = access
        self.bodyLimit = bodyLimit
        self.handler = handler
    }
}

/// What a handler gets: the request, the resolved client address and — on protected routes —
/// the authenticated user.
struct Call: Sendable {
    let request: HTTPRequest
    let client: String
    let principal: Principal?

    /// The authenticated user (every non-public route has one).
    var user: User {
        guard let principal else { preconditionFailure("route \(request.route ?? request.path) has no principal") }
        return principal.user
    }

    /// A path parameter the route pattern guarantees.
    func parameter(_ name: String) -> String { request.parameters[name] ?? "" }

    func intParameter(_ name: String) throws(HTTPError) -> Int { try request.parameters.require(name, as: Int.self) }

    /// Query argument `name`, nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let v = request.queryValue(name), !v.isEmpty else { return nil }
        return v
    }

    /// Query argument `name` as one of `T`'s raw values, or a 400 naming it.
    func query<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(HTTPError) -> T?
    where T.RawValue == String {
        guard let raw = query(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw HTTPError(status: 400, code: "bad-parameter", message: "\(name) must be one of: \(allowed)", field: name)
        }
        return value
    }

    /// `limit` query argument: 1…`max`, default `defaultValue`.
    func limit(default defaultValue: Int, max: Int) throws(HTTPError) -> Int {
        guard let raw = query("limit") else { return defaultValue }
        guard let n = Int(raw), (1...max).contains(n) else {
            throw HTTPError(status: 400, code: "bad-parameter", message: "limit must be an integer from 1 to \(max)", field: "limit")
        }
        return n
    }
}
