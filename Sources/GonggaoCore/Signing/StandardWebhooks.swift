import Foundation
import GonggaoCrypto

/// Standard Webhooks signing (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, space-separated when several
/// secrets are active during a rotation.
public enum StandardWebhooks {
    /// A signing secret `whsec_<base64>`; its description never shows the key.
    public struct Secret: Sendable, Equatable, CustomStringConvertible {
        public let key: [UInt8]

        /// Parses `whsec_<base64>` (a bare base64 key is accepted too).
        public init?(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let b64 = trimmed.hasPrefix("whsec_") ? String(trimmed.dropFirst(6)) : trimmed
            guard let data = Data(base64Encoded: b64), data.count >= 16 else { return nil }
            key = Array(data)
        }

        public init(key: [UInt8]) { self.key = key }

        public var description: String { "whsec_…(redacted)" }
    }

    /// Tolerated clock skew between sender and receiver.
    public static let tolerance: TimeInterval = 5 * 60

    /// The `v1,<base64>` signature of one message under one secret.
    public static func signature(id: String, timestamp: Int64, body: [UInt8], secret: Secret) -> String {
        var message = Array("\(id).\(timestamp).".utf8)
        message += body
        return "v1," + Data(GonggaoCrypto.hmacSHA256(key: secret.key, message: message)).base64EncodedString()
    }

    /// The three headers for a message signed with every active secret.
    public static func headers(id: String, timestamp: Int64, body: [UInt8], secrets: [Secret]) -> [(String, String)] {
        [("webhook-id", id),
         ("webhook-timestamp", "\(timestamp)"),
         ("webhook-signature", secrets.map { signature(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " "))]
    }

    public enum VerificationError: Error, Equatable, Sendable, CustomStringConvertible {
        case missingHeader(String)
        case badTimestamp
        case timestampOutOfTolerance
        case noMatchingSignature

        public var description: String {
            switch self {
            case .missingHeader(let h): "missing header \(h)"
            case .badTimestamp: "webhook-timestamp is not a number"
            case .timestampOutOfTolerance: "webhook-timestamp is more than 5 minutes off"
            case .noMatchingSignature: "no webhook-signature matches"
            }
        }
    }

    /// Verifies a received message: timestamp within tolerance of `now` and at least one `v1`
    /// signature matching `secret` (compared in constant time).
    public static func verify(id: String?, timestamp: String?, signatures: String?, body: [UInt8], secret: Secret,
                              now: Date) throws(VerificationError) {
        guard let id else { throw .missingHeader("webhook-id") }
        guard let timestamp else { throw .missingHeader("webhook-timestamp") }
        guard let signatures else { throw .missingHeader("webhook-signature") }
        guard let ts = Int64(timestamp) else { throw .badTimestamp }
        guard abs(Double(ts) - now.timeIntervalSince1970) <= tolerance else { throw .timestampOutOfTolerance }
        let expected = Array(signature(id: id, timestamp: ts, body: body, secret: secret).utf8)
        for candidate in signatures.split(separator: " ") where candidate.hasPrefix("v1,") {
            if GonggaoCrypto.constantTimeEqual(Array(candidate.utf8), expected) { return }
        }
        throw .noMatchingSignature
    }
}
