import Foundation
import GonggaoCore
import GonggaoHTTP

/// One route of the officer console: HTML, not part of the OpenAPI document.
struct ConsoleRoute: Sendable {
    typealias Handler = @Sendable (ConsoleCall) async throws -> HTTPResponse

    /// Who may use the route.
    enum Guard: Sendable {
        /// No session needed (the sign-in form and its POST).
        case open
        /// A signed-in session whose user the API route's `Access` permits (POSTs also need the
        /// session's CSRF token).
        case session(Access)
    }

    let method: HTTPMethod
    let pattern: String
    let guardedBy: Guard
    let handler: Handler
}

/// What a console handler gets: the request, its client, its parsed form and — behind a session —
/// the signed-in user.
struct ConsoleCall: Sendable {
    let request: HTTPRequest
    let client: String
    /// Whether the browser reached us over TLS (directly, or `X-Forwarded-Proto: https` from a trusted proxy).
    let secure: Bool
    /// The POST form (empty for a GET).
    let form: ConsoleForm
    /// The session's cookie value and the session; nil on open routes.
    let cookie: String?
    let session: ConsoleSession?
    let user: User?

    func parameter(_ name: String) -> String { request.parameters[name] ?? "" }

    /// The signed-in user (every session route has one).
    var signedIn: User {
        guard let user else { preconditionFailure("console route \(request.route ?? request.path) has no session") }
        return user
    }

    /// Query argument `name`, nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let v = request.queryValue(name), !v.isEmpty else { return nil }
        return v
    }
}

/// A console answer decided by code, not a template error: status, `data-reason` and the message.
struct ConsoleRefusal: Error, Sendable {
    let status: Int
    let reason: String
    let message: String
}
