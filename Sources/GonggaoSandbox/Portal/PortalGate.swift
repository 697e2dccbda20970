import Foundation
import GonggaoCore
import GonggaoHTTP

/// Authenticates a portal request: the portal's own credential (county bearer token, mobile app
/// key), then the Standard Webhooks signature and timestamp (±5 minutes) under any of its secrets.
struct PortalGate {
    let portal: SandboxPortal
    let settings: SandboxConfig.PortalSettings

    /// The request's `webhook-id` when it is authentic, else a 401 naming what failed.
    func check(_ request: HTTPRequest, now: Date) throws(PortalError) -> String {
        switch portal {
        case .provincial:
            break
        case .county:
            guard let header = request.headers["authorization"] else {
                throw .unauthorized("missing-credential", "Authorization: Bearer <token> is required")
            }
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                Self.equal(String(parts[1]), settings.credential ?? "")
            else {
                throw .unauthorized("bad-credential", "the bearer token is not valid")
            }
        case .mobile:
            guard let key = request.headers["x-app-key"] else {
                throw .unauthorized("missing-credential", "the X-App-Key header is required")
            }
            guard Self.equal(key, settings.credential ?? "") else {
                throw .unauthorized("bad-credential", "the app key is not valid")
            }
        }
        let id = request.headers["webhook-id"]
        var failure: StandardWebhooks.VerificationError = .noMatchingSignature
        for secret in settings.secrets {
            do {
                try StandardWebhooks.verify(
                    id: id, timestamp: request.headers["webhook-timestamp"],
                    signatures: request.headers["webhook-signature"], body: request.body,
                    secret: secret, now: now)
                return id!
            } catch {
                failure = error
            }
        }
        switch failure {
        case .missingHeader(let name): throw .unauthorized("missing-signature", "the \(name) header is required")
        case .badTimestamp: throw .unauthorized("bad-timestamp", "webhook-timestamp is not a number of seconds")
        case .timestampOutOfTolerance:
            throw .unauthorized("stale-timestamp", "webhook-timestamp is more than 5 minutes off")
        case .noMatchingSignature: throw .unauthorized("bad-signature", "no webhook-signature matches")
        }
    }

    /// Compares without stopping at the first difference.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0 && !y.isEmpty
    }
}
