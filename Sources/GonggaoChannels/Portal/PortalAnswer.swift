import Foundation
import GonggaoCore

/// Maps what a portal answered (or why it did not) to a typed outcome:
/// 2xx delivered (publication id and URL from the JSON answer), 408/425/429/5xx and network
/// failures retryable (Retry-After honoured), redirects and other 4xx rejected.
enum PortalAnswer {
    static func outcome(_ result: HTTPClientResult, now: Date, redact: (String) -> String) -> ChannelOutcome {
        switch result {
        case .failure(let error):
            if error.isRetryable {
                return .retryable(error.description, transportError: error.curlCode)
            }
            return ChannelOutcome(kind: .rejected, reason: error.description, transportError: error.curlCode)
        case .response(let response):
            return outcome(response, now: now, redact: redact)
        }
    }

    static func outcome(_ response: HTTPResponse, now: Date, redact: (String) -> String) -> ChannelOutcome {
        let status = response.status
        let excerpt = response.body.isEmpty ? nil : redact(excerptText(response.body))
        let fields = answerFields(response)
        if response.isSuccess {
            var reason = "HTTP \(status)" + (fields["effect"].map { " \($0)" } ?? "")
            if response.bodyTruncated {
                reason += " (answer over \(response.body.count) bytes, read in part)"
            }
            if fields["publicationId"] == nil { reason += "; no publication id in the answer" }
            let receipt = DeliveryReceipt(
                publicationID: fields["publicationId"], publicURL: fields["url"],
                excerpt: excerpt.map { String($0.prefix(512)) })
            return .delivered(receipt, reason: redact(reason), httpStatus: status, excerpt: excerpt)
        }
        var reason = "HTTP \(status)"
        if let code = fields["error"] { reason += " \(code)" }
        if let message = fields["message"] { reason += ": " + String(message.prefix(200)) }
        reason = redact(reason)
        if (300...399).contains(status) {
            return .rejected(
                reason + " (redirects are not followed; configure the final URL)", httpStatus: status, excerpt: excerpt)
        }
        if ChannelOutcome.isRetryable(httpStatus: status) {
            return .retryable(reason, retryAfter: response.retryAfter(now: now), httpStatus: status, excerpt: excerpt)
        }
        return .rejected(reason, httpStatus: status, excerpt: excerpt)
    }

    /// String members of the JSON answer the mapping uses. A truncated answer cannot be parsed as
    /// a whole, so its prefix is searched for `"key": "value"` pairs instead.
    static func answerFields(_ response: HTTPResponse) -> [String: String] {
        let keys = ["publicationId", "url", "effect", "status", "error", "message", "indexNumber"]
        var out: [String: String] = [:]
        if !response.bodyTruncated,
            let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        {
            for key in keys { if let value = object[key] as? String { out[key] = value } }
            return out
        }
        let text = response.bodyText
        for key in keys {
            let pattern = "\"\(key)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\""
            guard let range = text.range(of: pattern, options: .regularExpression) else { continue }
            let pair = String(text[range])
            if let data = ("{" + pair + "}").data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let value = object[key] as? String
            {
                out[key] = value
            }
        }
        return out
    }

    /// The first 4 KiB of the body as text, cut at a character boundary.
    static func excerptText(_ body: [UInt8]) -> String {
        var end = min(body.count, 4096)
        // Step back over UTF-8 continuation bytes so the cut never splits a character.
        while end < body.count && end > 0 && body[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: body[..<end], as: UTF8.self)
    }
}
