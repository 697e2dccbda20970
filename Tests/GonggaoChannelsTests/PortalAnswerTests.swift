import Foundation
import GonggaoCore
import Testing

@testable import GonggaoChannels

/// The mapping of answers to outcomes, without a network.
@Suite struct PortalAnswerTests {
    let now = Date(timeIntervalSince1970: 1_772_323_200)

    private func map(
        _ status: Int, _ body: String = "", headers: [(name: String, value: String)] = [], truncated: Bool = false
    ) -> ChannelOutcome {
        PortalAnswer.outcome(
            HTTPResponse(status: status, headers: headers, body: Array(body.utf8), bodyTruncated: truncated),
            now: now, redact: { $0.replacingOccurrences(of: "s3cret", with: "(redacted)") })
    }

    @Test func successCarriesTheReceipt() {
        let outcome = map(
            201, #"{"publicationId":"PRV-2026-000001","url":"http://p/public/PRV-2026-000001","effect":"created"}"#)
        guard case .delivered(let receipt) = outcome.kind else {
            Issue.record("\(outcome)")
            return
        }
        #expect(receipt.publicationID == "PRV-2026-000001")
        #expect(receipt.publicURL == "http://p/public/PRV-2026-000001")
        #expect(outcome.reason == "HTTP 201 created")
        #expect(outcome.httpStatus == 201)
    }

    @Test func truncatedSuccessStillFindsTheIdWhenItCameFirst() {
        let body = #"{"publicationId":"MOB-2026-000009","url":"http://m/public/MOB-2026-000009","padding":"xxxxxxxx"#
        let outcome = map(200, body, truncated: true)
        guard case .delivered(let receipt) = outcome.kind else {
            Issue.record("\(outcome)")
            return
        }
        #expect(receipt.publicationID == "MOB-2026-000009")
        #expect(outcome.reason.contains("read in part"))
    }

    @Test(arguments: [408, 425, 429, 500, 502, 503, 504])
    func retryableStatuses(_ status: Int) {
        let outcome = map(status, #"{"error":"injected-fault","message":"try later"}"#, headers: [("Retry-After", "7")])
        #expect(outcome.kind == .retryable(retryAfter: .seconds(7)))
        #expect(outcome.reason == "HTTP \(status) injected-fault: try later")
    }

    @Test(arguments: [400, 401, 403, 404, 409, 413, 415, 422])
    func permanentStatuses(_ status: Int) {
        #expect(map(status, #"{"error":"bad-credential"}"#).kind == .rejected)
    }

    @Test func redirectsAreRejected() {
        let outcome = map(302, "", headers: [("Location", "http://elsewhere/")])
        #expect(outcome.kind == .rejected)
        #expect(outcome.reason.contains("redirects are not followed"))
    }

    @Test func transportFailures() {
        let timeout = PortalAnswer.outcome(
            .failure(HTTPTransportError(kind: .timeout, curlCode: 28)), now: now, redact: { $0 })
        #expect(timeout.kind == .retryable(retryAfter: nil))
        #expect(timeout.transportError == 28)
        #expect(timeout.reason == "timeout (curl 28)")
        let scheme = PortalAnswer.outcome(
            .failure(HTTPTransportError(kind: .unsupportedScheme, curlCode: 1)), now: now, redact: { $0 })
        #expect(scheme.kind == .rejected)
    }

    @Test func secretsEchoedByAPortalAreScrubbed() {
        let outcome = map(401, #"{"error":"bad-credential","message":"token s3cret is wrong"}"#)
        #expect(!outcome.reason.contains("s3cret"))
        #expect(!(outcome.excerpt ?? "").contains("s3cret"))
    }
}
