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
    let tokens = TokenCache()

    static let challenge = #"Bearer realm="gonggao""#

    /// The principal, or a ready 401/429 answer thrown as `EarlyResponse`.
    func authenticate(_ request: HTTPRequest, client: String) async throws -> Principal {
        let at = now()
        if let wait = throttle.retryAfter(client, now: at) { throw Self.tooMany(client, wait) }
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
        return try await authenticate(token: TokenCache.trimmed(parts[1]), client: client, at: at)
    }

    /// The principal of a presented token (a bearer header's, or one typed into the console's
    /// sign-in form), counting a failure against `client`; a 401/429 answer thrown as `EarlyResponse`.
    func authenticate(token: String, client: String, at: Date? = nil) async throws -> Principal {
        let at = at ?? now()
        if let wait = throttle.retryAfter(client, now: at) { throw Self.tooMany(client, wait) }
        switch try await check(hash: APIToken.hash(of: token), at: at) {
        case .success(let principal): return principal
        case .failure(let refusal): return try fail(client, at, refusal.message)
        }
    }

    /// Whether the token with SHA-256 `hash` is known, unrevoked, unexpired and of a configured user
    /// (a console session re-checks its token on every request this way; not counted as a login).
    func check(hash: String, at: Date) async throws -> Result<Principal, Refusal> {
        guard let record = try await tokens.record(hash: hash, in: store) else {
            return .failure(Refusal(message: "the token is not known"))
        }
        if record.revokedAt != nil { return .failure(Refusal(message: "the token \(record.id) was revoked")) }
        if !record.isValid(at: at) { return .failure(Refusal(message: "the token \(record.id) has expired")) }
        guard let user = try? users.user(record.user) else {
            return .failure(Refusal(message: "the token's user '\(record.user)' is no longer configured"))
        }
        return .success(Principal(user: user, tokenID: record.id))
    }

    /// Why a token was refused (one line, no secret).
    struct Refusal: Error, Sendable {
        let message: String
    }

    private static func tooMany(_ client: String, _ wait: TimeInterval) -> EarlyResponse {
        EarlyResponse(
            HTTPResponse.error(
                status: 429, code: "too-many-failed-logins",
                message: "too many failed logins from \(client); try again in \(Int(wait.rounded(.up))) s")
            .adding("Retry-After", "\(Int(wait.rounded(.up)))"))
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
