import Foundation
import GonggaoCore

/// Signs pushes with Standard Webhooks headers under every active secret (several during a
/// rotation: the receiver accepts the message when any one signature matches).
///
/// - Important: the secrets never leave this value except as HMACs; `description` is redacted.
public struct WebhookSigner: Sendable, CustomStringConvertible {
    public let secrets: [StandardWebhooks.Secret]

    public init(secrets: [StandardWebhooks.Secret]) {
        precondition(!secrets.isEmpty, "a signer needs at least one secret")
        self.secrets = secrets
    }

    /// `webhook-id` (the delivery id, stable across retries), `webhook-timestamp` (Unix seconds of
    /// `now`) and `webhook-signature` (one `v1,…` per secret, space-separated).
    public func headers(id: String, now: Date, body: [UInt8]) -> [(name: String, value: String)] {
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        return StandardWebhooks.headers(id: id, timestamp: timestamp, body: body, secrets: secrets).map {
            (name: $0.0, value: $0.1)
        }
    }

    public var description: String { "WebhookSigner(\(secrets.count) secret(s), redacted)" }
}
