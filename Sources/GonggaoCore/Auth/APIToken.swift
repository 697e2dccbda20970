import Foundation
import GonggaoCrypto

/// A bearer token's stored form: only its SHA-256 is kept, never the token itself.
public struct APIToken: Codable, Sendable, Equatable {
    public var id: String
    public var user: String
    /// Lowercase hex SHA-256 of the token text.
    public var hash: String
    public var label: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(id: String, user: String, hash: String, label: String?, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.user = user
        self.hash = hash
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// True while neither revoked nor expired.
    public func isValid(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }

    /// A new random token (`ggt_` + 43 base64url characters) and its stored form.
    public static func issue(user: String, label: String?, now: Date, lifetime: TimeInterval) throws -> (token: String, record: APIToken) {
        let secret = "ggt_" + Data(try GonggaoCrypto.randomBytes(32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let record = APIToken(id: Identifier.make("tok"), user: user, hash: hash(of: secret), label: label, createdAt: now,
                              expiresAt: now.addingTimeInterval(lifetime))
        return (secret, record)
    }

    /// The stored hash of a presented token.
    public static func hash(of token: String) -> String { GonggaoCrypto.sha256Hex(token) }
}
