import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// A request's authenticated user and the token it presented.
struct Principal: Sendable {
    let user: User
    let tokenID: String
}

/// Checks `Authorization: Bearer <token>` against the stored token hashes, counting failures per
/// client address.
struct Authenticator: Sendable {
    let store: any NoticeStore
    let users: UserDirectory
    let throttle: LoginThrottle
    let now: @Sendable () -> Date
    let logger: Logger

    static let challenge = #"Bearer realm="gonggao""#

    /// The principal, or a ready 401/429 answer thrown as `EarlyResponse`.
    func authenticate(_ request: HTTPRequest, client: String) async throws -> Principal {
        let at = now()
        if let wait = throttle.retryAfter(client, now: at) {
            throw EarlyResponse(
                HTTPResponse.error(
                    status: 429, code: "too-many-failed-logins",
                    message: "too many failed logins from \(client); try again in \(Int(wait.rounded(.up))) s")
                .adding("Retry-After", "\(Int(wait.rounded(.up)))"))
        }
        guard let header = request.headers["authorization"] else {
            throw EarlyResponse(
                HTTPResponse.error(status: 401, code: "unauthenticated",
                                   message: "this route needs an 'Authorization: Bearer <token>' header")
                .adding("WWW-Authenticate", Self.challenge))
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return try fail(client, at, "the Authorization header is not 'Bearer <token>'")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let hash = APIToken.hash(of: token)
        guard let record = try await store.read({ tx in try tx.token(hash: hash) }) else {
            return try fail(client, at, "the token is not known")
        }
        if record.revokedAt != nil { return try fail(client, at, "the token \(record.id) was revoked") }
        if !record.isValid(at: at) { return try fail(client, at, "the token \(record.id) has expired") }
        guard let user = try? users.user(record.user) else {
            return try fail(client, at, "the token's user '\(record.user)' is no longer configured")
        }
        return Principal(user: user, tokenID: record.id)
    }

    private func fail(_ client: String, _ at: Date, _ message: String) throws -> Principal {
        throttle.recordFailure(client, now: at)
        logger.notice("login failed", ["http.client": client, "auth.reason": message])
        throw EarlyResponse(
            HTTPResponse.error(status: 401, code: "invalid-token", message: message)
                .adding("WWW-Authenticate", Self.challenge + #", error="invalid_token""#))
    }
}

/// A complete answer decided before the handler (401, 403, 429), thrown to skip it.
struct EarlyResponse: Error, Sendable {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
