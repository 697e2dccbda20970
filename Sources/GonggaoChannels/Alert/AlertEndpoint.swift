import Foundation
import GonggaoCore

/// The officers' alert endpoint: statutory warnings pushed as Standard Webhooks, over the same HTTP
/// transport and signing as the portals, answered like a portal (2xx delivered, 408/425/429/5xx and
/// network failures retryable, other answers rejected).
public struct AlertEndpoint: Sendable {
    public let url: String
    public let signer: WebhookSigner
    public let options: HTTPTransportOptions

    public init(url: String, signer: WebhookSigner, options: HTTPTransportOptions = HTTPTransportOptions()) {
        self.url = url
        self.signer = signer
        self.options = options
    }

    /// The JSON pushed for one warning event.
    struct Payload: Encodable {
        var type: String
        var id: String
        var warning: Body

        struct Body: Encodable {
            var id, kind, project, subject, severity, state, message: String
            var notice: String?
            var due: String
            var dueProvisional: Bool
        }
    }

    public static func body(_ w: StatutoryWarning, alert: Delivery) throws -> [UInt8] {
        let payload = Payload(
            type: alert.version > 1 ? "warning.escalated" : "warning.raised", id: alert.id,
            warning: .init(id: w.id, kind: w.kind.rawValue, project: w.project, subject: w.subject, severity: w.severity.rawValue,
                           state: w.state.rawValue, message: w.message, notice: w.notice, due: w.due.date.description,
                           dueProvisional: w.due.provisional))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(payload))
    }

    /// Sends `alert` (the warning's current event) once; never throws for an HTTP failure.
    public func send(_ w: StatutoryWarning, alert: Delivery, client: HTTPClient, now: Date) async -> ChannelOutcome {
        let body: [UInt8]
        do {
            body = try Self.body(w, alert: alert)
        } catch {
            return .rejected("cannot encode the alert: \(error)")
        }
        let headers = [(name: "Content-Type", value: "application/json")] + signer.headers(id: alert.id, now: now, body: body)
        let result = await client.send(HTTPClientRequest(method: .post, url: url, headers: headers, body: body, options: options))
        return PortalAnswer.outcome(result, now: now, redact: { $0 })
    }
}
