import Foundation
import GonggaoCore

/// What every portal adapter shares: the base URL, transport options, Standard Webhooks signing,
/// the portal's credential header and the mapping of answers to outcomes.
///
/// - Important: credentials and signatures go into request headers only. Reasons and excerpts
///   come from the portal's answer, with every configured secret scrubbed out of them too.
struct PortalClient: Sendable {
    let channel: String
    let baseURL: String
    let client: HTTPClient
    let options: HTTPTransportOptions
    let signer: WebhookSigner
    /// e.g. `Authorization: Bearer …`, `X-App-Key: …`.
    let credentialHeaders: [(name: String, value: SecretText)]
    /// Texts that must never appear in a reason, an excerpt or a log line.
    let redactions: [String]
    let logger: Logger

    /// Signs and sends one JSON body, then maps the answer. Never throws.
    func push(_ request: ChannelRequest, method: HTTPClientRequest.Method, path: String, body: String) async
        -> ChannelOutcome
    {
        let bytes = Array(body.utf8)
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
            ("X-Request-Id", "\(request.delivery.id)-\(request.attempt)"),
        ]
        headers += credentialHeaders.map { ($0.name, $0.value.reveal()) }
        headers += signer.headers(id: request.delivery.id, now: request.now, body: bytes)
        let started = ContinuousClock.now
        let result = await client.send(
            HTTPClientRequest(
                method: method, url: baseURL + path, headers: headers, body: bytes,
                options: options))
        var outcome = PortalAnswer.outcome(result, now: Date(), redact: redact)
        // A withdrawal of an item the portal never got (an earlier publish that may or may not have
        // arrived, then a 404) is nothing to withdraw, not a dead letter.
        if request.operation == .withdraw, outcome.kind == .rejected, outcome.httpStatus == 404 {
            outcome = .delivered(DeliveryReceipt(excerpt: "nothing to withdraw: the portal has no item (HTTP 404)"),
                                 reason: "nothing to withdraw (HTTP 404)", httpStatus: 404, excerpt: outcome.excerpt)
        }
        log(request, method: method, path: path, outcome: outcome, elapsed: ContinuousClock.now - started)
        return outcome
    }

    func redact(_ text: String) -> String {
        redactions.reduce(text) { $1.isEmpty ? $0 : $0.replacingOccurrences(of: $1, with: "(redacted)") }
    }

    private func log(
        _ request: ChannelRequest, method: HTTPClientRequest.Method, path: String, outcome: ChannelOutcome,
        elapsed: Duration
    ) {
        var metadata: Logger.Metadata = [
            "channel.name": channel,
            "channel.operation": request.operation.rawValue,
            "delivery.id": request.delivery.id,
            "delivery.attempt": "\(request.attempt)",
            "notice.id": request.notice.id,
            "notice.version": "\(request.notice.version)",
            "http.method": method.rawValue,
            "http.path": path,
            "http.duration_ms": "\(elapsed.wholeMilliseconds)",
            "reason": outcome.reason,
        ]
        if let status = outcome.httpStatus { metadata["http.status"] = "\(status)" }
        if let code = outcome.transportError { metadata["curl.code"] = "\(code)" }
        // A failure's answer, already scrubbed of secrets: the attempt log keeps 4 KiB, the log line 512 characters.
        let excerpt = outcome.excerpt.map { String($0.prefix(512)) }
        switch outcome.kind {
        case .delivered(let receipt):
            metadata["outcome"] = "delivered"
            if let id = receipt.publicationID { metadata["publication.id"] = id }
            logger.info("push delivered", metadata)
        case .retryable(let retryAfter):
            metadata["outcome"] = "retryable"
            metadata["http.excerpt"] = excerpt
            if let retryAfter { metadata["http.retry_after_ms"] = "\(retryAfter.wholeMilliseconds)" }
            logger.warning("push failed, will retry", metadata)
        case .rejected:
            metadata["outcome"] = "rejected"
            metadata["http.excerpt"] = excerpt
            logger.error("push rejected", metadata)
        }
    }

    /// `/items/ntc_…`: one path segment, percent-encoded.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
