import Foundation
import GonggaoCore
import GonggaoHTTP
import GonggaoStore

/// `{"user": "li.na", "expiresIn": "30d", "label": "laptop"}`.
struct TokenRequest: Decodable, Sendable {
    let user: String
    let expiresIn: String?
    let label: String?
}

/// A token as listed: never its text nor its hash.
struct TokenView: Encodable, Sendable {
    let id: String
    let user: String
    let label: String?
    let createdAt: Date
    let expiresAt: Date
    let revokedAt: Date?
    let valid: Bool

    init(_ t: APIToken, now: Date) {
        id = t.id
        user = t.user
        label = t.label
        createdAt = t.createdAt
        expiresAt = t.expiresAt
        revokedAt = t.revokedAt
        valid = t.isValid(at: now)
    }
}

/// A new token: the only answer that ever holds its text.
struct IssuedToken: Encodable, Sendable {
    let token: String
    let id: String
    let user: String
    let label: String?
    let expiresAt: Date
}

/// `GET /api/me`.
struct WhoAmI: Encodable, Sendable {
    let user: String
    let displayName: String?
    let roles: [String]
    let tokenId: String
}

extension ServiceApp {
    var tokenEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/api/me", .signedIn) { call in
                let u = call.user
                return .json(WhoAmI(user: u.name, displayName: u.displayName, roles: u.roles.map(\.rawValue).sorted(),
                                    tokenId: call.principal!.tokenID))
            },
            Endpoint(.get, "/api/tokens", .admins) { [self] in try await listTokens($0) },
            Endpoint(.post, "/api/tokens", .admins) { [self] in try await createToken($0) },
            Endpoint(.delete, "/api/tokens/{id}", .admins) { [self] in try await revokeToken($0) },
        ]
    }

    func listTokens(_ call: Call) async throws -> HTTPResponse {
        let now = environment.now()
        let tokens = try await TokenIssuer.list(user: call.query("user"), store: environment.store)
        return .json(ListResult(tokens.map { TokenView($0, now: now) }))
    }

    func createToken(_ call: Call) async throws -> HTTPResponse {
        let body = try JSONBody.require(TokenRequest.self, from: call.request)
        let lifetime = try body.expiresIn.map { text throws(ValidationError) in try TokenLifetime.parse(text) }
            ?? environment.auth.defaultTokenLifetime
        let issued = try await TokenIssuer.issue(
            user: body.user, lifetime: lifetime, label: body.label, by: call.user.name, store: environment.store,
            users: environment.users, now: environment.now(), maxLifetime: environment.auth.maxTokenLifetime)
        let r = issued.record
        return .json(IssuedToken(token: issued.token, id: r.id, user: r.user, label: r.label, expiresAt: r.expiresAt), status: 201)
    }

    func revokeToken(_ call: Call) async throws -> HTTPResponse {
        let now = environment.now()
        let id = call.parameter("id")
        do {
            let t = try await TokenIssuer.revoke(id: id, by: call.user.name, store: environment.store, now: now)
            return .json(TokenView(t, now: now))
        } catch StoreError.notFound {
            throw HTTPError(status: 404, code: "token-not-found", message: "unknown token '\(id)'")
        }
    }
}
