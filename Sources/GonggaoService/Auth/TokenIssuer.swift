import Foundation
import GonggaoCore
import GonggaoStore

/// Creates, lists, revokes and checks API tokens — for the API's admin routes and the CLI's
/// `gonggao token create|list|revoke`. Only a token's SHA-256 is stored; the token text is returned
/// once, at creation.
public enum TokenIssuer {
    /// A new token: its text (shown once) and its stored record.
    public struct Issued: Sendable {
        public let token: String
        public let record: APIToken
    }

    /// Issues a token for `user`, valid for `lifetime` seconds, audited as `token.create` by `actor`.
    /// With `onlyAsFirstAdminToken` (bootstrap without an admin's token) the user must be an admin and
    /// no valid admin token may exist yet, checked inside the same write transaction.
    /// - Throws: `WorkflowError.unknownUser`, `ValidationError` (field `expiresIn`) for a lifetime
    ///   that is not positive or exceeds `maxLifetime`, `TokenRefusal.adminTokenExists`.
    public static func issue(
        user: String, lifetime: TimeInterval, label: String? = nil, by actor: String = "cli",
        store: any NoticeStore, users: UserDirectory, now: Date = Date(),
        maxLifetime: TimeInterval = AuthSettings().maxTokenLifetime, onlyAsFirstAdminToken: Bool = false
    ) async throws -> Issued {
        let target = try users.user(user)
        guard lifetime > 0 else { throw ValidationError(field: "expiresIn", "must be positive") }
        guard lifetime <= maxLifetime else {
            throw ValidationError(field: "expiresIn", "is more than the longest lifetime allowed (\(TokenLifetime.format(maxLifetime)))")
        }
        if let label, label.count > 100 { throw ValidationError(field: "label", "is \(label.count) characters, at most 100 allowed") }
        let (token, record) = try APIToken.issue(user: user, label: label, now: now, lifetime: lifetime)
        try await store.write { tx in
            if onlyAsFirstAdminToken {
                let admins = Set(users.all.filter { $0.roles.contains(.admin) }.map(\.name))
                guard target.roles.contains(.admin),
                      !(try tx.tokens(user: nil).contains { admins.contains($0.user) && $0.revokedAt == nil && $0.isValid(at: now) })
                else { throw TokenRefusal.adminTokenExists }
            }
            try tx.insertToken(record)
            try tx.appendAudit(AuditRecord(at: now, actor: actor, action: "token.create", subject: record.id,
                                           detail: "user:\(user) expires:\(ISO8601DateFormatter().string(from: record.expiresAt))"))
        }
        return Issued(token: token, record: record)
    }

    /// Revokes token `id` (idempotent), audited as `token.revoke`.
    /// - Throws: `StoreError.notFound` for an unknown id.
    @discardableResult
    public static func revoke(id: String, by actor: String = "cli", store: any NoticeStore, now: Date = Date()) async throws -> APIToken {
        try await store.write { tx in
            guard let existing = try tx.tokens(user: nil).first(where: { $0.id == id }) else {
                throw StoreError.notFound("token \(id)")
            }
            if existing.revokedAt != nil { return existing }
            try tx.revokeToken(id: id, at: now)
            try tx.appendAudit(AuditRecord(at: now, actor: actor, action: "token.revoke", subject: id, detail: "user:\(existing.user)"))
            var revoked = existing
            revoked.revokedAt = now
            return revoked
        }
    }

    /// Tokens of `user` (everyone's when nil), newest first.
    public static func list(user: String? = nil, store: any NoticeStore) async throws -> [APIToken] {
        try await store.read { tx in try tx.tokens(user: user) }
    }

    /// The user a presented token belongs to, when it is known, unrevoked, unexpired and its user is
    /// configured (for the CLI's `GONGGAO_TOKEN` / `--token-file`).
    public static func authenticate(token: String, store: any NoticeStore, users: UserDirectory, now: Date = Date()) async throws -> User {
        let hash = APIToken.hash(of: token.trimmingCharacters(in: .whitespacesAndNewlines))
        guard let record = try await store.read({ tx in try tx.token(hash: hash) }) else {
            throw TokenRefusal.unknown
        }
        if record.revokedAt != nil { throw TokenRefusal.revoked(id: record.id) }
        if !record.isValid(at: now) { throw TokenRefusal.expired(id: record.id) }
        return try users.user(record.user)
    }
}

/// Why a presented token was refused.
public enum TokenRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown
    case revoked(id: String)
    case expired(id: String)
    /// A bootstrap (token create without an admin's token) when an admin token already exists.
    case adminTokenExists

    public var description: String {
        switch self {
        case .unknown: "the token is not known"
        case .revoked(let id): "the token \(id) was revoked"
        case .expired(let id): "the token \(id) has expired"
        case .adminTokenExists: "a valid admin token exists: create further tokens with an admin's token (GONGGAO_TOKEN or --token-file)"
        }
    }
}

/// Token lifetimes as people write them: `90d`, `12h`, `30m`, `3600s` or plain seconds.
public enum TokenLifetime {
    /// Seconds, or a `ValidationError` naming `field`.
    public static func parse(_ text: String, field: String = "expiresIn") throws(ValidationError) -> TimeInterval {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var digits = Substring(t)
        var unit = 1.0
        if let last = t.last, let u = units[last] {
            unit = u
            digits = t.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Double(digits), n > 0 else {
            throw ValidationError(field: field, "'\(text)' is not a lifetime such as 30d, 12h, 45m or 3600s")
        }
        return n * unit
    }

    /// `30d`, `12h`, `45m` or `10s`: the largest unit that divides `seconds`.
    public static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds)
        if s % 86_400 == 0 { return "\(s / 86_400)d" }
        if s % 3_600 == 0 { return "\(s / 3_600)h" }
        if s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }
}
